"""From a checked submission to a case: the one place a case's intake fields are filled in.

Every channel ends here. The phone form, staff intake and the 12345 import reach `case_build`
through `case_submit` (services/intake.py) in their request; the public API's submissions reach
it through the journal's mover (services/journal_move.py) a moment after their answer. So a case
looks the same whichever way it came in: the texts split into masked and sealed parts
(free_text.py), the accept deadline counted from when the platform received it, consent stamped
at that time, the category hint (or the mark that the worker still owes one).

`Submission` is what the intake checks hand over (`intake_checks.validate_submission`) and what
the journal seals (`payload` / `from_payload`, the journal's stored format: keep its keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from liaison.cases.classification import CategoryHint, hint_fields
from liaison.cases.deadlines import accept_due_cached
from liaison.cases.free_text import free_text_split
from liaison.cases.models import Case, CaseEvent, EventKind
from liaison.cases.services.common import case_event
from liaison.deputies.models import Deputy
from liaison.regions.models import Region
from liaison.stations.models import Station
from liaison.taxonomy.models import Category


@dataclass(frozen=True)
class Submission:
    """A submission that passed the intake checks: texts stripped, the phone normalized, the
    name dropped for an anonymous one, the station and region decided."""

    kind: str
    title: str
    content: str
    place: str
    region_id: str
    station_id: int | None
    deputy_id: int | None
    contact_name: str
    contact_phone: str
    is_anonymous: bool
    allow_publish: bool
    consent: bool
    # The rows when the caller has them loaded, so that the new case holds them and nothing
    # reads them again (a submission from the journal has the ids only).
    region: Region | None = field(default=None, compare=False, repr=False)
    station: Station | None = field(default=None, compare=False, repr=False)
    deputy: Deputy | None = field(default=None, compare=False, repr=False)

    def payload(self) -> dict[str, Any]:
        """The journal's sealed payload (without the PIN the journal adds)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "content": self.content,
            "place": self.place,
            "region": self.region_id,
            "station": self.station_id,
            "deputy": self.deputy_id,
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "is_anonymous": self.is_anonymous,
            "allow_publish": self.allow_publish,
            "consent": self.consent,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Submission:
        """The submission a journal payload holds (checked when it was journaled)."""
        return cls(
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            place=data["place"],
            region_id=data["region"],
            station_id=data["station"],
            deputy_id=data["deputy"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            is_anonymous=data["is_anonymous"],
            allow_publish=data["allow_publish"],
            consent=data["consent"],
        )


def case_build(
    *,
    submission: Submission,
    tracking_code: str,
    pin_digest: str,
    channel: str,
    received_at: datetime,
    submitted_at: datetime | None = None,
    channel_ref: str = "",
    client_token: str | None = None,
    category: Category | None = None,
    created_by: Any = None,
    hint: CategoryHint | None = None,
    hint_pending: bool = True,
) -> Case:
    """The unsaved case of a submission. `received_at`: when the platform took it in (consent,
    the accept deadline); `submitted_at`: when the person spoke (a 12345 call), by default the
    same."""
    # Phone, ID and bank card numbers typed into the text are stored masked, the text as typed
    # encrypted (liaison/cases/free_text.py).
    title, content, free_text_private = free_text_split(
        title=submission.title, content=submission.content
    )
    case = Case(
        **hint_fields(hint),
        hint_pending=hint_pending,
        tracking_code=tracking_code,
        pin_digest=pin_digest,
        client_token=client_token,
        kind=submission.kind,
        title=title,
        content=content,
        free_text_private=free_text_private,
        category=category,
        channel=channel,
        channel_ref=channel_ref,
        place=submission.place,
        region_id=submission.region_id,
        station_id=submission.station_id,
        deputy_id=submission.deputy_id,
        contact_name=submission.contact_name,
        contact_phone=submission.contact_phone,
        contact_phone_tail=submission.contact_phone[-4:],
        is_anonymous=submission.is_anonymous,
        allow_publish=submission.allow_publish,
        consent_at=received_at if submission.consent else None,
        submitted_at=submitted_at or received_at,
        # Counted from when the platform receives the case, not from `submitted_at`: a 12345
        # ticket imported days after the call keeps the call time for statistics but gets its
        # full time to be accepted (decision 0011).
        accept_due=accept_due_cached(region=submission.region_id, submitted_at=received_at),
        created_by=created_by,
    )
    for name in ("region", "station", "deputy"):
        row = getattr(submission, name)
        if row is not None:
            setattr(case, name, row)
    return case


def submitted_event(case: Case, *, role: str, at: datetime) -> CaseEvent:
    """The unsaved SUBMITTED event of a new case (public: the person sees it when tracking)."""
    channel_ref = case.channel_ref
    return case_event(
        case,
        EventKind.SUBMITTED,
        # The account that typed it in (staff intake, import) is on the row already; no query.
        actor=case.created_by if case.created_by_id else None,
        role=role,
        to_status=case.status,
        note=_("意见已提交（%(channel)s）") % {"channel": case.get_channel_display()},
        data={"channel": case.channel, "channel_ref": channel_ref} if channel_ref else {},
        public=True,
        at=at,
    )
