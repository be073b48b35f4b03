"""The registers of one station and one year (一册一表一簿三台账), each as xlsx bytes.

The 代表花名册 is declared here; every other register is the source app's own builder called
with the station and the year, so a register has one set of official columns wherever it is
downloaded. `PARTS` lists them in the order of the zip, with the Chinese file names.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.activities import exports as activity_exports
from liaison.cases import exports as case_exports
from liaison.common.exports import Column, Table, table_xlsx
from liaison.common.masking import mask_phone
from liaison.deputies.models import DeputyLevel, Seat, StationDeputy
from liaison.deputies.selectors import SEAT_RANK
from liaison.grids import exports as grid_exports
from liaison.grids.selectors import station_post_assignments_in_year
from liaison.receptions import exports as reception_exports
from liaison.stations.models import Station
from liaison.suggestions import exports as suggestion_exports
from liaison.suggestions.selectors import suggestions_of_station_in_year

CHUNK: Final = 1000


@dataclass(frozen=True)
class Scope:
    """What one register is asked for: a station, a year, and whose view the rows follow."""

    station: Station
    year: int
    user: User

    @property
    def label(self) -> str:
        return _("%(station)s，%(year)d 年") % {"station": self.station.name, "year": self.year}


# --- 代表花名册 ----------------------------------------------------------------------------------

RosterRow = tuple[int, StationDeputy]


def _seats(a: StationDeputy) -> list[Seat]:
    rows: list[Seat] = getattr(a.deputy, "roster_seats", [])
    return rows


def _levels(a: StationDeputy) -> str:
    order = list(DeputyLevel.values)
    levels = sorted({s.level for s in _seats(a)}, key=order.index)
    return "、".join(str(DeputyLevel(level).label) for level in levels)


def _congress_terms(a: StationDeputy) -> str:
    return "、".join(f"{s.congress.name}第{s.term}届" for s in _seats(a))


def _constituencies(a: StationDeputy) -> str:
    return "、".join(dict.fromkeys(s.constituency for s in _seats(a) if s.constituency))


def _period(a: StationDeputy) -> str:
    ends = a.ends_on.isoformat() if a.ends_on else _("今")
    return f"{a.starts_on.isoformat()} 至 {ends}"


# The deputies models hold no ethnicity, birth date, party or education: the roster lists what
# the platform records and nothing invented (decision 0037).
ROSTER_COLUMNS: Final[tuple[Column[RosterRow], ...]] = (
    Column("序号", lambda r: r[0], width=6),
    Column("姓名", lambda r: r[1].deputy.name, width=10),
    Column("性别", lambda r: str(r[1].deputy.get_gender_display()), width=6),
    Column("代表码", lambda r: r[1].deputy.code, width=12),
    Column("代表层级", lambda r: _levels(r[1]), width=24),
    Column("所属人大及届次", lambda r: _congress_terms(r[1]), width=30),
    Column("选区/选举单位", lambda r: _constituencies(r[1]), width=20),
    Column("职业", lambda r: r[1].deputy.occupation, width=14),
    Column("工作单位及职务", lambda r: r[1].deputy.affiliation, width=30),
    Column("进站方式", lambda r: str(r[1].get_kind_display()), width=8),
    Column("进站期间", lambda r: _period(r[1]), width=24),
    Column(
        "联系电话",
        lambda r: r[1].deputy.mobile,
        width=14,
        personal=True,
        masked=lambda r: mask_phone(r[1].deputy.mobile) if r[1].deputy.mobile else "",
    ),
)


def roster_assignments(*, station: Station, year: int) -> QuerySet[StationDeputy]:
    """Deputies assigned to the station at some time in `year`, by name."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    seats = Seat.objects.select_related("congress").order_by(SEAT_RANK, "-starts_on")
    return (
        StationDeputy.objects.filter(station=station, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("deputy")
        .prefetch_related(Prefetch("deputy__seats", queryset=seats, to_attr="roster_seats"))
        .order_by("deputy__name", "deputy_id", "starts_on")
    )


def roster_xlsx(scope: Scope) -> tuple[bytes, int]:
    """代表花名册: the mobile column is always masked here (decision 0037)."""

    def rows() -> Iterator[RosterRow]:
        assignments = roster_assignments(station=scope.station, year=scope.year)
        yield from enumerate(assignments.iterator(chunk_size=CHUNK), start=1)

    table = Table(
        columns=ROSTER_COLUMNS,
        rows=rows(),
        title=_("代表花名册"),
        subtitle=scope.label,
        sheet_name="代表花名册",
        mask=True,
    )
    return table_xlsx(table)


# --- the registers of the other apps ---------------------------------------------------------


def reception_xlsx(scope: Scope) -> tuple[bytes, int]:
    days = reception_exports.register_days(year=scope.year, station_id=scope.station.pk)
    return reception_exports.register_xlsx(days, title=_("代表接待登记簿"), subtitle=scope.label)


def activity_xlsx(scope: Scope) -> tuple[bytes, int]:
    rows = activity_exports.register_activities(scope.user, year=scope.year, station=scope.station)
    return activity_exports.activity_register_xlsx(
        rows, title=_("履职活动台账（%(s)s）") % {"s": scope.label}
    )


def training_xlsx(scope: Scope) -> tuple[bytes, int]:
    rows = activity_exports.register_training(scope.user, year=scope.year, station=scope.station)
    return activity_exports.training_register_xlsx(
        rows, title=_("学习培训台账（%(s)s）") % {"s": scope.label}
    )


def opinion_xlsx(scope: Scope) -> tuple[bytes, int]:
    """民意台账 of the station's cases, the person masked (the zip is never the place to ask
    for clear names: the ledger page is, with its own check and audit)."""
    cases = case_exports.ledger_cases(
        scope.user,
        date_from=datetime.date(scope.year, 1, 1),
        date_to=datetime.date(scope.year, 12, 31),
    ).filter(station=scope.station)
    return case_exports.ledger_xlsx(
        cases, mask=True, title=_("民意台账（%(s)s）") % {"s": scope.label}
    )


def suggestion_xlsx(scope: Scope) -> tuple[bytes, int]:
    rows = suggestions_of_station_in_year(station_id=scope.station.pk, year=scope.year)
    table = Table(
        suggestion_exports.REGISTER_COLUMNS,
        suggestion_exports.register_rows(rows),
        title=_("代表建议台账"),
        subtitle=scope.label,
        sheet_name="建议台账",
    )
    return table_xlsx(table)


def grid_xlsx(scope: Scope) -> tuple[bytes, int]:
    rows = station_post_assignments_in_year(station_id=scope.station.pk, year=scope.year)
    return grid_exports.register_xlsx(rows.iterator(chunk_size=CHUNK), subtitle=scope.label)


# (file name inside the zip, builder). Numbered so that the files sort in the register order.
PARTS: Final[tuple[tuple[str, Callable[[Scope], tuple[bytes, int]]], ...]] = (
    ("01_代表花名册.xlsx", roster_xlsx),
    ("02_代表接待登记簿.xlsx", reception_xlsx),
    ("03_履职活动台账.xlsx", activity_xlsx),
    ("04_学习培训台账.xlsx", training_xlsx),
    ("05_民意台账.xlsx", opinion_xlsx),
    ("06_代表建议台账.xlsx", suggestion_xlsx),
    ("07_网格岗位台账.xlsx", grid_xlsx),
)
