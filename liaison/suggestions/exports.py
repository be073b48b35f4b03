"""The suggestion register (建议台账) and the session's handling report (办理情况报告), declared
for the export kit (`liaison.common.exports`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.common.exports import Block, Column, Document, Table, table_block
from liaison.suggestions.models import (
    CongressSession,
    Cosigner,
    Suggestion,
    SuggestionUnit,
)
from liaison.suggestions.stats import SessionSummary, UnitRow

Row = tuple[int, Suggestion]


def _date(value: object) -> object:
    return timezone.localdate(value) if value is not None else None  # type: ignore[arg-type]


def _cosigners(s: Suggestion) -> str:
    rows: list[Cosigner] = getattr(s, "confirmed_cosigners", [])
    return "、".join(c.deputy.name for c in rows)


def _co_units(s: Suggestion) -> str:
    rows: list[SuggestionUnit] = getattr(s, "co_handling", [])
    return "、".join(u.unit.name for u in rows)


def _on_time(s: Suggestion) -> str:
    if s.answered_at is None:
        return ""
    return _("逾期") if s.answered_late else _("按期")


REGISTER_COLUMNS: Final[tuple[Column[Row], ...]] = (
    Column("序号", lambda r: r[0], width=6),
    Column("建议编号", lambda r: r[1].number, width=8),
    Column("建议标题", lambda r: r[1].title, width=40),
    Column("领衔代表", lambda r: r[1].author.name, width=10),
    Column("附议代表", lambda r: _cosigners(r[1]), width=20),
    Column("类型", lambda r: str(r[1].get_kind_display()), width=10),
    Column("分类", lambda r: r[1].category.name if r[1].category else "", width=14),
    Column("提出日期", lambda r: _date(r[1].submitted_at), width=12),
    Column("主办单位", lambda r: r[1].lead_unit.name if r[1].lead_unit else "", width=20),
    Column("协办单位", lambda r: _co_units(r[1]), width=24),
    Column("交办日期", lambda r: _date(r[1].assigned_at), width=12),
    Column("答复期限", lambda r: r[1].answer_due, width=12),
    Column("答复日期", lambda r: _date(r[1].answered_at), width=12),
    Column("是否按期", lambda r: _on_time(r[1]), width=8),
    Column("办理类别", lambda r: r[1].grade, width=8),
    Column("承诺解决日期", lambda r: r[1].promised_on, width=12),
    Column("代表评价", lambda r: str(r[1].get_rating_display()) if r[1].rating else "", width=10),
    Column("重点督办", lambda r: _("是") if r[1].is_priority else "", width=8),
    Column("办理状态", lambda r: str(r[1].get_status_display()), width=10),
)


def register_rows(rows: QuerySet[Suggestion]) -> Iterable[Row]:
    """The rows in number order, with co-signers and co-handling units prefetched (3 queries)."""
    prefetched = rows.select_related("author", "lead_unit", "category").prefetch_related(
        Prefetch(
            "cosigners",
            queryset=Cosigner.objects.filter(state=Cosigner.State.CONFIRMED).select_related(
                "deputy"
            ),
            to_attr="confirmed_cosigners",
        ),
        Prefetch(
            "units",
            queryset=SuggestionUnit.objects.filter(is_current=True, is_lead=False).select_related(
                "unit"
            ),
            to_attr="co_handling",
        ),
    )
    return enumerate(prefetched.order_by("number", "pk").iterator(chunk_size=1000), start=1)


def register_table(session: CongressSession, rows: QuerySet[Suggestion]) -> Table[Row]:
    return Table(
        REGISTER_COLUMNS,
        register_rows(rows),
        title=_("代表建议台账"),
        subtitle=str(session),
        sheet_name=_("建议台账"),
    )


UNIT_COLUMNS: Final[tuple[Column[UnitRow], ...]] = (
    Column("承办单位", lambda u: u.name, width=24),
    Column("交办件数", lambda u: u.assigned, width=8),
    Column("已答复", lambda u: u.answered, width=8),
    Column("按期答复率", lambda u: f"{u.on_time_share}%", width=10),
    Column("A类", lambda u: f"{u.grade_a}（{u.a_share}%）", width=10),
    Column("B类", lambda u: f"{u.grade_b}（{u.b_share}%）", width=10),
    Column("C类", lambda u: f"{u.grade_c}（{u.c_share}%）", width=10),
    Column("满意度", lambda u: f"{u.satisfaction}%", width=8),
)


def report_document(
    session: CongressSession, summary: SessionSummary, units: list[UnitRow]
) -> Document:
    """办理情况报告 of one session: totals, the table per unit, the priority suggestions."""
    total = summary.total
    overview = _(
        "%(session)s期间，代表共提出建议 %(received)s 件，已交办 %(assigned)s 件，"
        "已答复 %(answered)s 件，按期答复率 %(on_time)s%%。答复中 A 类 %(a)s 件（%(ash)s%%），"
        "B 类 %(b)s 件（%(bsh)s%%），C 类 %(c)s 件（%(csh)s%%）。代表评价满意和基本满意的占 "
        "%(sat)s%%。"
    ) % {
        "session": session,
        "received": summary.received,
        "assigned": total.assigned,
        "answered": total.answered,
        "on_time": total.on_time_share,
        "a": total.grade_a,
        "ash": total.a_share,
        "b": total.grade_b,
        "bsh": total.b_share,
        "c": total.grade_c,
        "csh": total.c_share,
        "sat": total.satisfaction,
    }
    status_line = "；".join(f"{label} {n} 件" for label, n in summary.by_status.items())
    blocks: list[Block] = [
        Block("heading", text=_("一、总体情况")),
        Block("paragraph", text=overview),
        Block("paragraph", text=_("办理状态：") + (status_line or _("暂无"))),
        Block("heading", text=_("二、承办单位办理情况")),
        table_block(Table(UNIT_COLUMNS, [*units, total])),
        Block("heading", text=_("三、重点督办建议")),
    ]
    if summary.priority:
        blocks.append(
            Block(
                "table",
                headers=(_("编号"), _("标题"), _("领衔代表"), _("主办单位"), _("督办领导")),
                rows=tuple(
                    (
                        str(s.number or ""),
                        s.title,
                        s.author.name,
                        s.lead_unit.name if s.lead_unit else "",
                        s.priority_leader,
                    )
                    for s in summary.priority
                ),
            )
        )
    else:
        blocks.append(Block("paragraph", text=_("本次会议没有列为重点督办的建议。")))
    return Document(title=_("代表建议办理情况报告"), subtitle=str(session), blocks=blocks)
