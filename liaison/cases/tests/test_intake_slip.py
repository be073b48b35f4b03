"""Staff intake hands out a printable slip: tracking code, PIN shown once, how to check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from liaison.cases.models import Case, Channel
from liaison.cases.services.intake import case_pin_matches

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def _paper(**over: Any) -> dict[str, Any]:
    data = {
        "channel": Channel.PAPER,
        "kind": "help",
        "title": "楼道灯坏了",
        "content": "三单元楼道灯坏了一个月。",
        "contact_name": "李奶奶",
        "client_token": "staff-7f1c2b0e9d8a4c3b",
    }
    data.update(over)
    return data


def _pin_in(page: str) -> str:
    found = re.search(r'data-pin="(\d{6})"', page)
    assert found, "the slip shows no PIN"
    return found.group(1)


def test_paper_intake_answers_with_a_slip_showing_the_pin_once(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    station.contact_phone = "0731-88886666"
    station.save(update_fields=["contact_phone"])
    client = as_user(station_officer)
    response = client.post(reverse("cases:intake"), _paper(station=station.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    case = Case.objects.get()
    page = response.content.decode()
    pin = _pin_in(page)
    assert case_pin_matches(case=case, pin=pin)
    assert case.tracking_code in page
    # How to check: the tracking page's address and the station's phone.
    assert "http://testserver" + reverse("cases_h5:track") in page
    assert "0731-88886666" in page
    assert station.name in page
    # Printable: a button wired by a static script, print rules in a static stylesheet.
    assert "打印回执" in page
    assert "js/print.js" in page
    assert "css/print.css" in page
    assert "onclick" not in page
    # Never stored in clear, never in a URL.
    assert pin not in (case.pin_digest or "")
    assert f"pin={pin}" not in page
    assert f"/{pin}" not in page
    # The case page shows the code but not the PIN.
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.tracking_code in detail
    assert f'data-pin="{pin}"' not in detail


def test_slip_without_station_phone_still_says_how_to_check(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    station.contact_phone = ""
    station.save(update_fields=["contact_phone"])
    response = as_user(station_officer).post(reverse("cases:intake"), _paper(station=station.pk))
    page = response.content.decode()
    assert "查询密码" in page
    assert "http://testserver" + reverse("cases_h5:track") in page
    assert "联络站电话" not in page


def test_sending_the_intake_form_again_makes_no_second_case_and_no_new_pin(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    client = as_user(station_officer)
    first = client.post(reverse("cases:intake"), _paper(station=station.pk))
    case = Case.objects.get()
    pin = _pin_in(first.content.decode())
    # A reload of the slip sends the same form (and its token) again.
    again = client.post(reverse("cases:intake"), _paper(station=station.pk))
    assert Case.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"].endswith(f"/{case.pk}/")
    page = client.get(again["Location"]).content.decode()
    assert "已录入" in page
    assert case.tracking_code in page
    assert pin not in page
    case.refresh_from_db()
    assert case_pin_matches(case=case, pin=pin)


def test_intake_form_carries_a_fresh_submission_token(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    client = as_user(station_officer)
    tokens = {
        re.search(
            r'name="client_token" value="([^"]+)"', client.get(reverse(name)).content.decode()
        ).group(1)  # type: ignore[union-attr]
        for name in ("cases:intake", "cases:intake")
    }
    assert len(tokens) == 2


def test_print_assets_are_static_files() -> None:
    script = (STATIC / "js" / "print.js").read_text(encoding="utf-8")
    assert "window.print()" in script
    styles = (STATIC / "css" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in styles
    assert "@page" in styles


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_slip_prints_from_the_button_in_the_browser(
    browser: Any, live_server: Any, station_officer: Any, station: Any
) -> None:
    from liaison.cases.tests.test_browser_loop import staff_page
    from liaison.common.tests.browser import screenshot

    page = staff_page(browser, live_server, station_officer)
    # Count the print dialogs instead of opening one (init scripts are not subject to the CSP).
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(f"{live_server.url}/staff/cases/new/?channel=paper")
    page.select_option("#id_station", str(station.pk))
    page.select_option("#id_kind", "help")
    page.fill("#id_title", "楼道灯坏了")
    page.fill("#id_content", "三单元楼道灯坏了一个月。")
    page.locator("#intake-form button[type=submit]").click()
    page.wait_for_load_state()
    slip = page.locator(".slip")
    assert Case.objects.get().tracking_code in slip.inner_text()
    assert re.search(r"查询密码\s*\d{6}", slip.inner_text())
    page.get_by_role("button", name="打印回执").click()
    assert page.evaluate("window.__printed") == 1
    screenshot(page, "staff-intake-slip")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.get_by_role("button", name="打印回执").is_visible()
    assert slip.is_visible()
