"""The real URLs plus two yardsticks for the benchmarks (never in production):

- `/bench/bare/`, the smallest Django view;
- `/bench/floor/h5/` and `/staff/bench-floor/`, the floors of a page: the public and the staff
  base templates with nothing in them, through the full middleware (the staff one signed in,
  under /staff/ so that it has its menu).
  No page of either kind can be cheaper, so they say how much of a page's time is its own;
- `/bench/durable/`, the same view plus one INSERT of a row as wide as an intake journal row
  (`cases.IntakeEntry`: two unique keys, a PIN digest, a sealed payload, a time), committed before
  the answer: the physical limit of a durable acknowledgement on this server and database (issue
  16; decision 0043). A GET, so that wrk needs no body or CSRF token; it writes only to its own
  table, which `durable_table_ensure` makes (bench/bench_cases.py calls it before each run).
"""

import secrets

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.utils import timezone

from config.urls import urlpatterns as real_urlpatterns

DURABLE_TABLE = "bench_durable_reference"
# About the length of the sealed payload of bench/wrk_cases.lua's intake body.
PAYLOAD_CHARS = 456


def durable_table_ensure() -> None:
    """Create the reference table (columns and unique indexes of the intake journal), empty."""
    key = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
    when = "TIMESTAMP WITH TIME ZONE" if connection.vendor == "postgresql" else "DATETIME"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DURABLE_TABLE} ("
            f"id {key} PRIMARY KEY, tracking_code VARCHAR(16) NOT NULL UNIQUE, "
            "client_token VARCHAR(64) NOT NULL UNIQUE, pin_digest VARCHAR(64) NOT NULL, "
            f"payload TEXT NOT NULL, received_at {when} NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {DURABLE_TABLE}")


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


_FLOORS = {
    kind: engines["django"].from_string('{% extends "' + base + '" %}')
    for kind, base in (("h5", "base_h5.html"), ("staff", "base_staff.html"))
}


def floor_h5(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_FLOORS["h5"].render({}, request))


@login_required
def floor_staff(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_FLOORS["staff"].render({}, request))


def durable(request: HttpRequest) -> JsonResponse:
    # Autocommit: the INSERT is its own transaction, committed (and on PostgreSQL flushed to the
    # WAL, synchronous_commit as configured) before the answer, as an intake entry is.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DURABLE_TABLE} "
            "(tracking_code, client_token, pin_digest, payload, received_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                "B" + secrets.token_hex(6).upper(),
                "bench-" + secrets.token_hex(16),
                secrets.token_hex(32),
                secrets.token_urlsafe(PAYLOAD_CHARS * 3 // 4),
                timezone.now(),
            ],
        )
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/durable/", durable),
    path("bench/floor/h5/", floor_h5),
    path("staff/bench-floor/", floor_staff),
    *real_urlpatterns,
]
