from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liaison.common.shared_data import shared_file
from liaison.insights.reply_quality import assess_with_calendar
from liaison.nlp.agreement import (
    RATINGS_PATH,
    AgreementError,
    agreement,
    agreement_markdown,
    read_ratings,
    read_replies,
    scores_of,
    write_section,
)

DOC = Path(settings.BASE_DIR) / "docs" / "insights-reply-quality.md"


class Command(BaseCommand):
    help = (
        "计算答复质量评分与人工评判的一致性（Spearman ρ、Cohen κ、“差”档的准确率与召回率），"
        "并写入 docs/insights-reply-quality.md。"
        "人工评分文件只含留言编号和等级；答复文本从共享数据读取。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ratings", type=Path, default=RATINGS_PATH, help="人工评分 CSV")
        parser.add_argument("--replies", type=Path, default=None, help="答复数据 replies.csv")
        parser.add_argument("--doc", type=Path, default=DOC, help="写入结果的文档")
        parser.add_argument("--no-write", action="store_true", help="只打印，不写文档")

    def handle(self, *args: Any, **options: Any) -> None:
        replies = options["replies"] or shared_file("teddy2020", "replies.csv")
        try:
            ratings = read_ratings(options["ratings"])
            # The national calendar only, no database: the figures do not depend on a deployment.
            assessments = assess_with_calendar(read_replies(replies), calendar_overrides=False)
            scores = scores_of(assessments, set(ratings))
            result = agreement(scores=scores, ratings=ratings)
        except (AgreementError, OSError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        section = agreement_markdown(
            result,
            command="manage.py reply_quality_agreement",
            today=timezone.localdate(),
        )
        self.stdout.write(section)
        if not options["no_write"]:
            write_section(options["doc"], section)
            self.stdout.write(f"已写入 {options['doc']}")
