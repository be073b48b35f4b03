"""The sections of a deputy's file (一人一档): one small function per section, each reading a
source app through its selectors, all returning the same plain `Section`.

The page, the Word document and the PDF are drawn from the same list, so they cannot disagree.
A section is added by writing one function and naming it in `SECTION_BUILDERS`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.activities.models import ActivityKind
from liaison.activities.rules import kind_labels, training_hours_required
from liaison.activities.selectors import verified_activities
from liaison.cases.models import Rating
from liaison.cases.selectors import cases_taken_by
from liaison.common.masking import mask_phone
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputy_assignments_in_year
from liaison.dutyreports.selectors import deputy_duty_reports
from liaison.grids.selectors import deputy_posts_in_year
from liaison.jurisdiction.selectors import setting_value
from liaison.points.selectors import deputy_points_summary
from liaison.receptions.place_settings import MIN_PER_YEAR
from liaison.receptions.selectors import duties_of
from liaison.suggestions.selectors import suggestions_of_deputy_in_year

# Rows a section shows on the page; the Word and PDF files carry them all. A deputy's year is
# a few dozen rows; the cap keeps the page bounded whatever the data.
PAGE_ROWS: Final = 100
NONE_YET: Final = "暂无"


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    facts: tuple[tuple[str, str], ...] = ()  # (label, value): the section's summary
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    note: str = ""  # shown when there is nothing else, e.g. 暂无

    @property
    def page_rows(self) -> tuple[tuple[str, ...], ...]:
        return self.rows[:PAGE_ROWS]

    @property
    def hidden_rows(self) -> int:
        return max(len(self.rows) - PAGE_ROWS, 0)


SectionBuilder = Callable[[Deputy, int], Section]


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _span(starts: datetime.date, ends: datetime.date | None) -> str:
    return f"{_day(starts)} 至 {_day(ends) or _('今')}"


def _hours(value: Decimal | None) -> str:
    text = f"{value or Decimal(0):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def basics(deputy: Deputy, year: int) -> Section:
    """Who the deputy is: the public fields, and the mobile masked (it is personal data)."""
    facts = (
        (_("姓名"), deputy.name),
        (_("性别"), str(deputy.get_gender_display())),
        (_("代表码"), deputy.code),
        (_("职业"), deputy.occupation),
        (_("工作单位及职务"), deputy.affiliation),
        (_("所属区划"), deputy.home_region.name if deputy.home_region else ""),
        (_("手机号"), mask_phone(deputy.mobile) if deputy.mobile else ""),
        (_("在任"), _("是") if deputy.is_active else _("否")),
    )
    return Section("basics", _("基本情况"), facts=facts)


def seats(deputy: Deputy, year: int) -> Section:
    """Seats and terms (prefetched with the deputy, highest level first): all of them."""
    rows = tuple(
        (
            str(seat.get_level_display()),
            seat.congress.name,
            _("第%(n)d届") % {"n": seat.term},
            seat.constituency,
            _span(seat.starts_on, seat.ends_on),
        )
        for seat in deputy.seats.all()
    )
    headers = (_("级别"), _("所属人大"), _("届次"), _("选区/选举单位"), _("任期"))
    return Section("seats", _("代表职务与届次"), headers=headers, rows=rows, note=NONE_YET)


def stations(deputy: Deputy, year: int) -> Section:
    rows = tuple(
        (a.station.name, str(a.get_kind_display()), a.rota, _span(a.starts_on, a.ends_on))
        for a in deputy_assignments_in_year(deputy=deputy, year=year)
    )
    headers = (_("联络站"), _("方式"), _("轮值安排"), _("期间"))
    return Section("stations", _("进站履职"), headers=headers, rows=rows, note=NONE_YET)


def posts(deputy: Deputy, year: int) -> Section:
    rows = tuple(
        (
            a.post.grid.name,
            a.post.name,
            a.post.grid.station.name if a.post.grid.station else "",
            _span(a.starts_on, a.ends_on),
        )
        for a in deputy_posts_in_year(deputy_id=deputy.pk, year=year)
    )
    headers = (_("网格"), _("岗位"), _("联络站"), _("期间"))
    return Section("posts", _("网格岗位"), headers=headers, rows=rows, note=NONE_YET)


def receptions(deputy: Deputy, year: int) -> Section:
    """Reception days on the rota in `year`, whether the deputy came, against the minimum."""
    duties = list(
        duties_of(
            deputy, since=datetime.date(year, 1, 1), until=datetime.date(year, 12, 31)
        ).prefetch_related(None)
    )
    present = sum(1 for d in duties if d.present)
    minimum = setting_value(key=MIN_PER_YEAR, region=deputy.home_region_id)
    came = {True: _("到场"), False: _("缺席"), None: _("未确认")}
    rows = tuple(
        (_day(d.day.date), d.day.station.name, d.day.place, str(came[d.present])) for d in duties
    )
    facts = (
        (_("安排接待"), _("%(n)d 次") % {"n": len(duties)}),
        (_("到场接待"), _("%(n)d 次（年度要求 %(m)s 次）") % {"n": present, "m": minimum}),
    )
    headers = (_("日期"), _("联络站"), _("地点"), _("到场"))
    return Section("receptions", _("接待选民"), facts, headers, rows, NONE_YET)


def activities(deputy: Deputy, year: int) -> Section:
    """Verified activities the deputy attended (only verified ones count, decision 0019)."""
    labels: dict[str, dict[str, str]] = {}
    rows = []
    for activity in verified_activities(deputy=deputy, year=year):
        if activity.region_id not in labels:
            labels[activity.region_id] = kind_labels(activity.region_id)
        kind = labels[activity.region_id].get(activity.kind, activity.kind)
        rows.append((_day(activity.starts_at), kind, activity.title, activity.station.name))
    facts = ((_("参加经核实的活动"), _("%(n)d 次") % {"n": len(rows)}),)
    headers = (_("日期"), _("类型"), _("主题"), _("联络站"))
    return Section("activities", _("履职活动"), facts, headers, tuple(rows), NONE_YET)


def training(deputy: Deputy, year: int) -> Section:
    courses = list(verified_activities(deputy=deputy, year=year).filter(kind=ActivityKind.TRAINING))
    hours = sum((c.hours or Decimal(0) for c in courses), Decimal(0))
    required = training_hours_required(deputy.home_region_id)
    rows = tuple(
        (_day(c.starts_at), c.title, str(c.get_course_kind_display()), _hours(c.hours))
        for c in courses
    )
    facts = (
        (
            _("培训学时"),
            _("%(h)s 学时（年度要求 %(r)s 学时）") % {"h": _hours(hours), "r": required},
        ),
    )
    headers = (_("日期"), _("课程"), _("课程类别"), _("学时"))
    return Section("training", _("学习培训"), facts, headers, rows, NONE_YET)


def cases(deputy: Deputy, year: int) -> Section:
    """Opinions handed to the deputy: how each ended and how the person rated it."""
    taken = list(cases_taken_by(deputy_id=deputy.pk, year=year))
    ratings = {value: sum(1 for c in taken if c.rating == value) for value in Rating.values}
    rows = tuple(
        (
            c.tracking_code,
            _day(c.submitted_at),
            c.title,
            str(c.get_status_display()),
            str(c.get_rating_display()) if c.rating else "",
        )
        for c in taken
    )
    facts = (
        (_("交办代表的民意"), _("%(n)d 件") % {"n": len(taken)}),
        (
            _("群众评价"),
            "；".join(f"{Rating(v).label} {n} 件" for v, n in ratings.items()),
        ),
    )
    headers = (_("编号"), _("日期"), _("标题"), _("办理结果"), _("评价"))
    return Section("cases", _("办理群众意见"), facts, headers, rows, NONE_YET)


def suggestions(deputy: Deputy, year: int) -> Section:
    rows = tuple(
        (
            str(s.number or ""),
            s.title,
            _day(s.submitted_at),
            s.lead_unit.name if s.lead_unit else "",
            str(s.get_status_display()),
            str(s.get_rating_display()) if s.rating else "",
        )
        for s in suggestions_of_deputy_in_year(deputy_id=deputy.pk, year=year)
    )
    headers = (_("编号"), _("标题"), _("提出日期"), _("主办单位"), _("办理状态"), _("代表评价"))
    return Section("suggestions", _("领衔提出的建议"), headers=headers, rows=rows, note=NONE_YET)


# --- duty points and duty reports ------------------------------------------------------------


def points(deputy: Deputy, year: int) -> Section:
    """The year's duty points: total, band, quarters and ranks (the ledger is on 我的积分)."""
    summary = deputy_points_summary(deputy=deputy, year=year)
    if not summary.entries:
        return Section("points", _("履职积分"), note=NONE_YET)

    def rank(value: int | None) -> str:
        return _("第 %(n)d 名") % {"n": value} if value is not None else "—"

    facts = (
        (_("年度积分"), f"{summary.total.normalize():f}（{summary.band_label}）"),
        (_("各季度"), "；".join(f"{q.normalize():f}" for q in summary.quarters)),
        (_("站内排名"), rank(summary.rank_station)),
        (_("乡镇（街道）排名"), rank(summary.rank_township)),
        (_("县（区）排名"), rank(summary.rank_county)),
        (_("积分记录"), _("%(n)d 条") % {"n": summary.entries}),
    )
    return Section("points", _("履职积分"), facts)


def duty_reports(deputy: Deputy, year: int) -> Section:
    """The year's duty reports to voters (held or published) and how the people present rated
    each (decision 0035: the counts are final once the rating window has closed)."""
    reports = deputy_duty_reports(deputy=deputy, year=year)
    rows = tuple(
        (
            _day(r.date),
            r.title,
            r.station,
            r.place,
            str(r.satisfied),
            str(r.basic),
            str(r.unsatisfied),
        )
        for r in reports
    )
    rated = sum(r.ratings for r in reports)
    satisfied = sum(r.satisfied + r.basic for r in reports)
    facts: tuple[tuple[str, str], ...] = ()
    if reports:
        share = f"{satisfied * 100 // rated}%" if rated else "—"
        facts = (
            (_("述职次数"), str(len(reports))),
            (_("评价人次"), str(rated)),
            (_("满意和基本满意"), share),
        )
    headers = (
        _("日期"), _("题目"), _("联络站"), _("地点"), _("满意"), _("基本满意"), _("不满意"),
    )  # fmt: skip
    return Section("duty_reports", _("述职评议"), facts, headers, rows, NONE_YET)


SECTION_BUILDERS: Final[tuple[SectionBuilder, ...]] = (
    basics,
    seats,
    stations,
    posts,
    receptions,
    activities,
    training,
    cases,
    suggestions,
    points,
    duty_reports,
)


def deputy_file_sections(deputy: Deputy, *, year: int) -> list[Section]:
    """Every section of the deputy's file for `year`, in the order of the file."""
    return [build(deputy, year) for build in SECTION_BUILDERS]
