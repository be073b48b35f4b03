"""Monthly report generation time for a county-month with 10,000 cases (section "reports").

Usage (from the project root):
    .venv/bin/python bench/bench_reports.py [--cases 10000]

Seeds a county (岳麓区) with `manage.py seed_cases`, moves `--cases` of them into one month (and a
few thousand into the previous month and the same month last year), then times `report_build`
stage by stage: the snapshot (volumes, KPIs, lists, hot topics, reply quality), the charts, the
.docx and the PDF. The snapshot is timed twice: first with no reply score stored (the month's
replies are scored in one batch and stored), then with the stored scores, which is what a report
costs once replies are scored when they are recorded (`insights.tasks.score_reply_task`, whose
cost per reply is measured too). Writes the figures to docs/benchmarks.md (section "reports").
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="liaison-bench-reports-"))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.report import write_section  # noqa: E402
from liaison.cases.models import Case  # noqa: E402
from liaison.insights.models import ReplyScore  # noqa: E402
from liaison.insights.tasks import score_reply_task  # noqa: E402
from liaison.regions.models import Region  # noqa: E402
from liaison.reports import charts, documents  # noqa: E402
from liaison.reports.data import report_data  # noqa: E402
from liaison.reports.models import MonthlyReport  # noqa: E402
from liaison.stations.models import Station  # noqa: E402

MONTH = datetime.date(2025, 3, 1)
COUNTY = "430104000000"


def _when(month: datetime.date, rng: random.Random) -> datetime.datetime:
    day = datetime.datetime.combine(month, datetime.time(8)) + datetime.timedelta(
        days=rng.randrange(28), minutes=rng.randrange(600)
    )
    return timezone.make_aware(day)


def build(cases: int) -> str:
    call_command("migrate", verbosity=0)
    if not Station.objects.exists():
        call_command(
            "import_regions", str(ROOT / "liaison/regions/fixtures/regions_hunan_2023.csv")
        )
        call_command("import_categories", verbosity=0)
        call_command("demo", verbosity=0)
    extra = cases // 5
    total = cases + 2 * extra
    t0 = time.perf_counter()
    missing = total - Case.objects.count()
    if missing > 0:
        call_command("seed_cases", count=missing, region="430104", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(1)
    ids = list(Case.objects.order_by("id").values_list("id", flat=True)[:total])
    plan = [(MONTH, ids[:cases]), (datetime.date(2025, 2, 1), ids[cases : cases + extra]),
            (datetime.date(2024, 3, 1), ids[cases + extra :])]  # fmt: skip
    for month, chunk in plan:
        rows = list(Case.objects.filter(pk__in=chunk).only("submitted_at", "replied_at"))
        for case in rows:
            case.submitted_at = _when(month, rng)
            if case.replied_at:
                case.replied_at = case.submitted_at + datetime.timedelta(days=rng.randrange(1, 25))
        Case.objects.bulk_update(rows, ["submitted_at", "replied_at"], batch_size=2000)
    return f"seeded and placed {total:,} cases in {time.perf_counter() - t0:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    note = build(args.cases)
    county = Region.objects.get(code=COUNTY)
    report, _ = MonthlyReport.objects.get_or_create(region=county, month=MONTH)
    ReplyScore.objects.all().delete()
    t = time.perf_counter()
    report_data(report=report)
    cold = time.perf_counter() - t
    timings: list[tuple[str, float]] = []
    t = time.perf_counter()
    data = report_data(report=report)
    timings.append(
        (
            "snapshot (volumes, KPIs, lists, hot topics, reply quality from stored scores)",
            time.perf_counter() - t,
        )
    )
    t = time.perf_counter()
    data["charts"] = charts.chart_svgs(data)
    pngs = charts.chart_images(data, "png")
    timings.append(("charts (3 × SVG + PNG)", time.perf_counter() - t))
    t = time.perf_counter()
    docx = documents.report_docx(data, pngs)
    timings.append(("Word (.docx)", time.perf_counter() - t))
    t = time.perf_counter()
    pdf = documents.report_pdf(data, pngs)
    timings.append(("PDF", time.perf_counter() - t))
    total = sum(s for _n, s in timings)
    replies = sum(u["replies"] for u in data["reply_quality"])
    per_reply = _task_ms(report)
    lines = [
        "## Monthly report (研判) generation",
        "",
        "Command: `.venv/bin/python bench/bench_reports.py --cases "
        f"{args.cases}` (SQLite; {note}).",
        "",
        f"A county-month of **{data['total']['current']:,} cases** "
        f"({replies:,} replies scored for reply quality, {len(data['hot_topics'])} hot topics, "
        f"{data['overdue']['count']:,} overdue).",
        "",
        "| stage | seconds |",
        "|---|---|",
        *[f"| {name} | {seconds:.2f} |" for name, seconds in timings],
        f"| **total** | **{total:.2f}** |",
        "",
        f"The snapshot with **no score stored yet** took {cold:.2f} s: it scores the month's "
        f"{replies:,} replies in one batch and stores them (`insights.ReplyScore`); every later "
        "report reads them. In normal operation each reply is scored when it is recorded "
        f"(`score_reply_task`, enqueued on commit): {per_reply:.1f} ms a reply (mean of "
        f"{TASK_SAMPLE}, including its queries and the county reference built once per "
        "10 minutes).",
        "",
        f"Files: .docx {len(docx) / 1024:.0f} KB, PDF {len(pdf) / 1024:.0f} KB.",
    ]
    write_section("reports", "\n".join(lines))
    print("\n".join(lines))


TASK_SAMPLE = 100


def _task_ms(report: MonthlyReport) -> float:
    """Mean milliseconds of the on-commit task over replies of the month (scores re-stored)."""
    ids = list(
        Case.objects.filter(
            region_id__gte=COUNTY,
            region_id__lte=COUNTY[:6] + "999999",
            replied_at__date__gte=MONTH,
            unit__isnull=False,
        )
        .exclude(reply="")
        .order_by("id")
        .values_list("pk", flat=True)[:TASK_SAMPLE]
    )
    t = time.perf_counter()
    for pk in ids:
        score_reply_task.call(case_id=pk)
    return (time.perf_counter() - t) * 1000 / max(1, len(ids))


if __name__ == "__main__":
    main()
