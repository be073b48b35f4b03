from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.regions.importing import RegionImportError, read_csv_text, regions_import


class Command(BaseCommand):
    help = "导入行政区划 CSV（列：code,name,parent_code,level）。幂等；任一行有误则全部不导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            result = regions_import(text=read_csv_text(path))
        except RegionImportError as exc:
            for error in exc.errors[:200]:
                self.stderr.write(str(error))
            if len(exc.errors) > 200:
                self.stderr.write(f"……另有 {len(exc.errors) - 200} 处错误")
            raise CommandError(f"导入失败：{len(exc.errors)} 处错误，未导入任何数据。") from exc
        self.stdout.write(
            f"行政区划导入完成：新增 {result.created}，更新 {result.updated}，"
            f"未变 {result.unchanged}。"
        )
