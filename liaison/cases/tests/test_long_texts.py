"""A text longer than a field takes (issue 11, item 12): every face names the field and the limit
in plain Chinese, nothing is cut silently, and the person's text comes back with the message."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from liaison.cases.api_input import parse_case_in
from liaison.cases.models import Case
from liaison.cases.services.intake_checks import MAX_CONTENT, MAX_TITLE
from liaison.cases.tests.public_helpers import fresh_cache
from liaison.cases.tests.test_api_public import payload
from liaison.cases.tests.test_api_public import post as api_post
from liaison.cases.tests.test_views_h5 import NEW, form_data
from liaison.cases.tests.test_views_staff import _intake

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
__all__ = ["fresh_cache"]

LONG = "长" * 50_000
MESSAGE = "意见内容最多 5000 字，您输入了 50000 字，请精简后再提交"


def _textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert found is not None, name
    return html.unescape(found.group(1)).strip()


def _tag(page: str, name: str) -> str:
    found = re.search(rf'<(?:textarea|input)[^>]*name="{name}"[^>]*>', page)
    assert found is not None, name
    return found.group(0)


def test_phone_form_names_the_limit_and_keeps_the_text(station: Any) -> None:
    response = Client().post(NEW, form_data(station, content=LONG))
    page = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in page
    assert "确保该变量" not in page
    assert _textarea(page, "content") == LONG  # nothing the person typed is lost
    assert not Case.objects.exists()


def test_phone_form_has_no_maxlength_that_cuts_a_paste_and_carries_the_counter(
    station: Any,
) -> None:
    page = Client().get(NEW + f"?station={station.code}").content.decode()
    for name in ("title", "content", "place", "contact_name"):
        assert "maxlength" not in _tag(page, name), name
    assert f'data-char-limit="{MAX_CONTENT}"' in _tag(page, "content")
    assert f'data-char-limit="{MAX_TITLE}"' in _tag(page, "title")
    assert "已输入 {n} / {limit} 字" in html.unescape(_tag(page, "content"))
    assert "js/char_count.js" in page


def test_phone_form_title_over_the_limit_says_so(station: Any) -> None:
    response = Client().post(NEW, form_data(station, title="标" * 150))
    assert "标题最多 100 字，您输入了 150 字，请精简后再提交" in response.content.decode()


def test_staff_intake_names_the_limit_and_keeps_the_text(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    client = as_user(station_officer)
    page = client.get(reverse("cases:intake")).content.decode()
    assert "maxlength" not in _tag(page, "content")
    assert "maxlength" not in _tag(page, "title")
    assert f'data-char-limit="{MAX_CONTENT}"' in _tag(page, "content")
    response = client.post(reverse("cases:intake"), _intake(station=station.pk, content=LONG))
    page = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in page
    assert _textarea(page, "content") == LONG
    assert not Case.objects.exists()


def test_public_api_names_the_business_limit(station: Any) -> None:
    response = api_post(payload(station, content=LONG))
    assert response.status_code == 400
    assert response.json()["content"] == [MESSAGE]
    assert not Case.objects.exists()


def test_public_api_just_over_the_limit_gets_the_same_words(station: Any) -> None:
    response = api_post(payload(station, content="长" * (MAX_CONTENT + 1)))
    assert response.json()["content"] == ["意见内容最多 5000 字，您输入了 5001 字，请精简后再提交"]


def test_parser_words_codes_and_phone_plainly() -> None:
    _clean, errors = parse_case_in(
        {"kind": "help", "title": "t", "content": "c", "station_code": "S" * 20}
    )
    assert errors["station_code"] == ["联络站码最多 16 字，您输入了 20 字，请精简后再提交"]
    _clean, errors = parse_case_in(
        {"kind": "help", "title": "t", "content": "c" * 1, **{"contact_phone": "1" * 31}}
    )
    assert errors["contact_phone"] == ["请填写正确的 11 位手机号码"]


def test_a_line_break_counts_as_one_character_as_on_the_counter(station: Any) -> None:
    """A browser sends CRLF for each line break of a textarea; the counter counts one."""
    content = "\r\n".join(["字" * 99] * 50)  # 4950 characters and 49 line breaks = 4999
    response = Client().post(NEW, form_data(station, content=content))
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert len(case.content) == 4999
    assert "\r" not in case.content
