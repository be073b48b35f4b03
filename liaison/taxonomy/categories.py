"""The national default category tree: built from the shared taxonomy, imported idempotently.

`build_category_fixture` turns ../shared/data/teddy2020/taxonomy.csv (level1, level2, level3)
into the committed fixture liaison/taxonomy/fixtures/categories.csv (path, level);
`import_categories` loads that fixture into `Category` (region null, parents linked).

The taxonomy repeats a parent's name as its child in a few rows ("交通运输,交通运输,出租车管理",
"城乡建设,其他,其他"), which gave odd nodes such as 交通运输 / 交通运输 / 出租车管理 beside the
real 交通运输 / 出租车管理. A name equal to its parent's is dropped, so such a row names the
parent's node; nodes that the fixture no longer has are deactivated on import (cases keep them).

Counting in outputs (decision 0007): `counted_category` says under which first-level name a
case is counted — its confirmed category, else the classifier's *confident* suggestion, marked
as a suggestion; a suggestion flagged for review is not counted (the case is 未分类).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from django.db import transaction

from liaison.common.hotcache import clear_all as clear_hot_caches
from liaison.taxonomy.models import Category

FIXTURE_PATH: Final = Path(__file__).resolve().parent / "fixtures" / "categories.csv"
SEPARATOR: Final = "/"
MAX_NAME: Final = 50


class CategoryFileError(ValueError):
    """A taxonomy or fixture file that cannot be used (message in Chinese, with the line)."""


def _clean_name(value: str, *, line: int) -> str:
    name = " ".join((value or "").split())
    if SEPARATOR in name:
        raise CategoryFileError(f"第 {line} 行：分类名称不能包含“/”：{name}")
    if len(name) > MAX_NAME:
        raise CategoryFileError(f"第 {line} 行：分类名称过长：{name}")
    return name


def taxonomy_to_rows(text: str) -> list[tuple[str, int]]:
    """(path, level) for every node of a level1,level2,level3 taxonomy, parents first."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "level1" not in reader.fieldnames:
        raise CategoryFileError("分类文件缺少表头 level1,level2,level3")
    seen: set[str] = set()
    rows: list[tuple[str, int]] = []
    for line, record in enumerate(reader, start=2):
        names = [_clean_name(record.get(f"level{n}") or "", line=line) for n in (1, 2, 3)]
        path = ""
        parent = ""
        level = 0
        for name in names:
            if not name:
                break
            if name == parent:  # "交通运输/交通运输/…": the row means the parent's node
                continue
            parent = name
            level += 1
            path = f"{path}{SEPARATOR}{name}" if path else name
            if path not in seen:
                seen.add(path)
                rows.append((path, level))
    if not rows:
        raise CategoryFileError("分类文件没有数据")
    return rows


def rows_to_csv(rows: Iterable[tuple[str, int]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "level"])
    writer.writerows(rows)
    return out.getvalue()


def read_fixture(path: Path = FIXTURE_PATH) -> list[tuple[str, int]]:
    """Rows of a fixture file, checked: levels match paths and every parent comes first."""
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8").lstrip("\ufeff")))
    rows: list[tuple[str, int]] = []
    known: set[str] = set()
    for line, record in enumerate(reader, start=2):
        path_value = (record.get("path") or "").strip()
        try:
            level = int(record.get("level") or "")
        except ValueError:
            raise CategoryFileError(f"第 {line} 行：层级不是数字") from None
        parts = path_value.split(SEPARATOR)
        if not path_value or len(parts) != level or not 1 <= level <= 3:
            raise CategoryFileError(f"第 {line} 行：路径与层级不符：{path_value}")
        for part in parts:
            _clean_name(part, line=line)
        if level > 1 and SEPARATOR.join(parts[:-1]) not in known:
            raise CategoryFileError(f"第 {line} 行：上级分类未出现在前面：{path_value}")
        known.add(path_value)
        rows.append((path_value, level))
    return rows


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    deactivated: int = 0


def import_national_categories(rows: list[tuple[str, int]]) -> ImportResult:
    """Create or update the national tree (region null) so that it matches `rows`."""
    created = updated = unchanged = 0
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        existing = {c.path: c for c in Category.objects.filter(region__isnull=True)}
        for path, level in sorted(rows, key=lambda row: row[1]):
            name = path.rsplit(SEPARATOR, 1)[-1]
            parent_path = path.rsplit(SEPARATOR, 1)[0] if level > 1 else None
            parent = existing[parent_path] if parent_path else None
            node = existing.get(path)
            if node is None:
                existing[path] = Category.objects.create(
                    region=None, parent=parent, name=name, level=level, path=path
                )
                created += 1
            elif (node.parent_id, node.name, node.level) != (
                parent.pk if parent else None,
                name,
                level,
            ):
                node.parent, node.name, node.level = parent, name, level
                node.save(update_fields=["parent", "name", "level"])
                updated += 1
            else:
                unchanged += 1
        # Nodes the fixture dropped (the duplicated ones) stay for the cases that use them, but
        # are no longer offered.
        wanted = {path for path, _level in rows}
        deactivated = (
            Category.objects.filter(region__isnull=True, is_active=True)
            .exclude(path__in=wanted)
            .update(is_active=False)
        )
    return ImportResult(
        created=created, updated=updated, unchanged=unchanged, deactivated=deactivated
    )


SUGGESTED: Final = "suggested"
CONFIRMED: Final = "confirmed"
SOURCE_LABELS: Final = {CONFIRMED: "确认", SUGGESTED: "建议"}


def counted_category(*, path: str | None, hint_label: str, needs_review: bool) -> tuple[str, str]:
    """(first-level name, CONFIRMED or SUGGESTED) a case is counted under; ("", "") if none.

    A confirmed category wins; otherwise a confident suggestion (not flagged for review) counts,
    marked as a suggestion (decision 0007)."""
    if path:
        return path.split(SEPARATOR, 1)[0], CONFIRMED
    if hint_label and not needs_review:
        return hint_label, SUGGESTED
    return "", ""


def category_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Level-1 groups with their level-2 children, for a phone form's <select> (one query).

    The national tree; jurisdictions' own trees (Category.region) are for staff to use later.
    """
    nodes = list(
        Category.objects.filter(region__isnull=True, is_active=True, level__lte=2)
        .order_by("path")
        .values_list("id", "path", "level", "name")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    top_ids: dict[str, int] = {}
    for pk, path, level, name in nodes:
        if level == 1:
            groups.setdefault(name, [])
            top_ids[name] = pk
        else:
            groups.setdefault(path.split(SEPARATOR, 1)[0], []).append((pk, name))
    result: list[tuple[str, list[tuple[int, str]]]] = []
    for top, children in groups.items():
        options = [(top_ids[top], f"{top}（其他）")] if top in top_ids else []
        result.append((top, options + children))
    return result


def ledger_category(case: Category | None, *, hint_label: str, needs_review: bool) -> str:
    """The ledger's 分类 cell: the confirmed node's full path, else a confident suggestion."""
    if case is not None:
        return str(case)
    return hint_label if hint_label and not needs_review else ""


def ledger_category_source(*, has_category: bool, hint_label: str, needs_review: bool) -> str:
    """The ledger's 分类来源 cell: 确认 (a person chose), 建议 (the classifier, confident) or ""."""
    if has_category:
        return SOURCE_LABELS[CONFIRMED]
    return SOURCE_LABELS[SUGGESTED] if hint_label and not needs_review else ""
