"""Workbench case pages: role × scope, the case page, its actions and staff intake."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases.models import Case, CaseEvent, Channel, EventKind, Status
from liaison.cases.tests.factories import (
    CaseFactory,
    HandlingUnitFactory,
    case_in,
    make_unit_staff,
)
from liaison.units.tests.factories import make_rule

pytestmark = pytest.mark.django_db

PAGES = ["cases:queue", "cases:intake", "cases:import", "cases:export", "cases:kpis"]


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_admin_powers_get_403(name: str, as_user: Any, auditor: Any, security_admin: Any) -> None:
    for user in (auditor, security_admin):
        assert as_user(user).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(name: str, client: Any) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_county_staff_open_every_page(name: str, as_user: Any, county_staff: Any) -> None:
    assert as_user(county_staff).get(reverse(name)).status_code == 200


def test_unit_staff_cannot_intake_or_import(as_user: Any, hunan: Any) -> None:
    clerk = as_user(make_unit_staff(HandlingUnitFactory()))
    for name in ("cases:intake", "cases:import", "cases:export", "cases:kpis"):
        assert clerk.get(reverse(name)).status_code == 403
    assert clerk.get(reverse("cases:queue")).status_code == 200


def test_case_page_scope(
    as_user: Any, station: Any, county_staff: Any, other_county_staff: Any, station_officer: Any
) -> None:
    case = CaseFactory(station=station)
    url = reverse("cases:detail", args=[case.pk])
    assert as_user(county_staff).get(url).status_code == 200
    assert as_user(station_officer).get(url).status_code == 200
    assert as_user(other_county_staff).get(url).status_code == 404


def test_station_officer_sees_only_own_station(
    as_user: Any, station: Any, station_officer: Any, yuelu: Any
) -> None:
    from liaison.stations.tests.factories import StationFactory

    neighbour = StationFactory(name="望月湖联络站", region_id="430104003000")
    mine = CaseFactory(station=station, title="本站的件")
    theirs = CaseFactory(station=neighbour, region_id="430104003000", title="邻站的件")
    client = as_user(station_officer)
    page = client.get(reverse("cases:queue") + "?queue=all").content.decode()
    assert mine.title in page
    assert theirs.title not in page
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404


def test_unit_staff_see_only_their_unit(as_user: Any, station: Any) -> None:
    ours, other = HandlingUnitFactory(), HandlingUnitFactory()
    clerk = make_unit_staff(ours)
    mine = case_in(Status.ASSIGNED, station=station, unit=ours, title="我单位的件")
    theirs = case_in(Status.ASSIGNED, station=station, unit=other, title="别的单位的件")
    client = as_user(clerk)
    page = client.get(reverse("cases:queue")).content.decode()
    assert mine.title in page
    assert theirs.title not in page
    assert client.get(reverse("cases:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404


def test_queue_cross_county_hidden(as_user: Any, station: Any, other_county_staff: Any) -> None:
    case = CaseFactory(station=station, title="岳麓区的件")
    page = as_user(other_county_staff).get(reverse("cases:queue") + "?queue=all")
    assert case.title not in page.content.decode()


# --- the case page ---------------------------------------------------------------------------


def test_case_page_masks_until_reveal_which_is_audited(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    case = CaseFactory(station=station, contact_name="王小明", contact_phone="13812345678")
    client = as_user(station_officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "王小明" not in page
    response = client.post(reverse("cases:reveal", args=[case.pk]))
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_PRIVATE).exists()
    # The next load is masked again.
    again = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "13812345678" not in again


def test_case_page_shows_internal_events_with_actor(
    as_user: Any, station: Any, station_officer: Any, county_staff: Any
) -> None:
    case = CaseFactory(station=station)
    client = as_user(station_officer)
    client.post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"expected_version": case.version, "note": "内部备注甲"},
    )
    page = as_user(county_staff).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "受理" in page
    assert str(station_officer) in page


def _act(client: Any, case: Case, action: str, **data: Any) -> Any:
    case.refresh_from_db()
    data.setdefault("expected_version", case.version)
    return client.post(reverse("cases:act", args=[case.pk, action]), data, follow=True)


def test_the_loop_through_the_case_page(
    as_user: Any, station: Any, station_officer: Any, county_staff: Any
) -> None:
    unit = HandlingUnitFactory(name="岳麓区住建局")
    clerk = make_unit_staff(unit)
    make_rule(unit=unit, region_id=station.region_id)
    case = CaseFactory(station=station)
    officer = as_user(station_officer)
    assert _act(officer, case, "accept").status_code == 200
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "按分派规则建议：岳麓区住建局" in page
    response = _act(officer, case, "assign", unit=unit.pk, note="请尽快处理")
    assert "已交办" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.unit == unit
    unit_client = as_user(clerk)
    assert "答复" in unit_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    _act(unit_client, case, "reply", reply="已修复路灯。")
    case.refresh_from_db()
    assert case.status == Status.REPLIED
    _act(officer, case, "relay", note="已电话告知")
    _act(officer, case, "rate", rating="satisfied")
    case.refresh_from_db()
    assert case.status == Status.EVALUATED
    assert case.relayed_at is not None
    _act(officer, case, "close")
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_staff_take_a_five_level_rating_where_the_setting_says_so(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    from liaison.cases.models import Rating
    from liaison.jurisdiction.models import JurisdictionSetting

    JurisdictionSetting.objects.create(region_id="430104000000", key="rating_scale", value="five")
    case = case_in(Status.REPLIED, station=station)
    officer = as_user(station_officer)
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "非常满意" in page and "非常不满意" in page
    refused = _act(officer, case, "rate", rating="satisfied").content.decode()  # not a score
    case.refresh_from_db()
    assert case.status == Status.REPLIED
    assert "不在可用的选项中" in refused  # the field's own message, nothing recorded
    _act(officer, case, "rate", rating="4", comment="电话回访")
    case.refresh_from_db()
    assert case.status == Status.EVALUATED
    assert (case.rating, case.rating_score) == (Rating.SATISFIED, 4)


def test_staff_take_a_three_level_rating_by_default(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    case = case_in(Status.REPLIED, station=station)
    officer = as_user(station_officer)
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "基本满意" in page and "非常满意" not in page
    _act(officer, case, "rate", rating="basic")
    case.refresh_from_db()
    assert (case.status, case.rating, case.rating_score) == (Status.EVALUATED, "basic", None)


def test_stale_version_gives_conflict_message(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    case = CaseFactory(station=station)
    response = as_user(station_officer).post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"expected_version": case.version + 3},
        follow=True,
    )
    assert response.status_code == 200
    assert "请刷新页面" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_action_not_allowed_is_a_message_not_500(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    case = case_in(Status.CLOSED, station=station)
    response = _act(as_user(station_officer), case, "accept")
    assert response.status_code == 200
    assert "不能由您进行" in response.content.decode()


def test_unit_cannot_act_on_other_units_case(as_user: Any, station: Any) -> None:
    other = HandlingUnitFactory()
    clerk = make_unit_staff(HandlingUnitFactory())
    case = case_in(Status.ASSIGNED, station=station, unit=other)
    response = as_user(clerk).post(
        reverse("cases:act", args=[case.pk, "reply"]), {"expected_version": case.version}
    )
    assert response.status_code == 404


def test_decline_needs_reason_and_note(as_user: Any, station: Any, station_officer: Any) -> None:
    case = CaseFactory(station=station)
    response = _act(as_user(station_officer), case, "decline", reason="litigation")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    _act(as_user(station_officer), case, "decline", reason="litigation", note="已在诉讼中")
    case.refresh_from_db()
    assert case.status == Status.DECLINED


def test_merge_by_tracking_code(as_user: Any, station: Any, station_officer: Any) -> None:
    primary = CaseFactory(station=station)
    duplicate = CaseFactory(station=station)
    _act(as_user(station_officer), duplicate, "merge", primary_code=primary.tracking_code.lower())
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED
    assert duplicate.merged_into == primary
    # The merged case's page names the case it went into (read apart from the case's join).
    page = as_user(station_officer).get(reverse("cases:detail", args=[duplicate.pk]))
    link = f'<a href="{reverse("cases:detail", args=[primary.pk])}">{primary.tracking_code}</a>'
    assert link in page.content.decode()
    unmerged = as_user(station_officer).get(reverse("cases:detail", args=[primary.pk]))
    assert "合并至" not in unmerged.content.decode()


def test_a_lost_lock_race_is_a_message_and_any_other_database_error_is_not(
    as_user: Any, station: Any, station_officer: Any, monkeypatch: Any
) -> None:
    """Two services waiting on each other's rows (PostgreSQL ends one): the clerk whose action
    lost is told to try again; nothing changed. Another database error is still a fault."""
    from django.db import OperationalError

    from liaison.cases import services

    case = CaseFactory(station=station)

    def deadlocked(**_kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "case_accept", deadlocked)
    page = _act(as_user(station_officer), case, "accept")
    assert "该件正被他人同时处理，本次操作未生效，请刷新页面后再试。" in page.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED

    def broken(**_kwargs: Any) -> None:
        raise OperationalError("no such column: cases_case.title")

    monkeypatch.setattr(services, "case_accept", broken)
    with pytest.raises(OperationalError):
        _act(as_user(station_officer), case, "accept")


# --- bulk actions ----------------------------------------------------------------------------


def test_bulk_accept_reports_each_case(
    as_user: Any, station: Any, station_officer: Any, other_station: Any
) -> None:
    good = [CaseFactory(station=station) for _ in range(2)]
    closed = case_in(Status.CLOSED, station=station)
    foreign = CaseFactory(station=other_station, region_id=other_station.region_id)
    data: dict[str, Any] = {
        "action": "accept",
        "case": [c.pk for c in [*good, closed, foreign]],
    }
    data.update({f"v{c.pk}": c.version for c in [*good, closed]})
    response = as_user(station_officer).post(reverse("cases:bulk"), data, follow=True)
    text = response.content.decode()
    assert "已受理 2 件" in text
    assert f"{closed.tracking_code} 未处理" in text
    assert "不存在或不在您的辖区" in text
    assert Case.objects.filter(status=Status.ACCEPTED).count() == 2


def test_bulk_assign(as_user: Any, station: Any, station_officer: Any) -> None:
    unit = HandlingUnitFactory()
    cases = [case_in(Status.ACCEPTED, station=station) for _ in range(3)]
    data: dict[str, Any] = {"action": "assign", "unit": unit.pk, "case": [c.pk for c in cases]}
    as_user(station_officer).post(reverse("cases:bulk"), data)
    assert Case.objects.filter(status=Status.ASSIGNED, unit=unit).count() == 3


# --- staff intake ----------------------------------------------------------------------------


def _intake(**over: Any) -> dict[str, Any]:
    data = {
        "channel": Channel.HOTLINE,
        "channel_ref": "GD-001",
        "kind": "complaint",
        "title": "噪音扰民",
        "content": "夜间施工噪音大。",
        "contact_phone": "13900001111",
    }
    data.update(over)
    return data


def test_staff_intake_hotline_requires_work_order(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    client = as_user(station_officer)
    response = client.post(reverse("cases:intake"), _intake(station=station.pk, channel_ref=""))
    assert response.status_code == 200
    assert "工单编号" in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(reverse("cases:intake"), _intake(station=station.pk))
    case = Case.objects.get()
    # The answer is the printable slip with the PIN (test_intake_slip.py), linking the case.
    assert response.status_code == 200
    assert f"/{case.pk}/" in response.content.decode()
    assert case.channel_ref == "GD-001"
    assert case.created_by == station_officer
    assert CaseEvent.objects.filter(case=case, kind=EventKind.SUBMITTED).exists()
    # The same work order again creates nothing.
    client.post(reverse("cases:intake"), _intake(station=station.pk))
    assert Case.objects.count() == 1


def test_staff_intake_refuses_station_outside_scope(
    as_user: Any, other_station: Any, station_officer: Any
) -> None:
    response = as_user(station_officer).post(
        reverse("cases:intake"), _intake(station=other_station.pk, channel="visit")
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


# --- the other forms of the case page ---------------------------------------------------------


def test_answer_on_the_spot_and_category(as_user: Any, station: Any, station_officer: Any) -> None:
    from liaison.taxonomy.models import Category

    category = Category.objects.create(name="城乡建设", level=1, path="城乡建设")
    case = case_in(Status.ACCEPTED, station=station)
    client = as_user(station_officer)
    client.post(reverse("cases:act", args=[case.pk, "category"]), {"category": category.pk})
    _act(client, case, "answer", reply="已当场解释政策。")
    case.refresh_from_db()
    assert case.category == category
    assert case.status == Status.REPLIED


def test_forward_to_upper_congress(
    as_user: Any, station: Any, station_officer: Any, county_staff: Any
) -> None:
    case = case_in(Status.ACCEPTED, station=station)
    _act(as_user(station_officer), case, "forward", to_region="430104000000", note="涉及全区")
    case.refresh_from_db()
    assert case.status == Status.FORWARDED
    assert case.region_id == "430104000000"
    page = as_user(county_staff).get(reverse("cases:queue")).content.decode()
    assert case.tracking_code in page  # waits in the county's 待受理 queue


def test_reply_with_attachment_extension_and_supervision(
    as_user: Any, station: Any, county_staff: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from liaison.cases.models import ExtensionRequest, Supervision

    unit = HandlingUnitFactory()
    clerk = as_user(make_unit_staff(unit))
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    clerk.post(
        reverse("cases:act", args=[case.pk, "extension_request"]),
        {"days": 5, "reason": "需要协调多个部门"},
    )
    request = ExtensionRequest.objects.get(case=case)
    staff = as_user(county_staff)
    page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "审批延期" in page
    staff.post(
        reverse("cases:act", args=[case.pk, "extension_decide"]),
        {"request_id": request.pk, "approve": "1", "note": "同意"},
    )
    request.refresh_from_db()
    assert request.decision == ExtensionRequest.Decision.APPROVED
    staff.post(reverse("cases:act", args=[case.pk, "supervise"]), {"note": "请加快办理"})
    assert Supervision.objects.filter(case=case, level=Supervision.Level.MANUAL).exists()
    case.refresh_from_db()
    pdf = SimpleUploadedFile("reply.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = clerk.post(
        reverse("cases:act", args=[case.pk, "reply"]),
        {"expected_version": case.version, "reply": "已办理完毕。", "attachments": pdf},
        follow=True,
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.REPLIED, response.content.decode()[-2000:]


def test_co_unit_sends_its_opinion(as_user: Any, station: Any) -> None:
    from liaison.cases.models import CoHandling

    lead, co = HandlingUnitFactory(), HandlingUnitFactory()
    case = case_in(Status.ASSIGNED, station=station, unit=lead)
    CoHandling.objects.create(case=case, unit=co)
    client = as_user(make_unit_staff(co))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "提交协办意见" in page
    assert f"/{case.pk}/act/reply/" not in page
    client.post(reverse("cases:act", args=[case.pk, "co_opinion"]), {"opinion": "同意主办意见"})
    assert CoHandling.objects.get(case=case, unit=co).opinion == "同意主办意见"


def test_system_admin_has_no_case_pages(as_user: Any, station: Any, system_admin: Any) -> None:
    # 三权分立: the system administrator manages the system, not the cases in it.
    case = CaseFactory(station=station)
    client = as_user(system_admin)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 403
    assert client.get(reverse("cases:queue")).status_code == 403


# --- in a browser ----------------------------------------------------------------------------


def _browser_login(page: Any, live_server: Any, user: Any) -> None:
    from django.conf import settings

    from conftest import login_client

    client = login_client(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_accepts_and_assigns_in_the_browser(
    desktop: Any, live_server: Any, hunan: None
) -> None:
    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member
    from liaison.common.tests.browser import screenshot
    from liaison.stations.tests.factories import StationFactory

    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="officer_b")
    unit = HandlingUnitFactory(name="岳麓区住建局")
    make_rule(unit=unit, region_id="430104000000")
    case = CaseFactory(station=station, title="电梯停运两周", contact_phone="13812345678")
    _browser_login(desktop, live_server, officer)

    desktop.goto(f"{live_server.url}/staff/cases/")
    body = desktop.locator("body").inner_text()
    assert "电梯停运两周" in body
    assert "个工作日" in body
    screenshot(desktop, "staff-case-queue")
    desktop.get_by_role("link", name="电梯停运两周").click()
    desktop.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert "138****5678" in desktop.locator("body").inner_text()
    desktop.locator("summary", has_text="受理").first.click()
    desktop.locator(f"form[action$='/{case.pk}/act/accept/'] button").click()
    desktop.wait_for_load_state()
    assert "已受理" in desktop.locator(".messages").inner_text()
    desktop.locator("summary", has_text="交办").first.click()
    # The routing rule preselects the unit.
    selected = desktop.locator("#id_unit option:checked").inner_text()
    assert selected == "岳麓区住建局"
    desktop.locator(f"form[action$='/{case.pk}/act/assign/'] button").click()
    desktop.wait_for_load_state()
    assert "已交办" in desktop.locator(".messages").inner_text()
    screenshot(desktop, "staff-case-page")
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.unit == unit
