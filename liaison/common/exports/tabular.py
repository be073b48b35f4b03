"""Tables as xlsx (a register to read and print) and csv (to open in Excel or feed a program)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from typing import Any, Final

from django.utils import timezone
from django.utils.functional import Promise

from liaison.common.exports.model import Table
from liaison.common.text import text_clean

# Excel refuses these in a sheet name, and names past 31 characters.
_SHEET_NAME_REFUSED: Final = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX: Final = 31


def sheet_title(name: str) -> str:
    """A sheet name Excel takes (openpyxl raises on the others)."""
    return _SHEET_NAME_REFUSED.sub("_", text_clean(name)).strip("' ")[:SHEET_NAME_MAX] or "Sheet1"


def _xlsx_value(value: Any) -> Any:
    """A value openpyxl takes: text stored before the input check existed may hold control
    characters (or a lone surrogate) that would fail the whole file, so they are dropped;
    lazy translations become text and aware times local wall-clock times (Excel has no zone)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _as_text(cell: Any) -> None:
    # openpyxl stores any string starting with "=" as a formula: a title a constituent typed
    # as "=HYPERLINK(…)" would run in the officer's Excel. Our cells are data, never formulas.
    if cell.data_type == "f":
        cell.data_type = "s"


def table_xlsx(table: Table[Any]) -> tuple[bytes, int]:
    """The workbook bytes and the number of data rows.

    One sheet: the title and the subtitle (each merged across the columns, when given), the
    header row in bold, the rows wrapped at the top of their cells, panes frozen below the
    header, each column as wide as declared.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title(table.sheet_name or table.title)
    width = max(len(table.columns), 1)
    line = 0
    for text, font in ((table.title, Font(bold=True, size=14)), (table.subtitle, Font())):
        if not text:
            continue
        line += 1
        cell = sheet.cell(row=line, column=1, value=_xlsx_value(text))
        _as_text(cell)
        cell.font = font
        if width > 1:
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    line += 1
    bold = Font(bold=True)
    for index, (header, column) in enumerate(zip(table.headers, table.columns, strict=True), 1):
        cell = sheet.cell(row=line, column=index, value=_xlsx_value(header))
        _as_text(cell)
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{line + 1}"
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for values in table.values():
        count += 1
        sheet.append([_xlsx_value(v) for v in values])
        for cell in sheet[sheet.max_row]:
            _as_text(cell)
            cell.alignment = wrap
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


class _Echo:
    """A file whose `write` hands the line back, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


# Excel runs a cell that starts with one of these as a formula (CSV injection): a title such as
# "=HYPERLINK(…)" typed by anyone would become a live link in an officer's spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _csv_value(value: Any) -> Any:
    """Text cleaned of refused characters, and quoted with ' where Excel would see a formula
    (numbers such as -5 stay numbers)."""
    if not isinstance(value, str):
        return value
    text = text_clean(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def table_csv_lines(table: Table[Any]) -> Iterator[str]:
    """The csv text line by line: UTF-8 byte-order mark (so Excel reads Chinese), header, rows.

    A csv carries no title or subtitle: programs read its first line as the header; the
    download's name says what and when (`export_filename`). Text is cleaned of characters refused
    everywhere and guarded against formulas (`_csv_value`).
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_value(h) for h in table.headers])
    for values in table.values():
        yield writer.writerow([_csv_value(v) for v in values])


def table_csv(table: Table[Any]) -> str:
    """The whole csv as text (see `table_csv_lines`)."""
    return "".join(table_csv_lines(table))
