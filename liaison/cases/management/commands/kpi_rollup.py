"""`manage.py kpi_rollup`: count the KPI rollup again from every case (decision 0045).

The worker's sweep keeps the rollup current from the cases that move; run this after loading
cases without the services (a restore, a bulk import by SQL), after changing the working-day
calendar's overrides (the working days to reply are counted with them), or with `--sweep` to
run one sweep by hand.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from liaison.cases.services.kpi_rollup import kpi_rollup_rebuild, kpi_rollup_sweep


class Command(BaseCommand):
    help = "重新统计办理指标汇总表（或用 --sweep 只补统计有变动的日期）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sweep", action="store_true", help="only the days with cases moved since the mark"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sweep"]:
            days = kpi_rollup_sweep()
            self.stdout.write(f"kpi rollup: {days} day(s) counted again")
            return
        rows = kpi_rollup_rebuild()
        self.stdout.write(f"kpi rollup rebuilt: {rows} row(s)")
