"""Importing administrative divisions from CSV (`code,name,parent_code,level`).

All rows are validated before anything is written: a file with one bad row imports nothing and
reports every bad row with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.regions.models import CODE_LENGTH, PREFIX_LENGTH, Level, Region

REQUIRED_COLUMNS = ("code", "name", "parent_code", "level")
LEVEL_ALIASES = {
    "province": Level.PROVINCE,
    "省": Level.PROVINCE,
    "city": Level.CITY,
    "市": Level.CITY,
    "county": Level.COUNTY,
    "县": Level.COUNTY,
    "township": Level.TOWNSHIP,
    "town": Level.TOWNSHIP,
    "乡": Level.TOWNSHIP,
    "village": Level.VILLAGE,
    "村": Level.VILLAGE,
}
MAX_ROWS = 1_000_000


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("第 %(line)d 行：%(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParsedRow:
    line: int
    code: str
    name: str
    parent_code: str
    level: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class RegionImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def normalize_code(raw: str) -> str | None:
    """Short (2/4/6/9) or full 12-digit code → 12 digits; None when it is not a code."""
    raw = raw.strip()
    if not raw.isdigit() or not raw.isascii() or len(raw) not in (2, 4, 6, 9, 12):
        return None
    return raw.ljust(CODE_LENGTH, "0")


def _parse(text: str) -> tuple[list[ParsedRow], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        return [], [RowError(1, _("缺少列：%(cols)s") % {"cols": ", ".join(missing)})]
    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    for index, raw in enumerate(reader, start=2):
        if index > MAX_ROWS:
            errors.append(RowError(index, _("文件过大，超过 %(n)d 行") % {"n": MAX_ROWS}))
            break
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        code = normalize_code(row.get("code", ""))
        level = LEVEL_ALIASES.get(row.get("level", "").lower())
        parent_raw = row.get("parent_code", "")
        parent = normalize_code(parent_raw) if parent_raw else ""
        name = row.get("name", "")
        if code is None:
            errors.append(RowError(index, _("区划代码无效：“%(v)s”") % {"v": row.get("code", "")}))
            continue
        if level is None:
            errors.append(RowError(index, _("级别无效：“%(v)s”") % {"v": row.get("level", "")}))
            continue
        if not name or len(name) > 100:
            errors.append(RowError(index, _("名称为空或超过 100 字")))
            continue
        if parent is None:
            errors.append(RowError(index, _("上级区划代码无效：“%(v)s”") % {"v": parent_raw}))
            continue
        rows.append(ParsedRow(index, code, name, parent or "", level))
    return rows, errors


def _check_tree(rows: list[ParsedRow]) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            errors.append(
                RowError(row.line, _("区划代码重复（与第 %(l)d 行相同）") % {"l": seen[row.code]})
            )
        else:
            seen[row.code] = row.line
    in_file = {r.code: r for r in rows}
    parent_codes = {r.parent_code for r in rows if r.parent_code and r.parent_code not in in_file}
    in_db = {r.code: r.level for r in Region.objects.filter(code__in=parent_codes)}
    for row in rows:
        if not row.parent_code:
            if row.level != Level.PROVINCE:
                errors.append(RowError(row.line, _("只有省级区划可以没有上级")))
            continue
        parent_level = in_file[row.parent_code].level if row.parent_code in in_file else None
        parent_level = parent_level or in_db.get(row.parent_code)
        if parent_level is None:
            errors.append(RowError(row.line, _("上级区划不存在：%(c)s") % {"c": row.parent_code}))
            continue
        if PREFIX_LENGTH[parent_level] >= PREFIX_LENGTH[row.level]:
            errors.append(RowError(row.line, _("级别须低于上级区划")))
            continue
        prefix = row.parent_code[: PREFIX_LENGTH[parent_level]]
        if not row.code.startswith(prefix):
            errors.append(
                RowError(row.line, _("区划代码与上级 %(p)s 不一致") % {"p": row.parent_code})
            )
    return errors


def _order_parents_first(rows: list[ParsedRow]) -> list[ParsedRow]:
    return sorted(rows, key=lambda r: PREFIX_LENGTH[r.level])


def regions_import(*, text: str) -> ImportResult:
    """Validate every row, then create or update all of them in one transaction."""
    rows, errors = _parse(text)
    if not errors:
        errors = _check_tree(rows)
    if errors:
        raise RegionImportError(errors)
    result = ImportResult()
    with transaction.atomic():
        existing = Region.objects.in_bulk([r.code for r in rows])
        to_create: list[Region] = []
        to_update: list[Region] = []
        for row in _order_parents_first(rows):
            current = existing.get(row.code)
            parent_id = row.parent_code or None
            if current is None:
                to_create.append(
                    Region(code=row.code, name=row.name, level=row.level, parent_id=parent_id)
                )
            elif (current.name, current.level, current.parent_id) != (
                row.name,
                row.level,
                parent_id,
            ):
                current.name, current.level, current.parent_id = row.name, row.level, parent_id
                to_update.append(current)
            else:
                result.unchanged += 1
        # Parents first, so that foreign keys hold at each insert on every database.
        for level in (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
            batch = [r for r in to_create if r.level == level]
            Region.objects.bulk_create(batch, batch_size=1000)
        Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=1000)
        result.created, result.updated = len(to_create), len(to_update)
    return result


def read_csv_text(path: Path) -> str:
    """Read a CSV as UTF-8 (with or without BOM), falling back to GB18030 for Excel exports."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegionImportError([RowError(1, _("文件编码无法识别，请保存为 UTF-8 CSV"))])
