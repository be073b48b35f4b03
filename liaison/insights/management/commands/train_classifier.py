from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.cases.classification import training_rows_from_cases
from liaison.nlp.classifier import MODEL_PATH, ClassifierError, train
from liaison.nlp.csvio import CsvInputError, read_training_rows

#: Fewest confirmed cases per first-level category for `--from-cases` (override: --min-per-class).
#: Below about 30 the per-class error is mostly noise, and below 10 no confidence can be fitted.
DEFAULT_MIN_PER_CLASS = 30


def default_data_path() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "teddy2020" / "messages_labeled.csv"


def rows_from_cases(min_per_class: int) -> list[tuple[str, str, str]]:
    """The deployment's categorized cases as (title, detail, first-level label) rows.

    Refuses (CommandError, in Chinese) when any category has fewer than `min_per_class` cases.
    """
    rows = training_rows_from_cases()
    counts = Counter(label for _title, _detail, label in rows)
    if len(counts) < 2:
        raise CommandError(
            f"已人工确认分类的案件只有 {len(rows)} 件、{len(counts)} 个一级分类，"
            "至少需要两个一级分类才能训练。请先在案件页确认分类后再训练。"
        )
    short = {label: n for label, n in sorted(counts.items()) if n < min_per_class}
    if short:
        listed = "，".join(f"{label} {n} 件" for label, n in short.items())
        raise CommandError(
            f"以下一级分类已确认的案件不足 {min_per_class} 件：{listed}。"
            "训练数据太少，模型不可靠，未训练。请积累更多已确认分类的案件，"
            "或用 --min-per-class 降低要求。"
        )
    return rows


class Command(BaseCommand):
    help = (
        "训练留言一级分类模型。数据为 CSV（列：title,detail,label，其他列忽略），"
        "或用 --from-cases 取本系统中已人工确认分类的案件；写出模型文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--data", type=Path, default=None, help="训练数据 CSV")
        source.add_argument(
            "--from-cases",
            action="store_true",
            help="用本系统中已人工确认分类的案件训练（标签为一级分类）",
        )
        parser.add_argument(
            "--min-per-class",
            type=int,
            default=DEFAULT_MIN_PER_CLASS,
            help=f"--from-cases 时每个一级分类至少需要的案件数（默认 {DEFAULT_MIN_PER_CLASS}）",
        )
        parser.add_argument("--output", type=Path, default=MODEL_PATH, help="模型文件输出路径")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if options["min_per_class"] < 1:
            raise CommandError("--min-per-class 须为正整数。")
        started = time.perf_counter()
        try:
            if options["from_cases"]:
                rows: list[Any] = rows_from_cases(options["min_per_class"])
                source = "cases"
            else:
                data: Path = options["data"] or default_data_path()
                rows = read_training_rows(data)
                source = str(data.name)
            classifier = train(rows)
            classifier.meta["source"] = source
            classifier.save(output)
        except (CsvInputError, ClassifierError) as exc:
            raise CommandError(str(exc)) from exc
        meta = classifier.meta
        counts = "，".join(f"{name} {n}" for name, n in meta["class_counts"].items())
        what = "已确认分类的案件" if source == "cases" else "行"
        self.stdout.write(
            f"已用 {meta['n_train']} 条留言（共读入 {len(rows)} {what}）训练分类模型：{counts}。\n"
            f"温度 {classifier.temperature:.3f}，人工复核阈值 {classifier.threshold}，"
            f"用时 {time.perf_counter() - started:.0f} 秒；模型写入 {output}"
            f"（{output.stat().st_size / 1e6:.1f} MB）。"
        )
