"""The public API's intake journal: answer at once, become a case a moment later (decision 0006).

`intake_entry_submit` validates a submission with the same rules as `case_submit`, writes it as one
`IntakeEntry` (an encrypted payload and two unique keys: one small INSERT) and returns the
tracking code and PIN. The worker turns waiting entries into cases in batches
(`journal_move.py`); a tracking lookup moves its own entry first (`intake_entry_settle`), so a
person never holds a code that does not work.

Why: a case row carries some twenty index entries, so writing one costs the database more than a
whole bare Django request; the journal row costs a tenth of that, which lets the public API keep
up with an outside system's bursts. Nothing accepted is lost: the entry is committed before the
answer, and an entry and its case are written in one transaction.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from liaison.cases.models import Channel, IntakeEntry
from liaison.cases.services.intake import (
    CODE_ATTEMPTS,
    JOURNAL_PREFIX,
    TRACKING_LENGTH,
    new_pin,
    new_tracking_code,
    pin_digest,
)
from liaison.cases.services.intake_checks import validate_submission
from liaison.cases.services.journal_move import intake_entries_move
from liaison.common.crypto import seal
from liaison.deputies.models import Deputy
from liaison.stations.models import Station

logger = logging.getLogger(__name__)

# JOURNAL_PREFIX ("A" for API): cases taken in directly have "C" codes, so the two never collide.
CODE_LENGTH: Final = TRACKING_LENGTH


@dataclass(frozen=True)
class Receipt:
    """What the caller is told: the code, the PIN (None for a replay), created or not."""

    tracking_code: str
    pin: str | None
    created: bool


def _new_code() -> str:
    return new_tracking_code(JOURNAL_PREFIX)


def _replayed(client_token: str | None) -> Receipt | None:
    """The receipt of an earlier API submission with this token. The API's tokens are those of
    the journal (tokens from before it were registered by migration cases.0013)."""
    if not client_token:
        return None
    code = (
        IntakeEntry.objects.filter(client_token=client_token)
        .values_list("tracking_code", flat=True)
        .first()
    )
    return Receipt(tracking_code=code, pin=None, created=False) if code else None


_INSERT: dict[str, str] = {}


def _insert_sql() -> str:
    """The entry's INSERT, built once per database vendor (the hottest write of the platform)."""
    sql = _INSERT.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        table = quote(IntakeEntry._meta.db_table)
        columns = ("tracking_code", "client_token", "pin_digest", "payload", "received_at")
        sql = _INSERT[connection.vendor] = (
            f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES (%s, %s, %s, %s, %s)"
        )
    return sql


def _write_entry(params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), params)


def intake_entry_submit(
    *,
    kind: str,
    title: str,
    content: str,
    station: Station | None = None,
    deputy: Deputy | None = None,
    place: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    is_anonymous: bool = False,
    allow_publish: bool = False,
    consent: bool = False,
    client_token: str | None = None,
) -> Receipt:
    """Validate and journal one public API submission; the same client_token returns the first."""
    client_token = (client_token or "").strip() or None
    try:
        clean = validate_submission(
            kind=kind,
            title=title,
            content=content,
            channel=Channel.API,
            station=station,
            deputy=deputy,
            region=None,
            category=None,
            place=place,
            contact_name=contact_name,
            contact_phone=contact_phone,
            is_anonymous=is_anonymous,
            allow_publish=allow_publish,
            consent=consent,
            images=(),
            client_token=client_token,
        )
    except ValidationError:
        # A retry of a submission accepted earlier gets its code even if it would not validate
        # now (say, the station has closed since).
        found = _replayed(client_token)
        if found is not None:
            return found
        raise
    pin = new_pin()
    # Kept only until the move, for the SMS that tells the person their code and PIN.
    payload = {**clean.payload(), "pin": pin if clean.contact_phone else ""}
    sealed = seal(json.dumps(payload, ensure_ascii=False))
    received_at = connection.ops.adapt_datetimefield_value(timezone.now())
    for _attempt in range(CODE_ATTEMPTS):
        code = _new_code()
        digest = pin_digest(tracking_code=code, pin=pin)
        params = [code, client_token, digest, sealed, received_at]
        try:
            if connection.in_atomic_block:  # a caller's transaction: keep it usable on failure
                with transaction.atomic():
                    _write_entry(params)
            else:  # one statement is its own transaction; atomic() would only add round trips
                _write_entry(params)
        except IntegrityError:
            # A replay, or a concurrent twin that won the race: both get the first receipt.
            found = _replayed(client_token)
            if found is not None:
                return found
            if IntakeEntry.objects.filter(tracking_code=code).exists():
                continue  # a random code drawn twice: draw again
            raise
        if getattr(settings, "INTAKE_MOVE_INLINE", False):
            intake_entries_move(codes=[code])
        return Receipt(tracking_code=code, pin=pin, created=True)
    raise RuntimeError("could not allocate a unique tracking code")


# --- lookups ------------------------------------------------------------------------------------


def intake_entry_settle(*, tracking_code: str) -> bool:
    """A tracking lookup found no case: move this code's entry now if it is still waiting.
    True when the code is a journal code, so that the caller looks again."""
    if not tracking_code.startswith(JOURNAL_PREFIX):
        return False
    intake_entries_move(codes=[tracking_code], classify=False)
    return True
