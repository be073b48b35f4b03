"""`manage.py points_rebuild --year 2026 [--fix] [--deputy ID …]`

Recomputes every deputy's ledger for the year from the source records (the same providers and
rules as the live sync) and reports each difference from the stored ledger and any total that
does not match it. It must find none after normal use. With `--fix` it appends the missing
entries (never edits one) and rewrites the totals; use it after changing a rule mid-year.
Exits with status 1 when it found differences and did not fix them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liaison.points.services import ledger_sync

SHOWN = 50


class Command(BaseCommand):
    help = "Rebuild duty points from the source records and report differences (--fix appends)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--fix", action="store_true", help="append the differences")
        parser.add_argument("--deputy", type=int, action="append", help="only these deputies")

    def handle(self, *args: Any, **options: Any) -> None:
        year, fix = options["year"], options["fix"]
        result = ledger_sync(deputy_ids=options["deputy"], year=year, write=fix)
        for diff in result.differences[:SHOWN]:
            deputy, rule, kind, source, quarter = diff.key
            self.stdout.write(
                f"deputy {deputy} {rule} {kind}#{source} Q{quarter}: "
                f"ledger {diff.stored} → sources {diff.expected}"
            )
        if len(result.differences) > SHOWN:
            self.stdout.write(f"… and {len(result.differences) - SHOWN} more")
        summary = (
            f"{year}: {len(result.differences)} differing entries, "
            f"{result.totals_differing} differing totals"
        )
        if fix:
            self.stdout.write(f"{summary}; appended {result.written} entries, totals rewritten")
        elif not result.clean:
            raise CommandError(summary)
        else:
            self.stdout.write(f"{summary}: the ledger matches the sources")
