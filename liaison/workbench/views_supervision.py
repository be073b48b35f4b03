"""督办总览: the open supervisions in the user's scope, the units whose replies score low, and
the deputies' suggestions flagged red or yellow (congress staff).

Here, at the top, because it joins three apps: the case loop, the reports' reply quality and
the suggestions.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.accounts.capabilities import Capability, has_capability, roles_with
from liaison.accounts.scoping import AnyUser, memberships_of
from liaison.cases.queues import current_due
from liaison.cases.selectors import open_supervisions_visible_to
from liaison.cases.views_staff.common import triage_view
from liaison.common.paging import paginate
from liaison.reports.quality import low_score_threshold, units_with_low_reply_quality
from liaison.suggestions.selectors import SUPERVISION_ROWS, supervised_suggestions

QUALITY_DAYS = 30


def _home_region(user: AnyUser) -> str | None:
    """The region code whose settings apply to the user: the first triage membership's."""
    for membership in memberships_of(user):
        if membership.role not in roles_with(Capability.WORK_CASES):
            continue
        # A station membership keeps its station's region (decision 0024).
        return membership.region_id
    return None


@triage_view
@require_GET
def case_supervision(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = paginate(request, open_supervisions_visible_to(user))
    rows = list(context["page_obj"].object_list)
    for supervision in rows:
        # The deadline that now binds the case; a supervision's new date is already applied.
        supervision.due = current_due(supervision.case) or supervision.case.reply_due
    today = timezone.localdate()
    threshold = low_score_threshold(_home_region(user))
    period = (today - datetime.timedelta(days=QUALITY_DAYS - 1), today)
    context.update(
        {
            "supervisions": rows,
            "low_units": units_with_low_reply_quality(user, period=period, threshold=threshold),
            "threshold": threshold,
            "quality_days": QUALITY_DAYS,
            "suggestions": supervised_suggestions(user),
            "suggestion_rows": SUPERVISION_ROWS,
            "suggestion_staff": has_capability(user, Capability.REVIEW_SUGGESTIONS),
        }
    )
    return render(request, "staff/cases/supervision.html", context)
