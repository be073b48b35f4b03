"""The files of the grids pages: 网格岗位台账 and the three coverage lists, as declared columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from liaison.common.exports import Column, Table, table_xlsx
from liaison.deputies.models import Deputy
from liaison.grids.duty_kinds import DutyKindNames
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.grids.selectors import deputy_levels


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def register_columns(names: DutyKindNames) -> list[Column[PostAssignment]]:
    """网格, 岗位, 职责类型, 代表, 代表层级, 上岗日期, 离岗日期 (the official order)."""
    return [
        Column("网格", lambda a: a.post.grid.name, width=24),
        Column("岗位", lambda a: a.post.name, width=24),
        Column("职责类型", lambda a: names.name(a.post.duty_kind, a.post.grid.region_id), width=14),
        Column("代表", lambda a: a.deputy.name, width=12),
        Column("代表层级", lambda a: "、".join(deputy_levels(a.deputy)), width=28),
        Column("上岗日期", lambda a: _date(a.starts_on), width=12),
        Column("离岗日期", lambda a: _date(a.ends_on), width=12),
    ]


def register_xlsx(rows: Iterable[PostAssignment], *, subtitle: str) -> tuple[bytes, int]:
    table = Table(
        register_columns(DutyKindNames()),
        rows,
        title="网格岗位台账",
        subtitle=subtitle,
        sheet_name="网格岗位台账",
    )
    return table_xlsx(table)


def short_posts_xlsx(rows: Iterable[Post], *, subtitle: str) -> tuple[bytes, int]:
    names = DutyKindNames()
    columns: list[Column[Post]] = [
        Column("网格", lambda p: p.grid.name, width=24),
        Column("所在区划", lambda p: p.grid.region.name, width=16),
        Column("联络站", lambda p: p.grid.station.name if p.grid.station else "", width=24),
        Column("岗位", lambda p: p.name, width=24),
        Column("职责类型", lambda p: names.name(p.duty_kind, p.grid.region_id), width=14),
        Column("所需代表数", lambda p: p.needed, width=10),
        Column("在岗代表数", lambda p: getattr(p, "on_duty", 0), width=10),
        Column("缺额", lambda p: p.needed - getattr(p, "on_duty", 0), width=8),
    ]
    return table_xlsx(
        Table(columns, rows, title="缺少代表的岗位", subtitle=subtitle, sheet_name="缺少代表的岗位")
    )


def empty_grids_xlsx(rows: Iterable[Grid], *, subtitle: str) -> tuple[bytes, int]:
    columns: list[Column[Grid]] = [
        Column("网格", lambda g: g.name, width=24),
        Column("所在区划", lambda g: g.region.name, width=16),
        Column("联络站", lambda g: g.station.name if g.station else "", width=24),
        Column("岗位数", lambda g: getattr(g, "post_count", 0), width=8),
    ]
    return table_xlsx(
        Table(columns, rows, title="无代表在岗的网格", subtitle=subtitle, sheet_name="无代表网格")
    )


def idle_deputies_xlsx(rows: Iterable[Deputy], *, subtitle: str) -> tuple[bytes, int]:
    columns: list[Column[Deputy]] = [
        Column("代表", lambda d: d.name, width=12),
        Column("代表码", lambda d: d.code, width=14),
        Column("代表层级", lambda d: "、".join(deputy_levels(d)), width=28),
        Column("所属区划", lambda d: d.home_region.name if d.home_region else "", width=16),
        Column("工作单位及职务", lambda d: d.affiliation, width=30),
    ]
    return table_xlsx(
        Table(columns, rows, title="未上岗的代表", subtitle=subtitle, sheet_name="未上岗代表")
    )


COVERAGE_KINDS: Final = ("posts", "grids", "deputies")
