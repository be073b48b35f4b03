"""Who hears that a new opinion has arrived (decision 0009), for both ways cases are created.

The phone form and staff intake (`intake._write`) and the public API's journal
(`journal_move.intake_entries_move`) call `arrivals_notify_on_commit` inside their transaction;
once it commits:

- the liaison officers and the head of the case's own station get an inbox message (stations
  above it are not told of every opinion: their staff follow the queues of their subtree);
- the deputy the opinion is addressed to (sent through the deputy's page or code) gets an inbox
  message, an SMS and an e-mail through the notification backends, if the deputy has a login
  to open the case with.

The cost is bounded whatever the batch: one query for the station staff, one for the deputies,
one bulk insert for every inbox message. Nothing of it runs inside the intake transaction, and a
failure is logged without undoing the case.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, roles_with
from liaison.accounts.models import Membership
from liaison.cases.models import Case
from liaison.cases.services.common import staff_case_url
from liaison.deputies.models import Deputy
from liaison.notifications.models import Notification
from liaison.notifications.services import notify_many, send_email, send_sms
from liaison.notifications.subjects import Subject, subject_fields
from liaison.stations.models import Station

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Arrival:
    """What a message about a new case needs, taken from the row just written (no re-read)."""

    case_id: int
    tracking_code: str
    title: str
    station_id: int | None
    deputy_id: int | None
    # Staff who entered the case themselves need no message about it.
    created_by_id: int | None = None


def arrival_of(case: Case) -> Arrival:
    return Arrival(
        case_id=case.pk,
        tracking_code=case.tracking_code,
        title=case.title,
        station_id=case.station_id,
        deputy_id=case.deputy_id,
        created_by_id=case.created_by_id,
    )


def arrivals_notify_on_commit(arrivals: Sequence[Arrival]) -> None:
    """Tell the people of these new cases once the current transaction commits."""
    wanted = [a for a in arrivals if a.station_id is not None or a.deputy_id is not None]
    if wanted:
        transaction.on_commit(partial(arrivals_notify, arrivals=wanted), robust=True)


def arrivals_notify(*, arrivals: Sequence[Arrival]) -> int:
    """Inbox messages for the station staff and the deputy of each new case (one insert), and
    the deputy's SMS and e-mail; the number of inbox messages."""
    station_ids = {a.station_id for a in arrivals if a.station_id is not None}
    deputy_ids = {a.deputy_id for a in arrivals if a.deputy_id is not None}
    staff: dict[int, set[int]] = {}
    if station_ids:
        # Memberships name their station by path (decision 0024); one statement maps it back.
        stations = Station.objects.filter(pk__in=station_ids)
        rows = (
            Membership.objects.filter(
                # Who at the station hears of a new opinion: the people who accept it.
                role__in=sorted(roles_with(Capability.RUN_STATION)),
                station_path__in=stations.values("path"),
                user__is_active=True,
            )
            .annotate(
                station_id=Subquery(stations.filter(path=OuterRef("station_path")).values("pk"))
            )
            .values_list("station_id", "user_id")
        )
        for station_id, user_id in rows:
            staff.setdefault(station_id, set()).add(user_id)
    deputies: dict[int, Deputy] = {}
    if deputy_ids:
        deputies = {
            d.pk: d
            for d in Deputy.objects.filter(
                pk__in=deputy_ids, user__isnull=False, user__is_active=True
            ).select_related("user")
        }
    messages: list[Notification] = []
    for arrival in arrivals:
        label = f"{arrival.tracking_code} {arrival.title}"
        url = staff_case_url(arrival.case_id)
        about = subject_fields(Subject.ref(Case, arrival.case_id))
        deputy = deputies.get(arrival.deputy_id) if arrival.deputy_id is not None else None
        deputy_user_id = deputy.user_id if deputy is not None else None
        if deputy_user_id is not None and deputy_user_id != arrival.created_by_id:
            messages.append(
                Notification(
                    user_id=deputy_user_id,
                    title=(_("群众向您反映了意见：%(case)s") % {"case": label})[:200],
                    url=url,
                    **about,
                )
            )
        told = {deputy_user_id, arrival.created_by_id}
        for user_id in sorted(staff.get(arrival.station_id or 0, set()) - told):
            messages.append(
                Notification(
                    user_id=user_id,
                    title=(_("新意见待受理：%(case)s") % {"case": label})[:200],
                    url=url,
                    **about,
                )
            )
    notify_many(messages)
    for arrival in arrivals:
        deputy = deputies.get(arrival.deputy_id) if arrival.deputy_id is not None else None
        if deputy is not None and deputy.user_id != arrival.created_by_id:
            _tell_deputy(deputy=deputy, arrival=arrival)
    return len(messages)


def _tell_deputy(*, deputy: Deputy, arrival: Arrival) -> None:
    """SMS and e-mail through the configured backends. The text names the code only: the outbox
    is read by staff, and the opinion itself may carry the constituent's details."""
    user = deputy.user
    body = _(
        "【人大代表联络站】群众通过您的代表页面反映了一条意见（编号 %(code)s），"
        "请登录工作台“致我的意见”查看。"
    ) % {"code": arrival.tracking_code}
    phone = str(deputy.mobile or (user.phone if user is not None else ""))
    try:
        subject = Subject.ref(Case, arrival.case_id)
        send_sms(phone=phone, body=body, subject=subject)
        send_email(
            to=[user.email] if user is not None and user.email else [],
            title=_("新的群众意见：%(code)s") % {"code": arrival.tracking_code},
            body=body,
            subject=subject,
        )
    except Exception:  # the case is saved and the inbox written; a gateway failure is logged
        logger.exception("case %s: telling the deputy failed", arrival.tracking_code)
