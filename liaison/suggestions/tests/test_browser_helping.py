"""In a browser: station staff start a draft for a deputy (desktop), pick a hot topic of the
monthly analysis and remove a case source; the deputy finds the draft on the phone and submits it
(screenshots in test-artifacts/)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from liaison.cases.tests.factories import CaseFactory
from liaison.common.tests.browser import DESKTOP, PHONE, screenshot
from liaison.reports.models import MonthlyReport, ReportStatus
from liaison.suggestions.models import SourceKind, Status, Suggestion, SuggestionEvent
from liaison.suggestions.tests.factories import author_of
from liaison.suggestions.tests.test_browser_loop import _logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_draft_for_a_deputy_with_a_hot_topic_and_the_deputy_submits(
    browser: Any,
    live_server: Any,
    station: Any,
    station_officer: Any,
    deputy: Any,
    session: Any,
) -> None:
    case = CaseFactory(station=station, title="望月湖小区路灯不亮")
    MonthlyReport.objects.create(
        station=station,
        month=datetime.date(2026, 10, 1),
        status=ReportStatus.DONE,
        data={"hot_topics": [{"rank": 1, "label": "老旧小区路灯"}]},
    )
    # 1. The liaison officer starts the draft for the deputy, from a case.
    staff = _logged_in(browser, live_server, station_officer, DESKTOP)
    staff.goto(f"{live_server.url}/staff/")
    staff.click("nav >> text=协助起草建议")
    staff.click("text=协助代表起草建议")
    staff.select_option("#id_station", str(station.pk))
    staff.select_option("#id_author", str(author_of(deputy).pk))
    staff.select_option("#id_session", str(session.pk))
    staff.fill("#id_title", "关于老旧小区路灯改造的建议")
    staff.fill("#id_problem", "老旧小区路灯损坏多，夜间出行不安全。")
    staff.fill("#id_proposal", "将老旧小区路灯纳入年度改造计划。")
    staff.check(f"input[name='cases'][value='{case.pk}']")
    screenshot(staff, "suggestion-help-1-start-desktop")
    staff.click("form.suggestion-draft button[type='submit']")
    staff.wait_for_url("**/edit/")
    # 2. On the draft page: a hot topic is added, the case source removed.
    assert "望月湖小区路灯不亮" in staff.locator(".suggestion-sources").inner_text()
    topic = staff.locator("#pick-hot_topic option", has_text="老旧小区路灯")
    staff.select_option("#pick-hot_topic", topic.get_attribute("value"))
    staff.click("form.source-add-hot_topic button")
    staff.wait_for_selector(".source-hot_topic")
    staff.click(".source-case form.source-remove button")
    staff.wait_for_selector("text=已删除来源")
    sources = staff.locator(".suggestion-sources ul.sources").inner_text()
    assert "老旧小区路灯" in sources and "望月湖" not in sources
    screenshot(staff, "suggestion-help-2-sources-desktop")
    suggestion = Suggestion.objects.get(title="关于老旧小区路灯改造的建议")
    assert list(suggestion.sources.values_list("kind", flat=True)) == [SourceKind.HOT_TOPIC]

    # 3. The deputy finds it on the phone, sees who drafted it, and submits.
    page = _logged_in(browser, live_server, deputy, PHONE)
    page.goto(f"{live_server.url}/staff/suggestions/")
    page.click("text=关于老旧小区路灯改造的建议")
    page.wait_for_selector("form.action-submit")
    assert str(station_officer) in page.locator("table.grid").inner_text()
    screenshot(page, "suggestion-help-3-deputy-phone")
    page.click("form.action-submit button")
    page.wait_for_selector("text=第 1 号")
    screenshot(page, "suggestion-help-4-submitted-phone")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.SUBMITTED and suggestion.number == 1
    created = SuggestionEvent.objects.get(suggestion=suggestion, kind="created")
    assert created.actor_id == station_officer.pk
    overflow = page.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
    page.context.close()
    staff.context.close()
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
