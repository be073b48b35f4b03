"""The one public lookup of a case by its tracking code and PIN, for the phone pages and the API.

Both faces ask `case_by_tracking_code` and differ only in how they answer: the tracking page
remembers the code in the session and shows the case; `GET|POST /api/v1/public/cases/{code}`
returns the status as JSON. The rules are the same for both because they are here once:

- the code is read as people type it off an SMS (spaces, dashes, lower case);
- a code the public API handed out whose case is still in the journal is moved now, so a person
  never holds a code that does not work (decision 0006);
- the PIN is checked against the per-code failure limit (`PinGuard`, services/pins.py): an
  unknown code and a wrong PIN are the same answer, and a locked code refuses every PIN.

Counting the caller's address against the rate limit stays with the face (it has the request).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from liaison.cases.models import Case
from liaison.cases.services.intake import normalize_tracking_code
from liaison.cases.services.journal import intake_entry_settle
from liaison.cases.services.pins import PinVerdict, pin_verify


@dataclass(frozen=True)
class TrackingLookup:
    """The verdict on the PIN, the normalized code, and the case (only when the PIN is right)."""

    verdict: PinVerdict
    code: str
    case: Case | None


def case_by_tracking_code(*, code: str, pin: str, only: Sequence[str] = ()) -> TrackingLookup:
    """The case whose tracking code is `code` (as typed) if `pin` is its PIN. `only`: the
    columns the caller needs (the tracking form needs none but the PIN's)."""
    code = normalize_tracking_code(code)
    cases = Case.objects.filter(tracking_code=code)
    if only:
        cases = cases.only("tracking_code", "pin_digest", *only)
    case = cases.first() if code else None
    if case is None and code and intake_entry_settle(tracking_code=code):
        case = cases.first()  # just out of the API's journal
    verdict = pin_verify(case=case, pin=pin)
    return TrackingLookup(
        verdict=verdict, code=code, case=case if verdict is PinVerdict.OK else None
    )


# What the tracking page shows and decides with (`facts_of`, `case_texts_masked`, the template):
# a case row has 51 columns (and its station and category theirs), and compiling every one of
# them was a third of the page's time; a field missing here costs one query more, which the
# page's query-count test catches (issue 16).
TRACKING_PAGE_FIELDS = (
    "tracking_code",
    "pin_digest",
    "kind",
    "title",
    "content",
    "contact_name",
    "contact_phone",
    "region_id",
    "status",
    "version",
    "submitted_at",
    "relayed_at",
    "replied_at",
    "reply",
    "rating",
    "rating_comment",
    "station__name",
    "category__path",
)


def case_for_tracking_page(*, code: str) -> Case | None:
    """The case of a normalized tracking code with what its tracking page shows, or None."""
    # `get`, not `first`: the code is unique, and ordering by id was one more clause to compile.
    try:
        return (
            Case.objects.select_related("station", "category")
            .only(*TRACKING_PAGE_FIELDS)
            .get(tracking_code=code)
        )
    except Case.DoesNotExist:
        return None
