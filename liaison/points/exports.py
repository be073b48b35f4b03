"""The quarterly bulletin (积分公示) as xlsx and docx, declared once for both."""

from __future__ import annotations

from django.utils.translation import gettext as _

from liaison.common.exports import Column, Document, Table, table_block
from liaison.points.selectors import BulletinRow


def bulletin_columns() -> list[Column[BulletinRow]]:
    return [
        Column(_("名次"), lambda r: r.rank, width=8),
        Column(_("代表"), lambda r: r.name, width=16),
        Column(_("本季度积分"), lambda r: float(r.points), width=12),
        Column(_("年度累计积分"), lambda r: float(r.year_to_date), width=14),
        Column(_("等次"), lambda r: r.band_label, width=8),
    ]


def bulletin_title(*, scope_label: str, year: int, quarter: int) -> str:
    return _("%(scope)s%(year)d年第%(q)d季度代表履职积分公示") % {
        "scope": scope_label, "year": year, "q": quarter,
    }  # fmt: skip


def bulletin_table(rows: list[BulletinRow], *, title: str) -> Table[BulletinRow]:
    return Table(
        columns=bulletin_columns(),
        rows=rows,
        title=title,
        subtitle=_("积分按辖区积分规则计算，仅计已核实的履职记录；并列者名次相同。"),
        sheet_name=_("积分公示"),
    )


def bulletin_document(rows: list[BulletinRow], *, title: str) -> Document:
    table = bulletin_table(rows, title=title)
    return Document(title=title, blocks=[table_block(table)], subtitle=table.subtitle)
