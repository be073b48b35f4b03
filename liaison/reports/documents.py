"""The Word (.docx) and PDF files of a monthly report, from one list of blocks.

`report_blocks(data)` says what the document contains (headings, paragraphs, tables, charts);
`report_docx` and `report_pdf` only lay it out, so both files carry the same numbers and text.
Chinese is set in the installed CJK font: in Word through the East Asian font of every style and
run, in the PDF by embedding the font (fpdf2); without one `CJKFontMissing` propagates.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any

from liaison.common.fonts import find_cjk_font
from liaison.common.text import text_clean
from liaison.reports.rules import shown_follow_ups

#: Said under the reply-quality table in every output: the score is a hint, not a verdict.
QUALITY_NOTE = (
    "说明：答复质量评分由系统按答复的实质内容、与留言的相关程度和是否按期自动计算，"
    "尚未达到与人工评判一致的标准，仅作提示（见各项问题计数），不作为督办依据。"
)

TITLE_SUFFIX = "社情民意月度研判报告"
# Official documents (GB/T 9704-2012 党政机关公文格式) are A4 with these margins, in mm; both files
# use them, so the Word and the PDF print alike (python-docx's default is US Letter).
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
# The family Word asks the system for; the PDF embeds the file itself.
WORD_FONT = "Noto Sans CJK SC"


@dataclass(frozen=True)
class Block:
    kind: str  # "h1", "h2", "p", "table", "chart"
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


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


def report_blocks(data: dict[str, Any]) -> list[Block]:
    """Everything the files say, in order; text stored before control characters were refused
    is cleaned, so that Word and the PDF never fail on it."""
    return [_cleaned(block) for block in _blocks(data)]


def _cleaned(block: Block) -> Block:
    return replace(
        block,
        text=text_clean(block.text),
        headers=tuple(text_clean(h) for h in block.headers),
        rows=tuple(tuple(text_clean(str(c)) for c in row) for row in block.rows),
    )


def _blocks(data: dict[str, Any]) -> list[Block]:
    total = data["total"]
    k = data["kpis"]
    blocks = [
        Block("h1", report_title(data)),
        Block("p", f"生成时间：{data['generated_at']}"),
        Block("h2", "一、总体情况"),
        Block(
            "p",
            f"本月共收到群众意见建议 {total['current']} 件，上月 {total['prev']} 件，"
            f"环比 {_pct(total['mom'])}；去年同月 {total['last_year']} 件，同比 "
            f"{_pct(total['yoy'])}。合并重复件 {data['merged']} 件。",
        ),
        Block(
            "p",
            f"受理率 {_rate(k['acceptance_rate'])}，按期答复率 {_rate(k['on_time_reply_rate'])}，"
            f"解决率 {_rate(k['resolution_rate'])}，满意率 {_rate(k['satisfaction_rate'])}，"
            f"平均答复用时 {_days(k['avg_reply_working_days'])} 个工作日。",
        ),
    ]
    sections = (("channel", "二、按渠道"), ("kind", "三、按类型"), ("category", "四、按分类"),
                ("region", "五、按区域"))  # fmt: skip
    for key, heading in sections:
        blocks.append(Block("h2", heading))
        if key != "kind":
            blocks.append(Block("chart", extra={"key": key}))
        blocks.append(_volume_table(data[key]) if data[key] else Block("p", "本月无数据。"))
    blocks.append(Block("h2", "六、热点问题"))
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
        blocks.append(Block("p", "暂无热点。"))
    blocks.append(Block("h2", f"七、逾期件（{data['overdue']['count']} 件）"))
    if data["overdue"]["rows"]:
        blocks.append(_case_table(data["overdue"]["rows"]))
    blocks.append(Block("h2", f"八、不满意件（{data['unsatisfied']['count']} 件）"))
    if data["unsatisfied"]["rows"]:
        blocks.append(_case_table(data["unsatisfied"]["rows"]))
    blocks.append(Block("h2", "九、承办单位答复质量"))
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
        blocks.append(Block("p", QUALITY_NOTE))
    else:
        blocks.append(Block("p", "本月无答复。"))
    blocks.append(Block("h2", "十、研判建议"))
    suggestions = shown_follow_ups(data)
    if suggestions:
        blocks.extend(Block("p", f"{i}. {s['text']}") for i, s in enumerate(suggestions, 1))
    else:
        blocks.append(Block("p", "本月无需特别跟进的事项。"))
    return blocks


# --- Word -------------------------------------------------------------------------------------


def _east_asian(element: Any, name: str) -> None:
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def report_docx(data: dict[str, Any], charts: dict[str, bytes]) -> bytes:
    """The .docx bytes; chart PNGs embedded."""
    from docx import Document
    from docx.shared import Mm, Pt

    find_cjk_font()  # refuse rather than produce a file that relies on a missing font
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        style: Any = document.styles[style_name]
        style.font.name = WORD_FONT
        _east_asian(style.element, WORD_FONT)
    document.styles["Normal"].font.size = Pt(10.5)

    def run_font(paragraph: Any) -> None:
        for run in paragraph.runs:
            run.font.name = WORD_FONT
            _east_asian(run._element, WORD_FONT)

    for block in report_blocks(data):
        if block.kind in ("h1", "h2"):
            paragraph = document.add_heading(block.text, level=0 if block.kind == "h1" else 2)
            run_font(paragraph)
        elif block.kind == "p":
            run_font(document.add_paragraph(block.text))
        elif block.kind == "chart" and block.extra["key"] in charts:
            document.add_picture(io.BytesIO(charts[block.extra["key"]]), width=Mm(TEXT_WIDTH_MM))
        elif block.kind == "table":
            table = document.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
                cell.text = header
                run_font(cell.paragraphs[0])
            for row in block.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
                    run_font(cell.paragraphs[0])
    document.core_properties.title = report_title(data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def report_pdf(data: dict[str, Any], charts: dict[str, bytes]) -> bytes:
    """The PDF bytes (A4 with the GB/T 9704 margins, the CJK font embedded); charts embedded."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from liaison.common.posters import _add_font

    font = find_cjk_font()
    pdf = FPDF(orientation="P", unit="mm", format=(PAGE_WIDTH_MM, PAGE_HEIGHT_MM))
    pdf.set_margins(left=MARGIN_LEFT_MM, top=MARGIN_TOP_MM, right=MARGIN_RIGHT_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM_MM)
    _add_font(pdf, font)
    pdf.set_title(report_title(data))
    pdf.set_creator("人大代表联络站智慧平台")
    pdf.add_page()
    width = pdf.epw
    for block in report_blocks(data):
        if block.kind == "h1":
            pdf.set_font("cjk", size=16)
            pdf.multi_cell(width, 9, block.text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "h2":
            pdf.ln(2)
            pdf.set_font("cjk", size=13)
            pdf.multi_cell(width, 8, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "p":
            pdf.set_font("cjk", size=10)
            pdf.multi_cell(width, 6, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "chart" and block.extra["key"] in charts:
            pdf.image(io.BytesIO(charts[block.extra["key"]]), w=width)
        elif block.kind == "table":
            pdf.set_font("cjk", size=8)
            with pdf.table(
                headings_style=FontFace(emphasis=None, fill_color=(240, 240, 240)),
                line_height=5,
            ) as table:
                table.row(block.headers)
                for row in block.rows:
                    table.row(row)
            pdf.ln(1)
    return bytes(pdf.output())
