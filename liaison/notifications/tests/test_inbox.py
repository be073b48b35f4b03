"""The staff inbox: own messages only, unread first, mark read one by one or all."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.notifications.models import Notification
from liaison.notifications.selectors import notifications_for, unread_count
from liaison.notifications.services import notify_users

pytestmark = pytest.mark.django_db


def test_notify_users_bulk_and_deduplicated(
    county_staff: Any, station_officer: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        count = notify_users(
            users=[county_staff, station_officer, county_staff.pk], title="新交办", body="b"
        )
    assert count == 2
    assert unread_count(county_staff) == 1
    assert notify_users(users=[], title="x") == 0


def test_inbox_lists_own_messages_unread_first(
    as_user: Any, county_staff: Any, auditor: Any
) -> None:
    notify_users(users=[county_staff], title="旧消息")
    notify_users(users=[county_staff], title="未读消息")
    Notification.objects.filter(title="旧消息").update(read_at="2025-01-01T00:00:00Z")
    notify_users(users=[auditor], title="别人的消息")
    response = as_user(county_staff).get(reverse("notifications:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "未读消息" in page
    assert "旧消息" in page
    assert "别人的消息" not in page
    assert page.index("未读消息") < page.index("旧消息")
    assert [n.title for n in notifications_for(county_staff)] == ["未读消息", "旧消息"]


def test_inbox_needs_login_and_second_factor(client: Any, county_staff: Any) -> None:
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.force_login(county_staff)
    assert client.get(reverse("notifications:inbox")).status_code == 302  # to the OTP step


def test_mark_one_and_all_read(as_user: Any, county_staff: Any, station_officer: Any) -> None:
    notify_users(users=[county_staff], title="一")
    notify_users(users=[county_staff], title="二")
    notify_users(users=[station_officer], title="三")
    mine = Notification.objects.filter(user=county_staff).first()
    theirs = Notification.objects.get(user=station_officer)
    client = as_user(county_staff)
    assert client.get(reverse("notifications:mark_read", args=[mine.pk])).status_code == 405  # type: ignore[union-attr]
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("notifications:mark_read", args=[mine.pk]))  # type: ignore[union-attr]
    assert response.status_code == 302
    assert unread_count(county_staff) == 1
    client.post(reverse("notifications:mark_all_read"))
    assert unread_count(county_staff) == 0
    assert unread_count(station_officer) == 1


def test_inbox_query_count_is_flat(
    as_user: Any, county_staff: Any, django_assert_max_num_queries: Any
) -> None:
    notify_users(users=[county_staff], title="x")
    client = as_user(county_staff)
    client.get(reverse("notifications:inbox"))
    with django_assert_max_num_queries(12):
        for _ in range(1):
            client.get(reverse("notifications:inbox"))
    for i in range(40):
        notify_users(users=[county_staff], title=f"消息{i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:inbox")).status_code == 200
