from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.insights.classifier import MODEL_PATH, ClassifierError, train
from liaison.insights.csvio import CsvInputError, read_training_rows


def default_data_path() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "teddy2020" / "messages_labeled.csv"


class Command(BaseCommand):
    help = "训练留言一级分类模型。数据为 CSV（列：title,detail,label，其他列忽略），写出模型文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", type=Path, default=None, help="训练数据 CSV")
        parser.add_argument("--output", type=Path, default=MODEL_PATH, help="模型文件输出路径")

    def handle(self, *args: Any, **options: Any) -> None:
        data: Path = options["data"] or default_data_path()
        output: Path = options["output"]
        started = time.perf_counter()
        try:
            rows = read_training_rows(data)
            classifier = train(rows)
            classifier.save(output)
        except (CsvInputError, ClassifierError) as exc:
            raise CommandError(str(exc)) from exc
        meta = classifier.meta
        counts = "，".join(f"{name} {n}" for name, n in meta["class_counts"].items())
        self.stdout.write(
            f"已用 {meta['n_train']} 条留言（共读入 {len(rows)} 行）训练分类模型：{counts}。\n"
            f"温度 {classifier.temperature:.3f}，人工复核阈值 {classifier.threshold}，"
            f"用时 {time.perf_counter() - started:.0f} 秒；模型写入 {output}"
            f"（{output.stat().st_size / 1e6:.1f} MB）。"
        )
