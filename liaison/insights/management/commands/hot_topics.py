from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.nlp.csvio import CsvInputError
from liaison.nlp.topics_io import hot_topics_csv


class Command(BaseCommand):
    help = (
        "找出一批群众留言中的热点问题（同一地点、同一问题的多条留言）。输入列：id,title,detail，"
        "可选 submitted_at,likes,dislikes（UTF-8，可带 BOM，其他列忽略）；输出列："
        "rank,heat,label,place,start,end,size,message_ids，热度从高到低。出错时不写输出文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path, help="输入 CSV（id,title,detail[,submitted_at,…]）")
        parser.add_argument("output", type=Path, help="输出 CSV（rank,heat,label,…）")
        parser.add_argument("--top", type=int, default=50, help="输出前 N 个热点（默认 50）")

    def handle(self, *args: Any, **options: Any) -> None:
        top: int = options["top"]
        if top < 1:
            raise CommandError("--top 必须是正整数")
        started = time.perf_counter()
        try:
            count = hot_topics_csv(options["input"], options["output"], top=top)
        except CsvInputError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"找到 {count} 个热点，用时 {elapsed:.1f} 秒，结果写入 {options['output']}"
        )
