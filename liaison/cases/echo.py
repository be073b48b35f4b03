"""The echo wall (民情回音墙): answered cases the person allowed to publish, personal data masked.

Masking happens on the text itself, not only on the contact fields: phone and ID numbers by
pattern (liaison.common.masking.mask_text), house numbers of addresses by pattern, and the
submitter's own name, phone and place wherever they occur in the title, content or reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.db.models import Q, QuerySet

from liaison.cases.models import Case, Category, Status
from liaison.common.masking import mask_name, mask_phone, mask_text
from liaison.regions.models import Region
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station

ECHO_STATUSES: Final = (Status.REPLIED, Status.EVALUATED, Status.CLOSED)
# "12号", "3栋", "2单元", "502室", "18号楼": the numbers that pin down a home.
ADDRESS_NUMBER_RE: Final = re.compile(r"\d+(?=\s*(?:号楼|号院|号|栋|幢|单元|楼|室|户|组|弄))")
MIN_OWN_TEXT: Final = 2  # a one-character name would mask every occurrence of that character


def echo_wall_cases(
    *,
    station: Station | None = None,
    region: Region | None = None,
    category: Category | None = None,
) -> QuerySet[Case]:
    """Published answered cases, newest reply first, with what each row shows joined in."""
    # `published_at` is kept by the moves (reply sets it when publishing is allowed, a reopen
    # clears it), so the wall is one walk of its index, newest first.
    cases = Case.objects.filter(published_at__isnull=False)
    if station is not None:
        cases = cases.filter(station=station)
    if region is not None:
        cases = cases.filter(region_subtree_q(region, field="region_id"))
    if category is not None:
        cases = cases.filter(
            Q(category=category) | Q(category__path__startswith=category.path + "/")
        )
    return cases.select_related("category", "station").order_by("-published_at", "-id")


def mask_public_text(text: str, *, name: str = "", phone: str = "", place: str = "") -> str:
    """Mask personal data in free text: the submitter's own details, then the patterns."""
    name, phone, place = name.strip(), phone.strip(), place.strip()
    if len(place) >= MIN_OWN_TEXT:
        text = text.replace(place, "*" * min(len(place), 8))
    if len(name) >= MIN_OWN_TEXT:
        text = text.replace(name, mask_name(name))
    if len(phone) >= 7:
        text = text.replace(phone, mask_phone(phone))
    text = mask_text(text)
    return ADDRESS_NUMBER_RE.sub(lambda m: "*" * len(m.group(0)), text)


@dataclass(frozen=True)
class EchoItem:
    """One echo-wall entry, already masked (the template escapes it like any text)."""

    title: str
    content: str
    reply: str
    kind_label: str
    category: str
    station: str
    submitted_at: datetime
    replied_at: datetime | None
    rating: str
    rating_label: str
    rating_score: int | None


def echo_item(case: Case) -> EchoItem:
    own = {"name": case.contact_name, "phone": case.contact_phone, "place": case.place}
    return EchoItem(
        title=mask_public_text(case.title, **own),
        content=mask_public_text(case.content, **own),
        reply=mask_public_text(case.reply, **own),
        kind_label=str(case.get_kind_display()),
        category=str(case.category) if case.category is not None else "",
        station=case.station.name if case.station is not None else "",
        submitted_at=case.submitted_at,
        replied_at=case.replied_at,
        rating=case.rating,
        rating_label=str(case.get_rating_display()) if case.rating else "",
        rating_score=case.rating_score,
    )
