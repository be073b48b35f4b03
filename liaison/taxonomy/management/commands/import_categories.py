"""`manage.py import_categories [FILE]`: load the national category tree (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.taxonomy.categories import (
    FIXTURE_PATH,
    CategoryFileError,
    import_national_categories,
    read_fixture,
)


class Command(BaseCommand):
    help = "导入全国默认意见分类（三级），重复执行不会产生重复数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=FIXTURE_PATH)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            rows = read_fixture(path)
        except (CategoryFileError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}：{exc}") from None
        result = import_national_categories(rows)
        self.stdout.write(
            f"意见分类：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}，"
            f"停用 {result.deactivated}"
        )
