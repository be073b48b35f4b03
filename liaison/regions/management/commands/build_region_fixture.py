from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.common.shared_data import shared_file
from liaison.regions.importing import LEVEL_ALIASES, normalize_code, read_csv_text

DEFAULT_TARGET = Path(__file__).resolve().parents[2] / "fixtures" / "regions_hunan_2023.csv"


class Command(BaseCommand):
    help = "由统计用区划代码 CSV 生成项目自带的区划数据（12 位代码），供 make run 导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, nargs="?")
        parser.add_argument("--output", type=Path, default=DEFAULT_TARGET)

    def handle(self, *args: Any, **options: Any) -> None:
        import csv
        import io

        source: Path = options["source"] or shared_file("regions", "hunan_2023.csv")
        if not source.is_file():
            raise CommandError(f"文件不存在：{source}")
        reader = csv.DictReader(io.StringIO(read_csv_text(source)))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name", "parent_code", "level"])
        count = 0
        for line, row in enumerate(reader, start=2):
            code = normalize_code(row.get("code") or "")
            parent = normalize_code(row["parent_code"]) if row.get("parent_code") else ""
            level = LEVEL_ALIASES.get((row.get("level") or "").strip().lower())
            if code is None or parent is None or level is None:
                raise CommandError(f"第 {line} 行无效：{row}")
            writer.writerow([code, row["name"].strip(), parent, level.value])
            count += 1
        options["output"].write_text(out.getvalue(), encoding="utf-8")
        self.stdout.write(f"已写入 {count} 条区划到 {options['output']}")
