"""The echo wall (民情回音墙): answered cases the person allowed to publish, personal data masked.

The text is masked by the one masking of every page (`liaison.cases.free_text.case_texts_masked`,
rules in `liaison.common.masking`): phone, ID and bank card numbers, names and the numbers of a
home, while communities, roads and everything else stay readable. The case's `place` is not
blotted out wholesale any more: that turned "麓山小区顶楼屋面漏水" into "********顶楼屋面漏水"
(a place is not a person); its house numbers are masked like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Final

from django.db.models import Q, QuerySet

from liaison.cases.free_text import case_texts_masked
from liaison.cases.models import Case, Status
from liaison.common.pagecache import fragment_digest
from liaison.regions.models import Region
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station
from liaison.taxonomy.models import Category

ECHO_STATUSES: Final = (Status.REPLIED, Status.EVALUATED, Status.CLOSED)


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
    # Only what an entry shows (and masks out): a case row is wide (encrypted contact fields,
    # milestones, the sealed original text), and twenty of them with their joins were most of the
    # wall's time.
    return (
        cases.select_related("category", "station")
        .only(*ECHO_FIELDS)
        .order_by("-published_at", "-id")
    )


ECHO_FIELDS: Final = (
    "title",
    "content",
    "reply",
    "contact_name",
    "contact_phone",
    "kind",
    "submitted_at",
    "replied_at",
    "published_at",
    "rating",
    "rating_score",
    "category__path",
    "station__name",
)


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
    texts = case_texts_masked(case)
    return EchoItem(
        title=texts.title,
        content=texts.content,
        reply=texts.reply,
        kind_label=str(case.get_kind_display()),
        category=str(case.category) if case.category is not None else "",
        station=case.station.name if case.station is not None else "",
        submitted_at=case.submitted_at,
        replied_at=case.replied_at,
        rating=case.rating,
        rating_label=str(case.get_rating_display()) if case.rating else "",
        rating_score=case.rating_score,
    )


class EchoRow:
    """A case on the wall, made into an `EchoItem` only when its rendered entry is not cached.

    Masking and rendering twenty entries cost more than the rest of the wall. The entry is a
    template fragment (echo.html) keyed by `key`: a digest of everything `echo_item` and the
    entry read — the case's texts, the submitter's name and phone (masked out of them), kind,
    category, station, dates, rating — and of the language and time zone. Any change to any of
    them is another key, so a cached entry is never stale; an entry nobody asks for expires.
    """

    def __init__(self, case: Case) -> None:
        self.case = case

    @cached_property
    def item(self) -> EchoItem:
        return echo_item(self.case)

    @cached_property
    def key(self) -> str:
        case = self.case
        return fragment_digest(
            case.pk,
            case.title,
            case.content,
            case.reply,
            case.contact_name or "",
            case.contact_phone or "",
            case.kind,
            str(case.category) if case.category is not None else "",
            case.station.name if case.station is not None else "",
            case.submitted_at,
            case.replied_at,
            case.rating,
            case.rating_score,
        )
