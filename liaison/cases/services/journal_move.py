"""Moving the intake journal into cases (decision 0006): the worker's side of `journal.py`.

`intake_entries_move` turns waiting `IntakeEntry` rows into cases in batches: each batch is
classified first, then its cases, their SUBMITTED events and the entries' "moved" marks are
written in one transaction, and the tracking SMS goes out on commit. An entry that cannot become
a case (unreadable payload, a row it refers to is gone) is held for a person instead of stopping
the others. Text is never a reason to hold: the API refuses control characters with the same
check (`intake_checks.text_field_problem`) that the move applies here, and an entry journaled
before that check existed has those characters removed on its way into the case.
`intake_journal_tick` is the worker's step: it moves only when submissions pause, or when an
entry has waited too long, so that a burst keeps the cores and SQLite's write lock for the
requests.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any, Final

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.classification import CategoryHint, classification_hint_many
from liaison.cases.models import Case, CaseEvent, Channel, IntakeEntry
from liaison.cases.models.intake import IntakeEntryQuerySet
from liaison.cases.services.arrival import arrival_of, arrivals_notify_on_commit
from liaison.cases.services.intake import send_tracking_sms
from liaison.cases.services.intake_build import Submission, case_build, submitted_event
from liaison.cases.services.intake_checks import text_field_problem
from liaison.cases.workflow import CONSTITUENT
from liaison.common.crypto import unseal
from liaison.common.text import text_clean
from liaison.deputies.models import Deputy
from liaison.regions.models import Region
from liaison.stations.models import Station

logger = logging.getLogger(__name__)

# Small enough that SQLite's write lock is held for tens of milliseconds at a time.
BATCH: Final = 50
# What a payload must hold to become a case (written by intake_entry_submit).
PAYLOAD_KEYS: Final = frozenset(
    {
        "kind", "title", "content", "place", "region", "station", "deputy", "contact_name",
        "contact_phone", "is_anonymous", "allow_publish", "consent", "pin",
    }
)  # fmt: skip
# The payload's free text, checked as the API checked it.
TEXT_KEYS: Final = ("title", "content", "place", "contact_name", "contact_phone")


def _storable(entry: IntakeEntry, data: dict[str, Any]) -> dict[str, Any]:
    """The payload with text every database and export takes. A no-op for entries taken in
    under the API's character check; older ones lose the control characters (logged)."""
    for key in TEXT_KEYS:
        value = data[key]
        if isinstance(value, str) and text_field_problem(key, value) is not None:
            data[key] = text_clean(value)
            logger.warning("intake entry %s: control characters removed from %s", entry.pk, key)
    return data


def _case_from(
    entry: IntakeEntry, data: dict[str, Any], *, token_taken: bool, hint: CategoryHint | None
) -> Case:
    return case_build(
        submission=Submission.from_payload(data),
        tracking_code=entry.tracking_code,
        pin_digest=entry.pin_digest,
        channel=Channel.API,
        received_at=entry.received_at,
        client_token=None if token_taken else entry.client_token,
        hint=hint,
        # Classified in the batch; without a model the hint sweep tries again later.
        hint_pending=hint is None,
    )


def _hold(entry_ids: list[int], why: str) -> None:
    """Keep entries that cannot become cases, with their payload, out of the worker's way."""
    if entry_ids:
        IntakeEntry.objects.filter(pk__in=entry_ids).update(held_at=timezone.now())
        logger.error("%d intake journal entries held (%s): %s", len(entry_ids), why, entry_ids)


def _readable(entries: list[IntakeEntry]) -> list[tuple[IntakeEntry, dict[str, Any]]]:
    """Entries with their payloads; an unreadable one is held (never lost, never blocking)."""
    readable, held = [], []
    for entry in entries:
        try:
            data = json.loads(unseal(entry.payload))
            if not isinstance(data, dict) or not data.keys() >= PAYLOAD_KEYS:
                raise ValueError("payload without the expected fields")
            readable.append((entry, _storable(entry, data)))
        except ValueError:
            # Sealed under another key (SECRET_KEY or FIELD_ENCRYPTION_KEY changed while it
            # waited), damaged, or of another format: kept for a person (admin), not retried.
            held.append(entry.pk)
    _hold(held, "unreadable")
    return readable


def _events(cases: list[Case]) -> list[CaseEvent]:
    return [submitted_event(case, role=CONSTITUENT, at=case.submitted_at) for case in cases]


def intake_entries_move(
    *, limit: int = BATCH, codes: list[str] | None = None, classify: bool = True
) -> int:
    """Turn up to `limit` waiting entries (oldest first, or those with `codes`) into cases; how
    many entries were handled. `classify=False` leaves the hint to the worker's sweep (a
    tracking lookup must not load the classifier into a web worker)."""
    waiting = IntakeEntry.objects.waiting()
    if codes is not None:
        waiting = waiting.filter(tracking_code__in=codes)
    # Read and unseal before the write transaction: on SQLite it holds the database's write lock,
    # which intake requests wait for.
    entries = list(waiting.order_by("id")[:limit])
    readable = _readable(entries)
    if not readable:
        return len(entries)
    # The category hint too, in one batch, so these cases need no second write later.
    texts = [(data["title"], data["content"]) for _entry, data in readable]
    found = classification_hint_many(texts) if classify else [None] * len(texts)
    hints = dict(zip([entry.pk for entry, _data in readable], found, strict=True))
    with transaction.atomic():
        # Claim: the worker and a tracking lookup never move the same entry (skip_locked on
        # PostgreSQL; SQLite's write transactions are serial, and the re-read sees the winner).
        # A lookup (`codes`) waits for a worker moving its entry, so it then finds the case.
        claimed = set(
            IntakeEntry.objects.filter(pk__in=[e.pk for e, _d in readable], moved_at__isnull=True)
            .select_for_update(skip_locked=codes is None)
            .values_list("pk", flat=True)
        )
        readable = [(entry, data) for entry, data in readable if entry.pk in claimed]
        moved = _insert_cases(readable, hints)
        now = timezone.now()
        for entry, _data, case in moved:
            entry.case_id, entry.moved_at, entry.payload = case.pk, now, ""
        IntakeEntry.objects.bulk_update([m[0] for m in moved], ["case_id", "moved_at", "payload"])
        for _entry, data, case in moved:
            if data["contact_phone"] and data["pin"]:
                transaction.on_commit(
                    partial(
                        send_tracking_sms,
                        case_id=case.pk,
                        phone=data["contact_phone"],
                        pin=data["pin"],
                    )
                )
        # One message round for the whole batch (arrival.py), after the tracking SMS.
        arrivals_notify_on_commit([arrival_of(case) for _entry, _data, case in moved])
    return len(entries)


def _missing_rows(payloads: Iterable[dict[str, Any]]) -> dict[str, set[Any]]:
    """Per reference in the payloads (station, deputy, region): the ids that no longer exist."""
    wanted: dict[str, set[Any]] = {"station": set(), "deputy": set(), "region": set()}
    for data in payloads:
        for key, ids in wanted.items():
            if data[key] is not None:
                ids.add(data[key])
    models = {"station": Station, "deputy": Deputy, "region": Region}
    return {
        key: ids - set(models[key]._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for key, ids in wanted.items()
    }


def _insert_cases(
    readable: list[tuple[IntakeEntry, dict[str, Any]]], hints: dict[int, CategoryHint | None]
) -> list[tuple[IntakeEntry, dict[str, Any], Case]]:
    """The cases and their events (in the caller's transaction); an entry that cannot become a
    case (say, its station row is gone) is held instead of stopping the others."""
    tokens = [entry.client_token for entry, _data in readable if entry.client_token]
    # A token already used by a case taken in through another channel: keep the text (never
    # lose a submission), drop the token.
    taken = set(Case.objects.filter(client_token__in=tokens).values_list("client_token", flat=True))
    if taken:
        logger.warning("%d journal entries reused a case's client token; token dropped", len(taken))
    built: list[tuple[IntakeEntry, dict[str, Any], Case]] = []
    held: list[int] = []
    # Foreign keys are checked at commit: a station, deputy or region removed while the entry
    # waited would fail the whole batch there, so such entries are held here.
    missing = _missing_rows(data for _entry, data in readable)
    for entry, data in readable:
        if any(data[key] in missing[key] for key in missing):
            logger.error("intake entry %s refers to a removed row", entry.tracking_code)
            held.append(entry.pk)
            continue
        try:
            case = _case_from(
                entry,
                data,
                token_taken=entry.client_token in taken,
                hint=hints.get(entry.pk),
            )
        except Exception:
            logger.exception("intake entry %s cannot become a case", entry.tracking_code)
            held.append(entry.pk)
            continue
        built.append((entry, data, case))
    try:
        with transaction.atomic():  # the batch at once, the usual case
            Case.objects.bulk_create([case for _e, _d, case in built])
            CaseEvent.objects.bulk_create(_events([case for _e, _d, case in built]))
        done = built
    except DatabaseError:
        logger.exception("a batch of intake entries failed; moving them one by one")
        done = []
        for entry, data, case in built:
            case.pk = None
            try:
                with transaction.atomic():
                    case.save(force_insert=True)
                    CaseEvent.objects.bulk_create(_events([case]))
            except DatabaseError:
                logger.exception("intake entry %s cannot become a case", entry.tracking_code)
                held.append(entry.pk)
                continue
            done.append((entry, data, case))
    _hold(held, "cannot become a case")
    return done


def intake_entries_release(*, entries: IntakeEntryQuerySet, actor: User) -> int:
    """Give held entries back to the worker (after the key they were sealed under is restored);
    how many. Audited."""

    with transaction.atomic():
        held = list(entries.held())
        for entry in held:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=entry,
                before={"held_at": entry.held_at.isoformat() if entry.held_at else None},
                after={"held_at": None},
                note="重新交给后台转入",
            )
        IntakeEntry.objects.filter(pk__in=[e.pk for e in held]).update(held_at=None)
    return len(held)


def intake_journal_due(*, quiet_seconds: float, max_wait_seconds: float) -> bool:
    """Whether the worker should move entries now: nothing has arrived for `quiet_seconds`, or
    the oldest waiting entry has waited `max_wait_seconds`.

    Moving takes the database's write lock and a core; during a burst of submissions the worker
    leaves both to the requests, which then stay fast, and catches up after. A lookup of a waiting
    code still moves that entry at once (`intake_entry_settle`)."""
    waiting = IntakeEntry.objects.waiting()
    newest = waiting.order_by("-id").values_list("received_at", flat=True).first()
    if newest is None:
        return False
    now = timezone.now()
    if (now - newest).total_seconds() >= quiet_seconds:
        return True
    oldest = waiting.order_by("id").values_list("received_at", flat=True).first()
    return oldest is not None and (now - oldest).total_seconds() >= max_wait_seconds


def intake_journal_tick() -> int:
    """The worker's step: one batch when due (see `intake_journal_due`), else nothing."""
    due = intake_journal_due(
        quiet_seconds=float(getattr(settings, "INTAKE_QUIET_SECONDS", 0.5)),
        max_wait_seconds=float(getattr(settings, "INTAKE_MAX_WAIT_SECONDS", 30)),
    )
    return intake_entries_move() if due else 0


def intake_entries_move_all() -> int:
    """Move every waiting entry (the worker's `--once`, the demo, tests)."""
    total = 0
    while done := intake_entries_move():
        total += done
    return total
