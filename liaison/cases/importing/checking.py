"""Checking every row of a work-order table before anything is written, then writing them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.cases.importing.columns import _DATE_FORMATS, COLUMNS, KIND_WORDS, MAX_ROWS
from liaison.cases.importing.reading import ImportFileError, map_headers
from liaison.cases.intake_spec import MAX_CHANNEL_REF, TEXT_LIMITS
from liaison.cases.models import Case, Channel
from liaison.cases.services.intake import case_submit
from liaison.cases.services.intake_checks import (
    MOBILE_RE,
    normalize_phone,
    normalize_text,
    too_long_message,
)
from liaison.common.text import text_clean, text_problem
from liaison.regions.models import Region
from liaison.stations.selectors import normalize_region_code, stations_visible_to

# Columns whose cells may hold line breaks and tabs; every other cell is one line.
MULTI_LINE_COLUMNS = frozenset({"content"})


@dataclass
class Problem:
    line: int
    field: str
    message: str
    level: str = "error"  # or "skipped"

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]


@dataclass
class Checked:
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


# --- checking rows ---------------------------------------------------------------------------


def _parse_when(value: Any) -> datetime.datetime | None:
    moment: datetime.datetime | None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(9, 0))
    else:
        text = str(value).strip()
        moment = None
        for fmt in _DATE_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _place_lookup(user: Any, rows: list[ParsedRow]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stations (by code and by name) and regions (by code and by name) the rows mention."""

    station_keys = {str(r.values.get("station", "")) for r in rows} - {""}
    region_keys = {str(r.values.get("region", "")) for r in rows} - {""}
    stations: dict[str, Any] = {}
    if station_keys:
        for station in (
            stations_visible_to(user)
            .filter(Q(code__in=station_keys) | Q(name__in=station_keys))
            .select_related("region")
        ):
            stations[station.code] = station
            stations[station.name] = station
    regions: dict[str, Any] = {}
    if region_keys:
        codes = {normalize_region_code(k): k for k in region_keys}
        for region in Region.objects.filter(Q(code__in=codes) | Q(name__in=region_keys)):
            regions[codes.get(region.code, region.code)] = region
            # A name shared by several regions (e.g. 城关镇) is ambiguous: keep none.
            regions[region.name] = None if region.name in regions else region
    return stations, regions


def _check_row(row: ParsedRow, checked: Checked, refs: dict[str, int]) -> None:

    v, line = row.values, row.line
    label = {c.key: c.header for c in COLUMNS}

    def bad(key: str, message: str) -> None:
        checked.problems.append(Problem(line, label[key], message))

    def too_long(*, key: str, value: str) -> None:
        length = len(normalize_text(key, value))
        if length > TEXT_LIMITS[key]:
            bad(key, too_long_message(label=label[key], limit=TEXT_LIMITS[key], length=length))

    # Control characters (the same rule as every other channel); the file is refused, and the
    # cell is cleaned so that the checks below and the report never carry them.
    for key, value in list(v.items()):
        if isinstance(value, str):
            problem = text_problem(
                value, label=label.get(key, key), multiline=key in MULTI_LINE_COLUMNS
            )
            if problem is not None:
                bad(key, problem)
                v[key] = text_clean(value)

    ref = str(v.get("ref", ""))
    if not ref:
        bad("ref", _("工单编号不能为空"))
    elif len(ref) > MAX_CHANNEL_REF:
        bad("ref", _("工单编号不能超过 %(n)d 个字符") % {"n": MAX_CHANNEL_REF})
    elif ref in refs:
        bad("ref", _("与第 %(n)d 行的工单编号重复") % {"n": refs[ref]})
    else:
        refs[ref] = line
    when = _parse_when(v.get("received_at", ""))
    if when is None:
        bad("received_at", _("无法识别的时间：%(v)s") % {"v": v.get("received_at") or _("（空）")})
    elif when > timezone.now() + datetime.timedelta(minutes=5):
        bad("received_at", _("来电时间不能晚于现在"))
    v["received_at"] = when
    kind = KIND_WORDS.get(str(v.get("kind", "")))
    if kind is None:
        bad("kind", _("诉求类型应为咨询、求助、投诉或建议，而不是“%(v)s”") % {"v": v.get("kind")})
    v["kind"] = kind
    # The limits and their wording are the intake checks' (the same numbers on every face).
    content = str(v.get("content", ""))
    if not content:
        bad("content", _("诉求内容不能为空"))
    else:
        too_long(key="content", value=content)
    title = str(v.get("title", "")) or content[:30]
    too_long(key="title", value=title)
    v["title"] = title
    phone = normalize_phone(str(v.get("contact_phone", "")))
    if phone and not MOBILE_RE.match(phone):
        bad("contact_phone", _("联系电话应为 11 位手机号：%(v)s") % {"v": v.get("contact_phone")})
    v["contact_phone"] = phone
    too_long(key="contact_name", value=str(v.get("contact_name", "")))
    too_long(key="place", value=str(v.get("place", "")))


def _check_place(row: ParsedRow, checked: Checked, user: Any, lookups: Any) -> None:

    stations, regions = lookups
    v = row.values
    station_key, region_key = str(v.get("station", "")), str(v.get("region", ""))
    v["station"], v["region"] = None, None
    if station_key:
        station = stations.get(station_key)
        if station is None:
            checked.problems.append(
                Problem(
                    row.line, "联络站", _("未找到联络站或不在您的辖区：%(v)s") % {"v": station_key}
                )
            )
        v["station"] = station
        return
    if not region_key:
        checked.problems.append(Problem(row.line, "所属区划", _("联络站和所属区划至少填一项")))
        return
    region = regions.get(region_key)
    if region is None:
        checked.problems.append(
            Problem(row.line, "所属区划", _("未找到区划或名称不唯一：%(v)s") % {"v": region_key})
        )
    elif not capability_scope(user, Capability.WORK_CASES).covers_region(region.code):
        checked.problems.append(
            Problem(row.line, "所属区划", _("该区划不在您的辖区：%(v)s") % {"v": region_key})
        )
    else:
        v["region"] = region


def check_table(table: list[list[Any]], *, user: Any) -> Checked:
    """Every row checked against the columns, the file itself and the database; nothing written."""
    rows_in = [r for r in table if any(str(c).strip() for c in r if c is not None)]
    if not rows_in:
        raise ImportFileError(_("文件是空的。"))
    columns = map_headers(rows_in[0])
    checked = Checked()
    for offset, raw in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in raw if c is not None):
            continue
        values = {key: (raw[i] if i < len(raw) else "") for key, i in columns.items()}
        checked.rows.append(ParsedRow(offset, values))
    checked.total = len(checked.rows)
    if not checked.rows:
        raise ImportFileError(_("文件只有表头，没有数据行。"))
    if checked.total > MAX_ROWS:
        raise ImportFileError(_("一次最多导入 %(n)d 行，请分批导入。") % {"n": MAX_ROWS})
    refs: dict[str, int] = {}
    for row in checked.rows:
        _check_row(row, checked, refs)
    lookups = _place_lookup(user, checked.rows)
    for row in checked.rows:
        _check_place(row, checked, user, lookups)
    existing = set(
        Case.objects.filter(channel=Channel.HOTLINE, channel_ref__in=list(refs)).values_list(
            "channel_ref", flat=True
        )
    )
    for row in checked.rows:
        if row.values.get("ref") in existing:
            row.values["exists"] = True
            checked.problems.append(Problem(row.line, "工单编号", _("已存在，跳过"), "skipped"))
    checked.problems.sort(key=lambda p: (p.line, p.level))
    return checked


def import_rows(rows: Iterable[ParsedRow], *, user: Any) -> int:
    """Create the cases of checked rows in one transaction; returns how many were created."""

    created = 0
    with transaction.atomic():
        for row in rows:
            v = row.values
            if v.get("exists"):
                continue
            try:
                result = case_submit(
                    actor=user,
                    channel=Channel.HOTLINE,
                    channel_ref=v["ref"],
                    kind=v["kind"],
                    title=v["title"],
                    content=v["content"],
                    station=v["station"],
                    region=v["region"],
                    place=str(v.get("place", "")),
                    contact_name=str(v.get("contact_name", "")),
                    contact_phone=v["contact_phone"],
                    submitted_at=v["received_at"],
                )
            except ValidationError as exc:
                raise RowRefused(row.line, "；".join(exc.messages)) from exc
            created += int(result.created)
    return created


class RowRefused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message
