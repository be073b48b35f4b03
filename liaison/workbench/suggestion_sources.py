"""Reception records and verified activities as sources of a deputy's suggestion.

Suggestions, receptions and activities are siblings in the layers and may not import each other;
the workbench, which assembles the apps, hands suggestions the two scoped selectors at start-up
(`WorkbenchConfig.ready`, decision 0039). The scope is the sibling app's own selector, so the
rule of who may see a record is written once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.scoping import AnyUser
from liaison.activities.models import Activity
from liaison.activities.models import Status as ActivityStatus
from liaison.activities.selectors import activities_visible_to
from liaison.receptions.models import Reception
from liaison.receptions.selectors import days_visible_to
from liaison.suggestions.models import SourceKind
from liaison.suggestions.source_kinds import LinkedKind, source_kind_provide


def linkable_receptions(user: AnyUser) -> QuerySet[Reception]:
    """Records of the reception days the user may see, newest first."""
    return (
        Reception.objects.filter(day__in=days_visible_to(user).values("pk"))
        .select_related("day__station")
        .order_by("-day__date", "-pk")
    )


def reception_label(row: Any) -> str:
    day = row.day
    return _("%(date)s %(station)s 接待记录（来访 %(n)s 人）") % {
        "date": day.date.isoformat(),
        "station": day.station.name,
        "n": row.visitor_count,
    }


def linkable_activities(user: AnyUser) -> QuerySet[Activity]:
    """Verified activities the user may see (only verified ones count anywhere), newest first."""
    return (
        activities_visible_to(user)
        .filter(status=ActivityStatus.VERIFIED)
        .select_related("station")
        .order_by("-starts_at", "-pk")
    )


def activity_label(row: Any) -> str:
    day = timezone.localdate(row.starts_at).isoformat()
    return _("%(date)s %(title)s（%(station)s）") % {
        "date": day,
        "title": row.title,
        "station": row.station.name,
    }


def register() -> None:
    source_kind_provide(SourceKind.RECEPTION, LinkedKind(linkable_receptions, reception_label))
    source_kind_provide(SourceKind.ACTIVITY, LinkedKind(linkable_activities, activity_label))
