"""`manage.py verify_audit`: walk the audit hash chain and name the first broken link.

Exit status 0 with the number of events when the chain is intact, 1 when it is broken, when an
append-only trigger is missing, or when the newest events were cut off since the last recorded
head (AUDIT_HEAD_FILE). An intact walk records the new head unless `--no-record`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.audit.verify import (
    audit_chain_verify,
    audit_head_last,
    audit_head_record,
    audit_report_lines,
)


class Command(BaseCommand):
    help = "校验审计日志哈希链，指出第一处断开的位置；完好时记录链头。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-record", action="store_true", help="do not append the head to AUDIT_HEAD_FILE"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify(compare_with=audit_head_last())
        lines = audit_report_lines(report)
        if not report.intact:
            raise CommandError("\n".join(lines))
        if not options["no_record"]:
            audit_head_record(head=report.head)
        self.stdout.write(lines[-1])
