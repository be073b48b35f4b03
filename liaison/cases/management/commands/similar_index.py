"""`manage.py similar_index`: build the similar-case index files by hand (decision 0050).

The worker builds a county's file when a web process first asks for it and keeps it fresh while
the county is viewed; until then the case page says the candidates are being prepared. Run this
after a deployment or a bulk load so the first views find the files ready:

    manage.py similar_index --county 430104     # one county (any code inside it)
    manage.py similar_index --all               # every county with open cases
    manage.py similar_index                     # the counties asked for and due, as the worker
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.cases.models import OPEN_STATUSES, Case
from liaison.cases.similar import county_bounds
from liaison.cases.similar_store import Built, county_build, due_counties, index_dir
from liaison.regions.models import CODE_LENGTH, Level, Region


def _counties_with_open_cases() -> list[tuple[str, str]]:
    found = []
    for code in (
        Region.objects.filter(level=Level.COUNTY).order_by("code").values_list("code", flat=True)
    ):
        low, high = county_bounds(code)
        if Case.objects.filter(
            region_id__gte=low, region_id__lte=high, status__in=OPEN_STATUSES
        ).exists():
            found.append((low, high))
    return found


class Command(BaseCommand):
    help = "生成相似件索引文件（指定区县、全部区县，或后台任务待生成的区县）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--county",
            action="append",
            default=[],
            help="a region code inside the county (6 digits or more); repeatable",
        )
        parser.add_argument(
            "--all", action="store_true", help="every county-level region with open cases"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] = options["county"]
        if any(not code.isdigit() or not 6 <= len(code) <= CODE_LENGTH for code in codes):
            raise CommandError("--county takes a region code of 6 to 12 digits")
        if codes:
            counties = [county_bounds(code.ljust(CODE_LENGTH, "0")) for code in codes]
        elif options["all"]:
            counties = _counties_with_open_cases()
        else:
            counties = due_counties()
        for low, high in dict.fromkeys(counties):
            self._report(county_build(low, high))
        self.stdout.write(f"similar-case indexes: {len(counties)} built in {index_dir()}")

    def _report(self, built: Built) -> None:
        self.stdout.write(
            f"{built.low}: {built.rows} open case(s), {built.size / 1e6:.1f} MB, "
            f"{built.seconds:.1f} s"
        )
