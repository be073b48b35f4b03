"""The hash chain of the audit trail: pure functions, no database access.

Each event stores `hash = sha256(canonical(event) + prev_hash)`, where `prev_hash` is the hash of
the event with the previous `seq`. Changing a stored event, removing one or reordering them breaks
the chain at a place `verify_audit` can name. The row id is left out on purpose: on PostgreSQL a
rolled-back insert burns an id, so ids may jump; `seq` is given out under the append lock and
never does.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Mapping
from typing import Any

# The `prev_hash` of the first event.
GENESIS = "0" * 64

# The fields that make an event. Adding one here changes the hash of every stored event, so it
# goes with a migration that chains the trail again (like 0003_hash_chain).
CHAINED_FIELDS: tuple[str, ...] = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "region_code",
    "before",
    "after",
    "note",
    "ip",
)


def _canonical_at(value: datetime.datetime) -> str:
    # Stored with microseconds on both databases; always compared in UTC.
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical_ip(value: str | None) -> str | None:
    # PostgreSQL's inet may print an address differently than it was given (IPv6 forms).
    return ipaddress.ip_address(value).exploded if value else None


def _canonical_json(value: Any) -> Any:
    # PostgreSQL's jsonb keeps numbers as numeric: 1e16 comes back as 10000000000000000 and -0.0
    # as 0.0. Whole floats are hashed as integers so that both forms hash alike.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_canonical_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical_json(v) for k, v in value.items()}
    return value


def canonical(values: Mapping[str, Any]) -> bytes:
    """The event's chained fields as sorted, compact JSON (what the hash covers)."""
    data = {name: values.get(name) for name in CHAINED_FIELDS}
    data["at"] = _canonical_at(values["at"])
    data["ip"] = _canonical_ip(data["ip"])
    data["region_code"] = data["region_code"] or ""
    data["before"] = _canonical_json(data["before"])
    data["after"] = _canonical_json(data["after"])
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def values_of(event: Any) -> dict[str, Any]:
    """The chained fields of an event object (a model instance, stored or about to be)."""
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


def event_hash(values: Mapping[str, Any], prev_hash: str) -> str:
    """sha256 over the canonical serialization followed by the previous event's hash."""
    return hashlib.sha256(canonical(values) + prev_hash.encode()).hexdigest()
