"""Reading an uploaded work-order file (xlsx told by its content, or csv) into rows."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from liaison.cases.importing.columns import _BY_NAME, COLUMNS, MAX_BYTES


class ImportFileError(ValueError):
    """The file as a whole cannot be read (message in Chinese)."""


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("无法读取该 Excel 文件，请另存为 .xlsx 后重试。")) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[list[Any]]:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("文件类型不支持，请上传 .xlsx 或 .csv 文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV。"))
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise ImportFileError(_("CSV 格式错误：%(e)s") % {"e": exc}) from exc


def read_table(data: bytes) -> list[list[Any]]:
    """The rows of the first sheet (xlsx, told by content) or of a csv file, header first."""
    if not data.strip():
        raise ImportFileError(_("文件是空的。"))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("文件过大（上限 20 MB），请分批导入。"))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。"))
    return _read_csv(data)


def _normalize_header(value: Any) -> str:
    text = str(value or "").strip().replace(" ", "").replace("*", "").replace("\u3000", "")
    return text.replace("（", "(").split("(")[0]


def map_headers(header: list[Any]) -> dict[str, int]:
    """Column key → index; ImportFileError naming the required columns that are missing."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        column = _BY_NAME.get(_normalize_header(name))
        if column is not None and column.key not in found:
            found[column.key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise ImportFileError(_("缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
    if "station" not in found and "region" not in found:
        raise ImportFileError(_("缺少“联络站”或“所属区划”列（至少需要一列）。"))
    return found
