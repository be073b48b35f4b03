from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.nlp.classifier import ClassifierError, load_classifier
from liaison.nlp.csvio import CsvInputError, classify_csv


class Command(BaseCommand):
    help = (
        "对 CSV 中的群众留言做一级分类。输入列：id,title,detail（UTF-8，可带 BOM，其他列忽略）；"
        "输出列：id,label,confidence，顺序与输入一致。出错时不写输出文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path, help="输入 CSV（id,title,detail）")
        parser.add_argument("output", type=Path, help="输出 CSV（id,label,confidence）")
        parser.add_argument(
            "--model", type=Path, default=None, help="模型文件（默认随项目发布的模型）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        target: Path = options["output"]
        try:
            classifier = load_classifier(options["model"])
            started = time.perf_counter()
            count = classify_csv(classifier, source, target)
        except (CsvInputError, ClassifierError) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(f"已分类 {count} 条留言，用时 {elapsed:.1f} 秒，结果写入 {target}")
