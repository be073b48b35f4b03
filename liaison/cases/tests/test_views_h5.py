"""Public phone pages: the intake form, the tracking page and the links to them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from liaison.cases.models import Attachment, Case, CaseEvent, Rating, Status
from liaison.cases.services import case_pin_matches
from liaison.cases.tests.public_helpers import (
    SCRIPT,
    force_replied,
    fresh_cache,
    png_upload,
    submitted,
)
from liaison.jurisdiction.models import JurisdictionSetting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
__all__ = ["fresh_cache"]

NEW = "/cases/new/"


def form_data(station: Any, /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "via": "qr",
        "station": station.code,
        "kind": "suggestion",
        "title": "建议增设公交站",
        "content": "小区门口到地铁站距离较远，建议增设公交站。",
        "place": "麓山南路",
        "contact_name": "赵六",
        "contact_phone": "13700001111",
        "consent": "on",
        "client_token": "form-token-1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), Attachment.objects.count()


def text(response: Any) -> str:
    return str(response.content.decode())


# --- intake form -------------------------------------------------------------------------------

STATION_SELECT = re.compile(r'<select[^>]* name="station"')


def test_form_prebound_to_station_shows_it(station: Any) -> None:
    call_command("import_categories", verbosity=0)
    html = text(Client().get(NEW, {"station": station.code}))
    assert station.name in html
    assert 'name="client_token"' in html
    assert 'name="consent"' in html
    assert "个人信息保护告知" in html
    assert 'type="file"' in html
    assert "multiple" in html
    assert "城乡建设" in html  # category groups
    assert not STATION_SELECT.search(html)  # no picker when pre-bound
    token = re.search(r'name="client_token" value="([0-9a-f]{32})"', html)
    assert token is not None


def test_form_prebound_to_deputy_shows_the_deputy(station: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    deputy = DeputyFactory(name="孙代表")
    StationDeputyFactory(station=station, deputy=deputy)
    html = text(Client().get(NEW, {"deputy": deputy.code}))
    assert "孙代表" in html
    assert f'value="{deputy.code}"' in html


def test_form_without_code_offers_a_station_picker(station: Any, other_station: Any) -> None:
    html = text(Client().get(NEW))
    assert STATION_SELECT.search(html)
    assert station.name in html
    assert other_station.name in html
    narrowed = text(Client().get(NEW, {"region": "430121"}))
    assert other_station.name in narrowed
    assert station.name not in narrowed


def test_unknown_code_warns_and_offers_the_picker(station: Any) -> None:
    html = text(Client().get(NEW, {"station": "SZZZZZZZ"}))
    assert "不存在或已停用" in html
    assert STATION_SELECT.search(html)


def test_publish_default_follows_setting(station: Any) -> None:
    assert 'name="allow_publish" id="id_allow_publish" checked' not in text(
        Client().get(NEW, {"station": station.code})
    )
    JurisdictionSetting.objects.create(
        region_id="430104000000", key="echo_wall_publish_default", value=True
    )
    html = text(Client().get(NEW, {"station": station.code}))
    assert re.search(r'<input type="checkbox" name="allow_publish"[^>]*checked', html)


def test_submit_shows_code_and_pin_once(station: Any) -> None:
    client = Client()
    response = client.post(NEW + f"?station={station.code}", form_data(station), follow=True)
    case = Case.objects.get()
    html = text(response)
    assert case.tracking_code in html
    pin = re.search(r'id="tracking-pin">(\d{6})<', html)
    assert pin is not None
    assert case.channel == "qr"
    assert case.station == station
    assert case.kind == "suggestion"
    # The tracking link works right away in this browser session.
    page = text(client.get(f"/cases/track/{case.tracking_code}/"))
    assert "建议增设公交站" in page
    assert "待受理" in page


def test_picker_submission_is_web_channel(station: Any) -> None:
    Client().post(NEW, form_data(station, via=""))
    assert Case.objects.get().channel == "web"


def test_double_submit_makes_one_case_and_shows_the_pin(station: Any) -> None:
    """The first answer was lost on a bad network; the second tap still shows the PIN."""
    client = Client()
    assert client.post(NEW, form_data(station)).status_code == 302
    second = text(client.post(NEW, form_data(station), follow=True))
    assert Case.objects.count() == 1
    pin = re.search(r'id="tracking-pin">(\d{6})<', second)
    assert pin is not None
    assert case_pin_matches(case=Case.objects.get(), pin=pin.group(1))


def test_pin_is_shown_once_then_forgotten(station: Any) -> None:
    client = Client()
    first = text(client.post(NEW, form_data(station), follow=True))
    pin = re.search(r'id="tracking-pin">(\d{6})<', first)
    assert pin is not None
    again = text(client.get("/cases/new/done/"))
    assert pin.group(1) not in again
    assert Case.objects.get().tracking_code in again
    assert pin.group(1) not in str(dict(client.session))


def test_missing_consent_is_refused_and_nothing_saved(station: Any) -> None:
    response = Client().post(NEW, form_data(station, consent=None))
    assert response.status_code == 200
    assert "请阅读并同意个人信息保护告知" in text(response)
    assert counts() == (0, 0, 0)
    # What the person typed is still in the form.
    assert "建议增设公交站" in text(response)


def test_all_field_errors_show_at_once(station: Any) -> None:
    """A wrong phone number is reported with the missing consent, not on a second try."""
    response = Client().post(NEW, form_data(station, consent=None, contact_phone="123"))
    html = text(response)
    assert "请阅读并同意个人信息保护告知" in html
    assert "请填写正确的 11 位手机号码" in html
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "字" * 101}, "101"),
        ({"content": "字" * 5001}, "5001"),
        ({"contact_phone": "12345"}, "手机号"),
        ({"kind": "praise"}, "praise"),
        ({"station": "SZZZZZZZ"}, "联络站不存在或已停用"),
    ],
)
def test_bad_fields_show_messages(station: Any, overrides: dict[str, Any], message: str) -> None:
    response = Client().post(NEW, form_data(station, **overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert counts() == (0, 0, 0)


def test_images_are_uploaded(station: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    data = form_data(station, images=[png_upload("a.png"), png_upload("b.png")])
    Client().post(NEW, data)
    assert Case.objects.get().attachments.count() == 2


def test_disguised_image_refuses_everything(station: Any) -> None:
    fake = SimpleUploadedFile("cat.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")
    response = Client().post(NEW, form_data(station, images=[png_upload(), fake]))
    assert "第 2 张图片" in text(response)
    assert "不是有效的图片" in text(response)
    assert counts() == (0, 0, 0)


def test_seven_images_are_refused(station: Any) -> None:
    response = Client().post(NEW, form_data(station, images=[png_upload() for _ in range(7)]))
    assert "最多上传 6 张图片" in text(response)
    assert counts() == (0, 0, 0)


def test_burst_from_one_address_gets_429(station: Any) -> None:
    client = Client()
    for n in range(10):
        client.post(NEW, form_data(station, client_token=f"burst-{n}"))
    response = client.post(NEW, form_data(station, client_token="burst-last"))
    assert response.status_code == 429
    assert "操作过于频繁" in text(response)
    assert response["Retry-After"]
    assert Case.objects.count() == 10


# --- tracking ------------------------------------------------------------------------------------


def test_track_with_code_and_pin(station: Any) -> None:
    case, pin = submitted(station)
    client = Client()
    response = client.post("/cases/track/", {"code": case.tracking_code.lower(), "pin": pin})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/track/{case.tracking_code}/"
    assert "小区路灯坏了" in text(client.get(response["Location"]))


def test_wrong_pin_and_unknown_code_give_the_same_message(station: Any) -> None:
    case, pin = submitted(station)
    wrong = "000000" if pin != "000000" else "111111"
    a = text(Client().post("/cases/track/", {"code": case.tracking_code, "pin": wrong}))
    b = text(Client().post("/cases/track/", {"code": "C99999999Z", "pin": pin}))
    assert "查询码或查询密码不正确" in a
    assert "查询码或查询密码不正确" in b


def test_case_page_without_pin_goes_to_the_form(station: Any) -> None:
    case, _pin = submitted(station)
    response = Client().get(f"/cases/track/{case.tracking_code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/track/?code={case.tracking_code}"


def test_pin_in_an_old_sms_link_is_dropped_unread(station: Any) -> None:
    case, pin = submitted(station)
    client = Client()
    response = client.get(f"/cases/track/{case.tracking_code}/", {"pin": pin})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/track/?code={case.tracking_code}"
    # Not taken as a PIN: the person types it into the form.
    assert client.get(f"/cases/track/{case.tracking_code}/").status_code == 302


def test_pin_guessing_on_the_page_is_rate_limited(station: Any, settings: Any) -> None:
    settings.PIN_GUARD_MAX_FAILURES = 100  # the per-address limit alone (test_pin_guard.py)
    case, pin = submitted(station)
    client = Client()
    for _ in range(20):
        client.post("/cases/track/", {"code": case.tracking_code, "pin": "999999"})
    response = client.post("/cases/track/", {"code": case.tracking_code, "pin": pin})
    assert response.status_code == 429
    assert "操作过于频繁" in text(response)


def tracked(client: Client, case: Case, pin: str) -> None:
    client.post("/cases/track/", {"code": case.tracking_code, "pin": pin})


def test_tracking_page_shows_script_tags_as_text(station: Any) -> None:
    case, pin = submitted(station, title=SCRIPT, content=SCRIPT)
    force_replied(case, reply=SCRIPT)
    client = Client()
    tracked(client, case, pin)
    html = text(client.get(f"/cases/track/{case.tracking_code}/"))
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def test_rating_three_levels(station: Any) -> None:
    case, pin = submitted(station)
    force_replied(case)
    client = Client()
    tracked(client, case, pin)
    html = text(client.get(f"/cases/track/{case.tracking_code}/"))
    assert "基本满意" in html
    assert 'name="rating"' in html
    response = client.post(
        f"/cases/track/{case.tracking_code}/rate/",
        {"rating": Rating.SATISFIED, "comment": "很快", "version": case.version},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == Status.EVALUATED
    assert case.rating == Rating.SATISFIED
    assert "感谢您的评价" in text(response)


def test_rating_five_levels_by_setting(station: Any) -> None:
    JurisdictionSetting.objects.create(region_id="430104000000", key="rating_scale", value="five")
    case, pin = submitted(station)
    force_replied(case)
    client = Client()
    tracked(client, case, pin)
    assert "非常满意" in text(client.get(f"/cases/track/{case.tracking_code}/"))
    client.post(f"/cases/track/{case.tracking_code}/rate/", {"rating": "5"})
    case.refresh_from_db()
    assert case.rating_score == 5
    assert case.rating == Rating.SATISFIED


def test_cached_rating_fields_follow_the_scale_and_keep_the_version_per_case(
    station: Any, other_station: Any, settings: Any
) -> None:
    """The radios and comment box are one cached fragment per scale and language (issue 16);
    the version and the CSRF token stay outside it, per case and per visitor."""
    from liaison.common.hotcache import clear_all

    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    JurisdictionSetting.objects.create(region_id="430104000000", key="rating_scale", value="five")
    five, five_pin = submitted(station)
    three, three_pin = submitted(other_station)
    assert five.region_id != three.region_id
    for case in (five, three):
        force_replied(case)
    Case.objects.filter(pk=three.pk).update(version=7)
    pages = {}
    for case, pin in ((five, five_pin), (three, three_pin), (five, five_pin)):
        client = Client()
        tracked(client, case, pin)
        html = text(client.get(f"/cases/track/{case.tracking_code}/"))
        pages.setdefault(case.pk, []).append(html)
    assert all("非常满意" in html for html in pages[five.pk])
    assert "非常满意" not in pages[three.pk][0] and "基本满意" in pages[three.pk][0]
    assert 'name="version" value="7"' in pages[three.pk][0]
    five.refresh_from_db()
    assert f'name="version" value="{five.version}"' in pages[five.pk][1]
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', h) for h in pages[five.pk]]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]
    clear_all()


def test_rating_on_a_stale_page_gives_a_message(station: Any) -> None:
    case, pin = submitted(station)
    force_replied(case)
    client = Client()
    tracked(client, case, pin)
    response = client.post(
        f"/cases/track/{case.tracking_code}/rate/",
        {"rating": Rating.SATISFIED, "version": case.version + 5},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == Status.REPLIED
    assert "刷新" in text(response)


def test_rating_needs_the_pin(station: Any) -> None:
    case, _pin = submitted(station)
    force_replied(case)
    Client().post(f"/cases/track/{case.tracking_code}/rate/", {"rating": Rating.SATISFIED})
    case.refresh_from_db()
    assert case.status == Status.REPLIED


def test_withdraw_while_allowed(station: Any) -> None:
    case, pin = submitted(station)
    client = Client()
    tracked(client, case, pin)
    assert "撤回这条意见" in text(client.get(f"/cases/track/{case.tracking_code}/"))
    client.post(f"/cases/track/{case.tracking_code}/withdraw/", {"reason": "已解决"})
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


def test_no_withdraw_after_reply(station: Any) -> None:
    case, pin = submitted(station)
    force_replied(case)
    client = Client()
    tracked(client, case, pin)
    assert "撤回这条意见" not in text(client.get(f"/cases/track/{case.tracking_code}/"))
    response = client.post(f"/cases/track/{case.tracking_code}/withdraw/", follow=True)
    case.refresh_from_db()
    assert case.status == Status.REPLIED
    assert "不能" in text(response)


def test_submitted_page_without_a_submission_goes_to_tracking(hunan: None) -> None:
    response = Client().get("/cases/new/done/")
    assert response.status_code == 302
    assert response["Location"] == "/cases/track/"


# --- entry points --------------------------------------------------------------------------------


def test_station_page_links_to_the_form(station: Any) -> None:
    html = text(Client().get(f"/s/{station.code}/"))
    assert f"/cases/new/?station={station.code}" in html
    assert "意见征集功能即将开放" not in html


def test_deputy_page_links_to_the_form(station: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory

    deputy = DeputyFactory(name="钱代表")
    html = text(Client().get(f"/d/{deputy.code}/"))
    assert f"/cases/new/?deputy={deputy.code}" in html


# --- on a phone ----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_submits_from_station_page_and_tracks(
    phone: Any, live_server: Any, hunan: None
) -> None:
    from liaison.common.tests.browser import screenshot
    from liaison.stations.tests.factories import StationFactory

    call_command("import_categories", verbosity=0)
    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    phone.goto(f"{live_server.url}/s/{station.code}/")
    phone.get_by_text("我要反映意见建议").click()
    phone.wait_for_url("**/cases/new/**")
    assert station.name in phone.locator("body").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "case-intake-phone")

    phone.get_by_label("求助").check()
    phone.get_by_label("标题").fill("楼道灯坏了 <b>急</b>")
    phone.get_by_label("具体内容").fill("三单元楼道灯坏了一周，老人上下楼不方便。")
    phone.get_by_label("手机号").fill("13800138000")
    phone.get_by_text("提交", exact=True).click()
    assert "请阅读并同意个人信息保护告知" in phone.locator("body").inner_text()
    phone.locator("#id_consent").check()
    phone.get_by_text("提交", exact=True).click()
    phone.wait_for_url("**/cases/new/done/")
    code = phone.locator("#tracking-code").inner_text()
    assert Case.objects.get().tracking_code == code
    assert len(phone.locator("#tracking-pin").inner_text()) == 6
    screenshot(phone, "case-submitted-phone")

    phone.get_by_text("查看办理进度").click()
    phone.wait_for_url(f"**/cases/track/{code}/")
    body = phone.locator("body").inner_text()
    assert "楼道灯坏了 <b>急</b>" in body
    assert "待受理" in body
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "case-tracking-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_reads_the_echo_wall(phone: Any, live_server: Any, hunan: None) -> None:
    from liaison.common.tests.browser import screenshot
    from liaison.stations.tests.factories import StationFactory

    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    case, _pin = submitted(
        station,
        allow_publish=True,
        contact_name="王小明",
        contact_phone="13800138000",
        content="我是王小明，电话13800138000，小区门口路灯不亮。",
    )
    force_replied(case, reply="已修复，请王小明13800138000查看。", status=Status.EVALUATED)
    Case.objects.filter(pk=case.pk).update(rating=Rating.SATISFIED)
    phone.goto(f"{live_server.url}/cases/echo/")
    body = phone.locator("body").inner_text()
    assert "小区路灯坏了" in body
    assert "满意" in body
    assert "13800138000" not in body
    assert "王小明" not in body
    assert "138****8000" in body
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "case-echo-wall-phone")
