"""`manage.py build_category_fixture [SRC]`: the category fixture from the shared taxonomy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.common.shared_data import shared_file
from liaison.taxonomy.categories import (
    FIXTURE_PATH,
    CategoryFileError,
    rows_to_csv,
    taxonomy_to_rows,
)


class Command(BaseCommand):
    help = "由 taxonomy.csv（level1,level2,level3）生成项目自带的意见分类数据 categories.csv。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, nargs="?")
        parser.add_argument("--output", type=Path, default=FIXTURE_PATH)

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"] or shared_file("teddy2020", "taxonomy.csv"))
        if not source.is_file():
            raise CommandError(f"文件不存在：{source}")
        try:
            rows = taxonomy_to_rows(source.read_text(encoding="utf-8"))
        except (CategoryFileError, UnicodeDecodeError) as exc:
            raise CommandError(f"{source}：{exc}") from None
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(rows_to_csv(rows), encoding="utf-8")
        self.stdout.write(f"已写入 {len(rows)} 个分类到 {output}")
