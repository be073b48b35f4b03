"""Error pages: Chinese, in the site's layout, with a way home; no traceback for a refusal."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.common.errors import server_error
from liaison.common.logfilters import ExpectedClientErrors


@pytest.mark.django_db
def test_404_is_a_chinese_page_in_the_site_layout_with_a_way_home(hunan: None) -> None:
    response = Client().get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page
    assert "返回首页" in page
    assert 'name="viewport"' in page
    assert "css/h5.css" in page
    assert "Not Found" not in page


@pytest.mark.django_db
def test_403_names_the_missing_permission_and_links_to_the_workbench(
    yuelu: Any, as_user: Any
) -> None:
    auditor = make_member(Role.AUDITOR, region=yuelu, username="only_auditor")
    response = as_user(auditor).get("/staff/cases/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page
    assert "返回工作台" in page
    assert "403 Forbidden" not in page


@pytest.mark.django_db
def test_csrf_failure_speaks_to_the_citizen_not_to_a_developer(hunan: None) -> None:
    response = Client(enforce_csrf_checks=True).post("/cases/new/", {"title": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page
    assert "返回首页" in page
    assert "DEBUG" not in page
    assert "CSRF" not in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="liaison.common.tests.urls_raising")
def test_500_is_a_chinese_page_that_says_nothing_is_lost(hunan: None) -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统繁忙" in page
    assert "不会丢失" in page
    assert "返回首页" in page


def test_500_page_falls_back_to_plain_text_when_the_template_fails(monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("template engine down")

    monkeypatch.setattr("liaison.common.errors.render", broken)
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统暂时出现问题" in response.content.decode()


@pytest.mark.parametrize("status, keeps", [(403, False), (404, False), (500, True)])
def test_refusals_are_logged_without_their_traceback(status: int, keeps: bool) -> None:
    try:
        raise PermissionError("refused")
    except PermissionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), exc_info)
    record.status_code = status
    assert ExpectedClientErrors().filter(record) is True
    assert (record.exc_info is not None) is keeps


def test_favicon_is_served_from_static() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    assert "/static/" in response["Location"]
