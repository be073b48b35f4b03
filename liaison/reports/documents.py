"""The Word (.docx) and PDF files of a monthly report, from one document.

`report_document(data, charts)` says what the document contains (title, headings, paragraphs,
tables, charts) as the export kit's `Document`; the kit's `document_docx` and `document_pdf` lay
it out (A4 with the GB/T 9704 margins, the CJK font), so both files carry the same numbers and
text. Without a CJK font `CJKFontMissing` propagates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from liaison.common.exports import Block, Document, document_docx, document_pdf
from liaison.reports.rules import shown_follow_ups

#: Said under the reply-quality table in every output: the score is a hint, not a verdict.
QUALITY_NOTE = (
    "说明：答复质量评分由系统按答复的实质内容、与留言的相关程度和是否按期自动计算，"
    "尚未达到与人工评判一致的标准，仅作提示（见各项问题计数），不作为督办依据。"
)

TITLE_SUFFIX = "社情民意月度研判报告"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+g}%"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _label(row: dict[str, Any]) -> str:
    """A row's label; a category row says how many of its cases are only suggested."""
    suggested = row.get("suggested") or 0
    label = str(row["label"])
    return f"{label}（其中系统建议 {suggested} 件，待确认）" if suggested else label


def _volume_table(rows: list[dict[str, Any]]) -> Block:
    return Block(
        "table",
        headers=("项目", "本月", "上月", "环比", "去年同月", "同比"),
        rows=tuple(
            (
                _label(r),
                str(r["current"]),
                str(r["prev"]),
                _pct(r["mom"]),
                str(r["last_year"]),
                _pct(r["yoy"]),
            )
            for r in rows
        ),
    )


def _case_table(rows: list[dict[str, Any]]) -> Block:
    return Block(
        "table",
        headers=("编号", "标题", "承办单位", "答复期限", "状态"),
        rows=tuple(
            (r["tracking_code"], r["title"], r["unit"], r["reply_due"], r["status"]) for r in rows
        ),
    )


def report_title(data: dict[str, Any]) -> str:
    return f"{data['scope']['name']}{data['month_label']}{TITLE_SUFFIX}"


def report_document(data: dict[str, Any], charts: Mapping[str, bytes]) -> Document:
    """Everything the files say, in order; a chart is shown where its PNG is in `charts`."""
    return Document(
        title=report_title(data),
        subtitle=f"生成时间：{data['generated_at']}",
        blocks=_blocks(data, charts),
    )


def _blocks(data: dict[str, Any], charts: Mapping[str, bytes]) -> list[Block]:
    total = data["total"]
    k = data["kpis"]
    blocks = [
        Block("heading", "一、总体情况"),
        Block(
            "paragraph",
            f"本月共收到群众意见建议 {total['current']} 件，上月 {total['prev']} 件，"
            f"环比 {_pct(total['mom'])}；去年同月 {total['last_year']} 件，同比 "
            f"{_pct(total['yoy'])}。合并重复件 {data['merged']} 件。",
        ),
        Block(
            "paragraph",
            f"受理率 {_rate(k['acceptance_rate'])}，按期答复率 {_rate(k['on_time_reply_rate'])}，"
            f"解决率 {_rate(k['resolution_rate'])}，满意率 {_rate(k['satisfaction_rate'])}，"
            f"平均答复用时 {_days(k['avg_reply_working_days'])} 个工作日。",
        ),
    ]
    sections = (("channel", "二、按渠道"), ("kind", "三、按类型"), ("category", "四、按分类"),
                ("region", "五、按区域"))  # fmt: skip
    for key, heading in sections:
        blocks.append(Block("heading", heading))
        if key != "kind" and key in charts:
            blocks.append(Block("image", image=charts[key]))
        blocks.append(_volume_table(data[key]) if data[key] else Block("paragraph", "本月无数据。"))
    blocks.append(Block("heading", "六、热点问题"))
    if data["hot_topics"]:
        blocks.append(
            Block(
                "table",
                headers=("排名", "热点", "件数", "联络站", "示例（标题）"),
                rows=tuple(
                    (
                        str(t["rank"]),
                        t["label"],
                        str(t["size"]),
                        "、".join(t["stations"]) or "—",
                        "；".join(t["examples"]),
                    )
                    for t in data["hot_topics"]
                ),
            )
        )
    else:
        blocks.append(Block("paragraph", "暂无热点。"))
    blocks.append(Block("heading", f"七、逾期件（{data['overdue']['count']} 件）"))
    if data["overdue"]["rows"]:
        blocks.append(_case_table(data["overdue"]["rows"]))
    blocks.append(Block("heading", f"八、不满意件（{data['unsatisfied']['count']} 件）"))
    if data["unsatisfied"]["rows"]:
        blocks.append(_case_table(data["unsatisfied"]["rows"]))
    blocks.append(Block("heading", "九、承办单位答复质量"))
    if data["reply_quality"]:
        blocks.append(
            Block(
                "table",
                headers=("承办单位", "答复件数", "平均分", "套话", "过短", "答非所问", "超期"),
                rows=tuple(
                    (
                        u["unit"],
                        str(u["replies"]),
                        f"{u['mean_score']:g}",
                        str(u["boilerplate"]),
                        str(u["too_short"]),
                        str(u["irrelevant"]),
                        str(u["late"]),
                    )
                    for u in data["reply_quality"]
                ),
            )
        )
        blocks.append(Block("paragraph", QUALITY_NOTE))
    else:
        blocks.append(Block("paragraph", "本月无答复。"))
    blocks.append(Block("heading", "十、研判建议"))
    suggestions = shown_follow_ups(data)
    if suggestions:
        blocks.extend(Block("paragraph", f"{i}. {s['text']}") for i, s in enumerate(suggestions, 1))
    else:
        blocks.append(Block("paragraph", "本月无需特别跟进的事项。"))
    return blocks


def report_docx(data: dict[str, Any], charts: Mapping[str, bytes]) -> bytes:
    """The .docx bytes; chart PNGs embedded."""
    return document_docx(report_document(data, charts))


def report_pdf(data: dict[str, Any], charts: Mapping[str, bytes]) -> bytes:
    """The PDF bytes (A4 with the GB/T 9704 margins, the CJK font embedded); charts embedded."""
    return document_pdf(report_document(data, charts))
