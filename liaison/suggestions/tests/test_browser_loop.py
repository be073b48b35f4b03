"""In a browser: a deputy turns two cases into a suggestion on a phone, a unit answers it with a
B grade on a desktop, and the deputy rates it on the phone (screenshots in test-artifacts/)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from liaison.cases.tests.factories import CaseFactory
from liaison.common.tests.browser import DESKTOP, PHONE, screenshot
from liaison.suggestions import services
from liaison.suggestions.models import Grade, Rating, Status, Suggestion
from liaison.suggestions.tests.factories import PDF, author_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logged_in(browser: Any, live_server: Any, user: Any, viewport: dict[str, int]) -> Any:
    from conftest import login_client

    client = login_client(user)
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_two_cases_become_a_suggestion_answered_b_and_rated(
    browser: Any,
    live_server: Any,
    station: Any,
    deputy: Any,
    session: Any,
    county_staff: Any,
    lead_unit: Any,
    lead_clerk: Any,
    tmp_path: Any,
) -> None:
    cases = [
        CaseFactory(deputy=author_of(deputy), station=station, title="东方红小区路灯不亮"),
        CaseFactory(deputy=author_of(deputy), station=station, title="枫林路路灯夜间不亮"),
    ]
    # 1. The deputy drafts on a phone from the two cases and submits.
    page = _logged_in(browser, live_server, deputy, PHONE)
    page.goto(f"{live_server.url}/staff/suggestions/new/")
    page.select_option("#id_session", str(session.pk))
    page.fill("#id_title", "关于加强城区路灯维护管理的建议")
    page.fill("#id_problem", "多个小区和道路路灯长期不亮，群众夜间出行不便。")
    page.fill("#id_analysis", "路灯维护责任分散，报修渠道不畅。")
    page.fill("#id_proposal", "明确路灯维护责任单位，建立报修限时办结制度。")
    for case in cases:
        page.check(f"input[name='cases'][value='{case.pk}']")
    screenshot(page, "suggestion-1-draft-phone")
    page.click("form.suggestion-draft button[type='submit']")
    page.wait_for_url("**/edit/")
    page.fill("#id_analysis", "路灯维护责任分散，报修渠道不畅，缺少考核。")
    page.wait_for_selector(".autosave-status:has-text('已自动保存')", timeout=10_000)
    suggestion = Suggestion.objects.get(title="关于加强城区路灯维护管理的建议")
    assert "缺少考核" in suggestion.analysis  # the autosave reached the server
    page.goto(f"{live_server.url}/staff/suggestions/{suggestion.pk}/")
    page.click("form.action-submit button")
    page.wait_for_selector("text=第 1 号")
    screenshot(page, "suggestion-2-submitted-phone")
    # The case's page names the suggestion.
    page.goto(f"{live_server.url}/staff/cases/{cases[0].pk}/")
    assert page.locator(".mention").first.inner_text().find("第 1 号") >= 0

    # 2. Staff accept and assign (services); the unit answers with a B grade on a desktop.
    suggestion = services.suggestion_accept(suggestion=suggestion, actor=county_staff)
    services.suggestion_assign(suggestion=suggestion, actor=county_staff, lead=lead_unit)
    unit = _logged_in(browser, live_server, lead_clerk, DESKTOP)
    unit.goto(f"{live_server.url}/staff/suggestions/units/")
    unit.click("text=关于加强城区路灯维护管理的建议")
    unit.select_option("#id_contact-method", "meeting")
    unit.fill("#id_contact-on", timezone.localdate().isoformat())
    unit.click("form.action-contact button")
    unit.wait_for_selector("form.action-answer")
    unit.select_option("#id_answer-grade", Grade.B)
    unit.fill("#id_answer-answer", "已列入今年城区路灯改造计划，正在招标。")
    promised = timezone.localdate() + datetime.timedelta(days=90)
    unit.fill("#id_answer-promised_on", promised.isoformat())
    letter = tmp_path / "答复函.pdf"
    letter.write_bytes(PDF)
    unit.set_input_files("#id_answer-letter", str(letter))
    unit.click("form.action-answer button")
    unit.wait_for_selector("text=下载答复函")
    screenshot(unit, "suggestion-3-answered-desktop")

    # 3. The deputy rates it on the phone.
    page.goto(f"{live_server.url}/staff/suggestions/")
    page.click("text=关于加强城区路灯维护管理的建议")
    page.check(f"input[name='rate-rating'][value='{Rating.BASIC}']")
    page.fill("#id_rate-comment", "希望按期完成改造。")
    page.click("form.action-rate button")
    page.wait_for_selector("text=已办结")
    screenshot(page, "suggestion-4-rated-phone")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.grade, suggestion.rating) == (
        Status.CLOSED,
        Grade.B,
        Rating.BASIC,
    )
    assert suggestion.promised_on == promised
    overflow = page.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
    # Close both contexts before the live server stops, so no late request reaches it.
    page.context.close()
    unit.context.close()
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
