"""Replays of the review's privacy finding: phones (and ID numbers) typed into a case's free text
were stored in clear and shown in clear on the public tracking page.

A phone and an ID number typed into the detail through the public API, the H5 form and staff
intake are not in the database in clear (read with raw SQL); the echo wall, the tracking page and
the staff page show the same masked text; the original is revealed only to the case's staff, and
every reveal is audited.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases.models import Case, Channel
from liaison.cases.services.journal_move import intake_entries_move_all
from liaison.cases.tests.public_helpers import force_replied, fresh_cache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
__all__ = ["fresh_cache"]

PHONE = "13912345678"
ID_NUMBER = "43010419900307211X"
DETAIL = f"小区东门路灯坏了半个月，请联系我{PHONE}，身份证{ID_NUMBER}。"
MASKED = "小区东门路灯坏了半个月，请联系我139****5678，身份证4301**********211X。"


def _raw_columns(case_id: int) -> str:
    """Every text column of the case row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, content, free_text_private FROM cases_case WHERE id = %s", [case_id]
        )
        row = cursor.fetchone()
    assert row is not None
    return " | ".join(str(value) for value in row)


def _assert_not_in_clear(case: Case) -> None:
    raw = _raw_columns(case.pk)
    assert PHONE not in raw
    assert ID_NUMBER not in raw
    assert "139****5678" in raw  # the masked form is what the plain column holds
    with connection.cursor() as cursor:
        cursor.execute("SELECT free_text_private FROM cases_case WHERE id = %s", [case.pk])
        assert str(cursor.fetchone()[0]).startswith("gAAAA")  # a Fernet token


def _submit_h5(station: Any, client: Client) -> Case:
    data = {
        "via": "qr",
        "station": station.code,
        "kind": "help",
        "title": f"路灯坏了 {PHONE}",
        "content": DETAIL,
        "contact_name": "赵六",
        "contact_phone": "13700001111",
        "allow_publish": "on",
        "consent": "on",
        "client_token": "privacy-form-1",
    }
    response = client.post(f"/cases/new/?station={station.code}", data)
    assert response.status_code == 302, response.content.decode()[:500]
    return Case.objects.get(client_token="privacy-form-1")


def test_phone_and_id_typed_into_the_public_api_are_not_stored_in_clear(station: Any) -> None:
    body = {
        "station_code": station.code,
        "kind": "complaint",
        "title": f"路灯坏了 {PHONE}",
        "content": DETAIL,
        "contact_name": "李四",
        "contact_phone": "13900001111",
        "allow_publish": True,
        "client_token": "privacy-api-1",
    }
    response = Client().post("/api/v1/public/cases", body, content_type="application/json")
    assert response.status_code == 201
    intake_entries_move_all()
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    _assert_not_in_clear(case)


def test_phone_and_id_typed_into_the_h5_form_are_not_stored_in_clear(station: Any) -> None:
    _assert_not_in_clear(_submit_h5(station, Client()))


def test_phone_and_id_typed_in_at_staff_intake_are_not_stored_in_clear(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    data = {
        "channel": Channel.HOTLINE,
        "channel_ref": "GD-PRIV-1",
        "station": station.pk,
        "kind": "complaint",
        "title": "路灯坏了",
        "content": DETAIL,
        "contact_phone": "13900001111",
    }
    response = as_user(station_officer).post(reverse("cases:intake"), data)
    assert response.status_code == 200  # the printable slip (tracking code, PIN)
    _assert_not_in_clear(Case.objects.get(channel_ref="GD-PRIV-1"))


def test_echo_wall_tracking_page_and_staff_page_show_the_same_masked_text(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    visitor = Client()
    case = _submit_h5(station, visitor)
    force_replied(case, reply=f"已派人维修，如有问题请拨打{PHONE}。")
    pages = {
        "echo": Client().get("/cases/echo/").content.decode(),
        # The form's session remembers the case it made, as a correct PIN does.
        "track": visitor.get(f"/cases/track/{case.tracking_code}/").content.decode(),
        "staff": as_user(station_officer)
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode(),
    }
    for name, html in pages.items():
        assert MASKED in html, name
        assert PHONE not in html, name
        assert ID_NUMBER not in html, name
        assert "拨打139****5678" in html, name  # the reply is masked on display too


def test_revealing_the_original_is_for_the_cases_staff_only_and_audited(
    as_user: Any, station: Any, station_officer: Any, other_county_staff: Any
) -> None:
    case = _submit_h5(station, Client())
    url = reverse("cases:reveal", args=[case.pk])
    assert Client().post(url).status_code == 302  # anonymous: to the login page
    assert as_user(other_county_staff).post(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PRIVATE).exists()

    response = as_user(station_officer).post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert DETAIL in html
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PRIVATE)
    assert event.actor == station_officer
    assert "free_text_private" in event.note
    assert PHONE not in event.object_label  # the audit trail holds the masked title
