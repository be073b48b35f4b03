"""`manage.py seed_cases --count N`: realistic cases in bulk, for benchmarks and demos.

Texts are drawn from the real citizens' messages in ../shared/data (read at run time, never copied
into the project) when they are there, otherwise from a few built-in templates. Cases spread over
the active stations of a region, over two years, through every status with consistent milestones
and a public timeline; as in a real ledger, only the last month's cases (and a few stragglers) are
still open. Every seeded case has the PIN given by --pin (default 123456) so that
tracking lookups can be benchmarked.

Rows are built as plain tuples (no model instances) and written with executemany in batches, one
transaction per batch: columns that are the same on every row are prepared once, datetimes are
adapted once per value. About 10,000 cases a second on SQLite; one million in a few minutes.
"""

from __future__ import annotations

import csv
import datetime
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from liaison.cases.models import (
    Case,
    CaseEvent,
    Channel,
    DeclineReason,
    EventKind,
    Kind,
    Rating,
    Status,
)
from liaison.cases.services.intake import TRACKING_LENGTH, TRACKING_PREFIX, pin_digest
from liaison.common.codes import ALPHABET
from liaison.common.shared_data import shared_file
from liaison.regions.models import Region
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station, StationStatus
from liaison.taxonomy.models import Category
from liaison.units.models import HandlingUnit

# A county's ledger in steady state: the last month's inflow is still being worked on (these
# states, in these shares); older cases have settled (SETTLED_MIX), except a few stragglers that
# stayed assigned past their deadline. Open cases are therefore a few per cent of a long history,
# not a fixed share of it, as in a real ledger (the queues' sizes follow the recent inflow).
RECENT_DAYS = 30
RECENT_SHARE = RECENT_DAYS / (2 * 365)
STRAGGLER_SHARE = 0.01
RECENT_MIX: list[tuple[str, int]] = [
    (Status.SUBMITTED, 4),
    (Status.ACCEPTED, 4),
    (Status.ASSIGNED, 14),
    (Status.REPLIED, 8),
    (Status.EVALUATED, 6),
    (Status.CLOSED, 10),
    (Status.DECLINED, 2),
]
SETTLED_MIX: list[tuple[str, int]] = [
    (Status.EVALUATED, 10),
    (Status.CLOSED, 52),
    (Status.DECLINED, 4),
    (Status.MERGED, 2),
    (Status.WITHDRAWN, 2),
]
RECENT_KEYS, RECENT_WEIGHTS = [s for s, _w in RECENT_MIX], [w for _s, w in RECENT_MIX]
SETTLED_KEYS, SETTLED_WEIGHTS = [s for s, _w in SETTLED_MIX], [w for _s, w in SETTLED_MIX]
KINDS = list(Kind.values)
RATINGS = [Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED]
DECLINE_REASONS = list(DeclineReason.values)
CHANNEL_MIX = [Channel.QR] * 5 + [Channel.HOTLINE] * 3 + [Channel.RECEPTION] * 2
CHANNEL_MIX += [Channel.WEB, Channel.LETTER_BOX, Channel.VISIT, Channel.PHONE, Channel.WECHAT]
FALLBACK_TEXTS = [
    ("小区路灯长期不亮", "小区东门至菜市场一段路灯坏了两个多月，晚上老人出行不便，请尽快维修。"),
    ("建议增设公交站点", "新建安置小区距最近的公交站一公里多，建议在小区门口增设站点。"),
    ("施工噪音扰民", "附近工地夜间十一点后仍在施工，噪音很大，影响休息。"),
    ("学校门口交通拥堵", "上下学时段学校门口车辆乱停，孩子过马路很危险，建议安排交警疏导。"),
    ("咨询医保报销政策", "老人在外地住院，想咨询异地就医备案和报销的流程。"),
]
REPLY = "经核实，已安排相关单位现场处理，问题已整改，感谢您的监督。"
REPLIED = {Status.REPLIED, Status.EVALUATED, Status.CLOSED}
ASSIGNED = REPLIED | {Status.ASSIGNED}
ACCEPTED = ASSIGNED | {Status.ACCEPTED, Status.MERGED}
FINAL_EVENT: dict[str, str] = {
    Status.DECLINED: EventKind.DECLINED,
    Status.MERGED: EventKind.MERGED,
    Status.WITHDRAWN: EventKind.WITHDRAWN,
}
# Columns written per case, in this order; every other column takes its field default.
CASE_COLUMNS = [
    *("tracking_code", "pin_digest", "kind", "title", "content", "category_id", "channel"),
    *("region_id", "station_id", "status", "submitted_at", "accept_due", "accepted_at"),
    *("assigned_at", "reply_due", "replied_at", "relayed_at", "rated_at", "closed_at"),
    *("due_state", "unit_id", "reply", "rating", "decline_reason", "allow_publish"),
    *("consent_at", "contact_phone_tail", "published_at"),
]
EVENT_COLUMNS = ["case_id", "kind", "at", "from_status", "to_status"]
BIG_LOAD = 50_000  # from this many cases on, indexes are built after the load
DAY, HOUR = datetime.timedelta(days=1), datetime.timedelta(hours=1)
Row = tuple[Any, ...]


def _texts() -> list[tuple[str, str, str]]:
    path = shared_file("teddy2020", "messages_labeled.csv")
    if not path.is_file():
        return [(t, c, "") for t, c in FALLBACK_TEXTS]
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [
            ((r.get("title") or "")[:100], (r.get("detail") or "")[:5000], r.get("label") or "")
            for r in csv.DictReader(handle)
        ]
    return [(t or c[:30], c or t, label) for t, c, label in rows if t or c]


class Insert:
    """`INSERT INTO table (given columns + defaulted columns)` with the defaults prepared once."""

    def __init__(
        self, model: type[Model], columns: Sequence[str], fixed: dict[str, Any] | None = None
    ) -> None:
        fields = {str(f.column): f for f in model._meta.concrete_fields if not f.primary_key}
        fixed = fixed or {}
        unknown = (set(columns) | set(fixed)) - set(fields)
        assert not unknown, unknown
        rest = [c for c in fields if c not in columns]
        self.defaults = tuple(
            fields[c].get_db_prep_save(fixed.get(c, fields[c].get_default()), connection)
            for c in rest
        )
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in [*columns, *rest])
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"

    def run(self, cursor: Any, rows: list[Row]) -> None:
        defaults = self.defaults
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: several times faster than executemany.
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row + defaults)
            return
        cursor.executemany(self.sql, [row + defaults for row in rows])


def _clock() -> tuple[Callable[[], datetime.datetime], Callable[[Any], Any]]:
    """`now` and the value adapter for dates and datetimes on this database.

    Django's SQLite backend stores naive UTC text (`YYYY-MM-DD HH:MM:SS.ffffff`), which is what
    `str` gives for a naive UTC datetime; other databases take aware datetimes and dates as is.
    """
    if connection.vendor == "sqlite":
        return (lambda: timezone.now().replace(tzinfo=None)), str
    return timezone.now, (lambda value: value)


@contextmanager
def _indexes_deferred(tables: list[str]) -> Iterator[None]:
    """Drop the non-unique indexes of `tables` for a big load and build them again afterwards.

    Building an index once from sorted rows is far cheaper than ~20 random B-tree inserts per
    row; unique indexes stay, so a repeated tracking code is still refused at once.
    """
    if connection.vendor == "sqlite":
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN (%s, %s)"
        )
    else:
        query = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexdef NOT LIKE 'CREATE UNIQUE%%' AND tablename IN (%s, %s)"
        )
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)


class Command(BaseCommand):
    help = "批量生成逼真的民意诉求数据（用于基准测试与演示）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--region", default="430104", help="区划代码（简写或 12 位）")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--pin", default="123456")
        parser.add_argument("--batch", type=int, default=20_000)

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["count"]
        if count < 1 or count > 5_000_000:
            raise CommandError("--count 须在 1 到 5,000,000 之间")
        region = Region.objects.filter(code=options["region"].ljust(12, "0")).first()
        if region is None:
            raise CommandError(f"区划不存在：{options['region']}")
        self.stations = list(
            Station.objects.filter(region_subtree_q(region, "region_id"))
            .filter(status=StationStatus.ACTIVE)
            .values_list("pk", "region_id")
        )
        if not self.stations:
            raise CommandError("该区划下没有运行中的联络站，请先执行 manage.py demo")
        self.units: list[int] = list(
            HandlingUnit.objects.filter(is_active=True).values_list("pk", flat=True)
        )
        self.categories = self._categories()
        self.every_category = [pk for pks in self.categories.values() for pk in pks]
        self.texts = _texts()
        self.pin: str = options["pin"]
        self.rng = random.Random(options["seed"])
        # Codes must not repeat across runs, whatever --seed says.
        self.code_rng = random.Random(os.urandom(16))
        self.now, self.dt = _clock()
        self.case_insert = Insert(Case, CASE_COLUMNS)
        self.event_insert = Insert(
            CaseEvent,
            EVENT_COLUMNS,
            {"actor_role": "system", "is_public": True, "data": {"seeded": True}},
        )
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # This connection only: a big page cache for the ~20 indexes, and no fsync at each
            # batch's commit (WAL keeps the file consistent; a power cut may lose the last batches).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("PRAGMA synchronous = OFF")
        started = time.perf_counter()
        big = count >= BIG_LOAD and not connection.in_atomic_block
        with (
            _indexes_deferred([Case._meta.db_table, CaseEvent._meta.db_table])
            if big
            else nullcontext()
        ):
            made = 0
            while made < count:
                size = min(options["batch"], count - made)
                self._batch(size)
                made += size
                if made % 100_000 == 0 or made == count:
                    rate = made / (time.perf_counter() - started)
                    self.stdout.write(f"已生成 {made:,} 件（{rate:,.0f} 件/秒）")
        rate = count / (time.perf_counter() - started)
        self.stdout.write(f"完成：{count:,} 件，含重建索引 {rate:,.0f} 件/秒")

    @staticmethod
    def _categories() -> dict[str, list[int]]:
        by_top: dict[str, list[int]] = {}
        for pk, path in Category.objects.filter(region__isnull=True).values_list("pk", "path"):
            by_top.setdefault(path.split("/", 1)[0], []).append(pk)
        return by_top

    def _batch(self, size: int) -> None:
        for _attempt in range(5):
            now = self.now()
            cases = [self._case(now) for _ in range(size)]
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SELECT MAX(id) FROM {Case._meta.db_table}")
                    before = cursor.fetchone()[0] or 0
                    self.case_insert.run(cursor, [row for row, _steps in cases])
                    cursor.execute(
                        f"SELECT tracking_code, id FROM {Case._meta.db_table} WHERE id > %s",
                        [before],
                    )
                    ids = dict(cursor.fetchall())
                    events = [(ids[row[0]], *step) for row, steps in cases for step in steps]
                    self.event_insert.run(cursor, events)
                return
            except IntegrityError:  # a tracking code already taken (rare): draw the batch again
                continue
        raise CommandError("无法分配不重复的查询码")

    def _case(self, now: datetime.datetime) -> tuple[Row, list[Row]]:
        """One case row and its public timeline (kind, at, from, to), milestones in order."""
        rng, dt = self.rng, self.dt
        code = TRACKING_PREFIX + "".join(self.code_rng.choices(ALPHABET, k=TRACKING_LENGTH))
        station_id, region_id = rng.choice(self.stations)
        title, content, label = rng.choice(self.texts)
        recent = rng.random() < RECENT_SHARE
        if recent:
            status = rng.choices(RECENT_KEYS, RECENT_WEIGHTS)[0]
        elif rng.random() < STRAGGLER_SHARE:
            status = Status.ASSIGNED  # months past its deadline: red on the overdue queue
        else:
            status = rng.choices(SETTLED_KEYS, SETTLED_WEIGHTS)[0]
        # Recent cases within the month, the rest over two years, never in the future: the
        # milestones after submission must fit before now.
        window = (RECENT_DAYS if recent else 2 * 365) * 24 * 60
        minutes = rng.randrange(window)
        submitted = now - datetime.timedelta(minutes=minutes)
        pool = self.categories.get(label) or self.every_category
        steps: list[Row] = [(EventKind.SUBMITTED, submitted, "", Status.SUBMITTED)]
        accepted = assigned = replied = relayed = rated = closed = reply_due = None
        unit_id, reply, rating, due_state, t = None, "", "", "", submitted
        if status in ACCEPTED:
            t = accepted = t + HOUR * rng.randrange(1, 48)
            steps.append((EventKind.ACCEPTED, t, Status.SUBMITTED, Status.ACCEPTED))
        if status in ASSIGNED:
            t = assigned = t + HOUR * rng.randrange(1, 24)
            unit_id = rng.choice(self.units) if self.units else None
            reply_due = (t + 21 * DAY).date()
            steps.append((EventKind.ASSIGNED, t, Status.ACCEPTED, Status.ASSIGNED))
            if status == Status.ASSIGNED and reply_due < now.date():
                due_state = "red"
        if status in REPLIED:
            t = replied = t + DAY * rng.randrange(1, 25)
            relayed, reply = t + HOUR * rng.randrange(1, 48), REPLY
            steps.append((EventKind.REPLIED, t, Status.ASSIGNED, Status.REPLIED))
        # Evaluated cases have their rating; some closed ones were closed without one.
        if status == Status.EVALUATED or (status == Status.CLOSED and rng.random() < 0.85):
            t = rated = t + DAY
            rating = rng.choices(RATINGS, (75, 17, 8))[0]
            steps.append((EventKind.EVALUATED, t, Status.REPLIED, Status.EVALUATED))
        if status == Status.CLOSED:
            t = closed = t + 2 * DAY
            steps.append((EventKind.CLOSED, t, steps[-1][3], Status.CLOSED))
        if status in FINAL_EVENT:
            at = (accepted or submitted) + HOUR
            steps.append((FINAL_EVENT[status], at, steps[-1][3], status))
        last = max(x for x in (t, relayed, steps[-1][1]) if x is not None)
        if last > now:  # a recent case whose milestones would run past now: move it all back
            shift = last - now + HOUR
            submitted -= shift
            accepted, assigned, replied, relayed, rated, closed = (
                x - shift if x is not None else None
                for x in (accepted, assigned, replied, relayed, rated, closed)
            )
            steps = [(kind, at - shift, frm, to) for kind, at, frm, to in steps]
            if assigned is not None:
                reply_due = (assigned + 21 * DAY).date()
                due_state = "red" if status == Status.ASSIGNED and reply_due < now.date() else ""
        publish = rng.random() < 0.4
        row = (
            code,
            pin_digest(tracking_code=code, pin=self.pin),
            rng.choice(KINDS),
            title,
            content,
            rng.choice(pool) if pool else None,
            rng.choice(CHANNEL_MIX),
            region_id,
            station_id,
            status,
            dt(submitted),
            dt((submitted + 3 * DAY).date()),
            accepted and dt(accepted),
            assigned and dt(assigned),
            reply_due and dt(reply_due),
            replied and dt(replied),
            relayed and dt(relayed),
            rated and dt(rated),
            closed and dt(closed),
            due_state,
            unit_id,
            reply,
            rating,
            rng.choice(DECLINE_REASONS) if status == Status.DECLINED else "",
            publish,
            dt(submitted),
            f"{rng.randrange(10_000):04d}",
            # On the echo wall: answered (replied, evaluated or closed) and allowed.
            (replied and publish and dt(replied)) or None,
        )
        return row, [(kind, dt(at), frm, to) for kind, at, frm, to in steps]
