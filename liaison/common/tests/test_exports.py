"""The export kit: each writer's file opened again with the library people's tools use."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from PIL import Image

from liaison.common.exports import (
    OFFICIAL_A4,
    Block,
    Column,
    Document,
    display_width,
    document_docx,
    document_pdf,
    export_filename,
    export_response,
    export_stream,
    table_block,
    table_csv,
    table_csv_lines,
    table_xlsx,
)
from liaison.common.exports import Table as ExportTable
from liaison.common.fonts import CJKFontMissing, find_cjk_font

PEOPLE = [
    {"name": "王小明", "phone": "13812345678", "note": "邻居 13912345678 也反映过"},
    {"name": "李四", "phone": "", "note": '=HYPERLINK("http://x")'},
]
COLUMNS: tuple[Column[dict[str, str]], ...] = (
    Column("姓名", lambda r: r["name"], width=10, personal=True, masked=lambda r: "*"),
    Column("电话", lambda r: r["phone"], width=14),
    Column("说明", lambda r: r["note"], width=40, personal=True),
)


def _table(**over: Any) -> ExportTable[dict[str, str]]:
    values: dict[str, Any] = {"columns": COLUMNS, "rows": PEOPLE, "title": "花名册"}
    values.update(over)
    return ExportTable(**values)


@pytest.fixture
def cjk_font() -> None:
    try:
        find_cjk_font()
    except CJKFontMissing as error:
        pytest.skip(str(error))


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), "red").save(buffer, format="PNG")
    return buffer.getvalue()


# --- columns and masking ------------------------------------------------------------------------


def test_personal_columns_are_masked_by_default_with_their_own_rule_or_mask_text() -> None:
    rows = list(_table().values())
    assert rows[0] == ["*", "13812345678", "邻居 139****5678 也反映过"]


def test_an_unmasked_table_shows_every_value_as_it_is() -> None:
    rows = list(_table(mask=False).values())
    assert rows[0] == ["王小明", "13812345678", "邻居 13912345678 也反映过"]


def test_a_masking_rule_on_a_column_not_marked_personal_is_refused() -> None:
    with pytest.raises(ValueError, match="personal"):
        Column("电话", lambda r: r, masked=lambda r: "*")


def test_display_width_counts_a_chinese_character_as_two() -> None:
    assert display_width("GD2026") == 6
    assert display_width("工单编号") == 8


def test_a_document_table_from_declared_columns_is_text_and_masked() -> None:
    block = table_block(_table(rows=[{"name": "王", "phone": "", "note": "x"}]))
    assert block.headers == ("姓名", "电话", "说明")
    assert block.rows == (("*", "", "x"),)


# --- xlsx ---------------------------------------------------------------------------------------


def test_xlsx_has_merged_title_and_subtitle_bold_header_frozen_panes_and_widths() -> None:
    content, count = table_xlsx(_table(subtitle="岳麓区，2026-03-01 至 2026-03-31"))
    assert count == 2
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "花名册"  # no sheet name given: the title, cut to what Excel takes
    assert sheet["A1"].value == "花名册"
    assert sheet["A2"].value == "岳麓区，2026-03-01 至 2026-03-31"
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:C1", "A2:C2"}
    assert [c.value for c in sheet[3]] == ["姓名", "电话", "说明"]
    assert all(c.font.bold for c in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert [sheet.column_dimensions[k].width for k in "ABC"] == [10, 14, 40]
    assert [c.value for c in sheet[4]] == ["*", "13812345678", "邻居 139****5678 也反映过"]
    assert sheet["C4"].alignment.wrap_text


def test_xlsx_without_title_starts_with_the_header_row() -> None:
    content, _count = table_xlsx(_table(title="", sheet_name="12345工单"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "12345工单"
    assert [c.value for c in sheet[1]] == ["姓名", "电话", "说明"]
    assert sheet.freeze_panes == "A2"
    assert not sheet.merged_cells.ranges


def test_xlsx_text_that_looks_like_a_formula_stays_text() -> None:
    content, _count = table_xlsx(_table(mask=False, title="=1+1"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["C4"].value == '=HYPERLINK("http://x")'
    assert sheet["C4"].data_type == "s"
    assert sheet["A1"].data_type == "s"


def test_xlsx_drops_control_characters_and_takes_lazy_text_and_aware_times() -> None:
    at = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    columns: list[Column[int]] = [
        Column(gettext_lazy("内容"), lambda r: "路灯\x01坏了\ud800"),
        Column("时间", lambda r: at),
        Column("类型", lambda r: gettext_lazy("投诉")),
    ]
    table = ExportTable(columns=columns, rows=[1], title="台\x1b账", sheet_name="a/b:c[d]" * 5)
    content, count = table_xlsx(table)
    sheet = load_workbook(io.BytesIO(content)).active
    assert count == 1
    assert sheet.title == ("a_b_c_d_" * 4)[:31]
    assert sheet["A1"].value == "台账"
    assert [c.value for c in sheet[3]] == [
        "路灯坏了",
        datetime.datetime(2026, 3, 1, 9, 30),  # Asia/Shanghai wall-clock time
        "投诉",
    ]


def test_xlsx_reads_lazy_rows_once() -> None:
    content, count = table_xlsx(_table(rows=iter(PEOPLE)))
    assert count == 2
    assert load_workbook(io.BytesIO(content)).active.max_row == 4


# --- csv ----------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_header_first_and_no_title() -> None:
    text = table_csv(_table(mask=False))
    assert text.startswith("\ufeff姓名,电话,说明\r\n")
    assert "花名册" not in text
    assert text.splitlines()[1] == "王小明,13812345678,邻居 13912345678 也反映过"
    # A formula typed by anyone stays text when an officer opens the file in Excel.
    assert text.splitlines()[2] == '李四,,"\'=HYPERLINK(""http://x"")"'


def test_csv_guards_formulas_but_keeps_numbers_and_drops_refused_characters() -> None:
    from liaison.common.exports.tabular import _csv_value

    assert _csv_value("=1+1") == "'=1+1"
    assert _csv_value("@SUM(A1)") == "'@SUM(A1)"
    assert _csv_value("+86 138") == "'+86 138"
    assert _csv_value("-5") == "-5"
    assert _csv_value("-2.5") == "-2.5"
    assert _csv_value("正常\x07文本") == "正常文本"
    assert _csv_value("a\ud800b") == "ab"
    assert _csv_value(3) == 3


def test_csv_lines_stream_one_line_per_row() -> None:
    lines = list(table_csv_lines(_table(rows=iter(PEOPLE))))
    assert len(lines) == 3
    assert lines[1] == "*,13812345678,邻居 139****5678 也反映过\r\n"


# --- names and responses ------------------------------------------------------------------------


def test_export_filename_has_the_period_and_no_unsafe_characters() -> None:
    march = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert (
        export_filename("民意台账", extension="xlsx", date_from=march[0], date_to=march[1])
        == "民意台账_20260301-20260331.xlsx"
    )
    same_day = export_filename("审计日志", extension="csv", date_from=march[0], date_to=march[0])
    assert same_day == "审计日志_20260301.csv"
    assert export_filename("审计日志", extension="csv", date_to=march[1]) == "审计日志_20260331.csv"
    assert export_filename('../岳麓区/"报告"\r\n', extension="pdf") == "岳麓区_报告.pdf"
    assert export_filename(" ..", extension="csv") == "导出.csv"


def test_export_response_names_the_file_in_chinese_with_its_type() -> None:
    response = export_response(b"PK", filename="12345工单导入模板.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "12345工单导入模板.xlsx" in unquote(disposition)


def test_export_stream_sends_csv_as_utf8() -> None:
    response = export_stream(table_csv_lines(_table()), filename="花名册.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.startswith("姓名,电话,说明")


# --- documents ----------------------------------------------------------------------------------

DOCUMENT = Document(
    title="岳麓区2026年3月社情民意月度研判报告",
    subtitle="生成时间：2026-04-02 09:00",
    blocks=(
        Block("heading", "一、总体情况"),
        Block("paragraph", "本月共收到群众意见建议 12 件\x0c。"),
        Block("image", image=_png()),
        Block("table", headers=("项目", "本月"), rows=(("交通出行", "7"), ("环境", "5"))),
    ),
)


def test_docx_is_a4_official_with_the_cjk_font_and_every_block(cjk_font: None) -> None:
    from docx import Document as WordDocument

    word = WordDocument(io.BytesIO(document_docx(DOCUMENT)))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin]  # fmt: skip
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs if p.text]
    assert paragraphs == [
        ("Title", "岳麓区2026年3月社情民意月度研判报告"),
        ("Normal", "生成时间：2026-04-02 09:00"),
        ("Heading 2", "一、总体情况"),
        ("Normal", "本月共收到群众意见建议 12 件。"),  # the form feed is dropped
    ]
    assert [[c.text for c in row.cells] for row in word.tables[0].rows] == [
        ["项目", "本月"],
        ["交通出行", "7"],
        ["环境", "5"],
    ]
    assert len(word.inline_shapes) == 1
    assert word.inline_shapes[0].width.mm == pytest.approx(OFFICIAL_A4.text_width, abs=0.01)
    assert 'w:eastAsia="Noto Sans CJK SC"' in word.styles["Normal"].element.xml
    assert word.core_properties.title == DOCUMENT.title


def test_pdf_is_a4_with_the_text_in_the_cjk_font(cjk_font: None, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    content = document_pdf(DOCUMENT)
    assert content.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", content)
    assert boxes
    assert {(round(float(w) * 25.4 / 72), round(float(h) * 25.4 / 72)) for w, h in boxes} == {
        (210, 297)
    }
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    flat = text.replace(" ", "").replace("\n", "")
    expected = ["岳麓区2026年3月社情民意月度研判报告", "生成时间：2026-04-0209:00", "一、总体情况",
                "本月共收到群众意见建议12件。", "交通出行", "环境"]  # fmt: skip
    for line in expected:
        assert line in flat
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    if info:
        assert "人大代表联络站智慧平台" in info


def test_documents_refuse_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise CJKFontMissing("未找到中文字体")

    monkeypatch.setattr("liaison.common.exports.word.find_cjk_font", missing)
    monkeypatch.setattr("liaison.common.exports.pdf.find_cjk_font", missing)
    with pytest.raises(CJKFontMissing):
        document_docx(DOCUMENT)
    with pytest.raises(CJKFontMissing):
        document_pdf(DOCUMENT)
