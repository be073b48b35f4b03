"""What a message is about: the subject reference, `.about()`, and the services that record it.

The subjects here are users and groups (apps below notifications) on purpose: the reference is
generic, nothing in it knows the apps above.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.test import override_settings

from liaison.accounts.models import User
from liaison.notifications.backends import SUBJECT_HEADER
from liaison.notifications.models import Notification, OutboundMessage
from liaison.notifications.services import notify_users, send_email, send_sms, send_wechat
from liaison.notifications.subjects import Subject, subject_fields, subject_of


def test_subject_of_a_row_is_its_label_and_key() -> None:
    user = User(pk=7, username="x")
    assert Subject.of(user) == Subject("accounts.user", 7)
    assert Subject.ref(User, 7) == Subject.of(user)
    assert str(Subject.of(user)) == "accounts.user:7"


def test_an_unsaved_row_is_no_subject() -> None:
    with pytest.raises(ValueError, match="unsaved"):
        Subject.of(User(username="x"))


def test_a_row_with_a_text_key_is_no_subject() -> None:
    from liaison.regions.models import Region

    with pytest.raises(TypeError, match="integer key"):
        Subject.of(Region(pk="430000000000"))


@pytest.mark.parametrize("label", ["", "accounts", "Accounts.User", "accounts.user.x", "a b.c"])
def test_a_label_must_be_label_lower(label: str) -> None:
    with pytest.raises(ValueError, match="label"):
        Subject(label, 1)


@pytest.mark.parametrize("pk", [0, -1, True])
def test_a_key_must_be_a_positive_integer(pk: Any) -> None:
    with pytest.raises(ValueError, match="primary key"):
        Subject("accounts.user", pk)


def test_subject_fields_for_a_row_a_reference_and_nothing() -> None:
    assert subject_fields(User(pk=3)) == {"subject_type": "accounts.user", "subject_id": 3}
    assert subject_fields(Subject("auth.group", 9)) == {
        "subject_type": "auth.group",
        "subject_id": 9,
    }
    assert subject_fields(None) == {"subject_type": "", "subject_id": None}


def test_a_bare_key_is_refused() -> None:
    with pytest.raises(TypeError, match="Subject"):
        subject_of(42)  # type: ignore[arg-type]  # what the check is for


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("accounts.user:12", Subject("accounts.user", 12)),
        (" auth.group:3 ", Subject("auth.group", 3)),
        ("", None),
        ("12", None),
        ("accounts.user:", None),
        ("accounts.user:0", None),
        ("accounts.user:-4", None),
        ("accounts.user:١٢", None),  # Arabic-Indic digits are digits to isdigit(), not to us
        ("Accounts.User:12", None),
    ],
)
def test_parse_reads_back_what_str_writes(text: str, subject: Subject | None) -> None:
    assert Subject.parse(text) == subject


@pytest.mark.django_db
def test_about_finds_the_messages_of_one_row_only(
    county_staff: User, station_officer: User, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        notify_users(users=[county_staff, station_officer], title="关于此人", subject=county_staff)
    notify_users(users=[county_staff], title="关于别人", subject=station_officer)
    # The same key in another table is another subject.
    notify_users(users=[county_staff], title="另一张表", subject=Subject("auth.group", 1))
    Notification.objects.filter(title="另一张表").update(subject_id=county_staff.pk)
    notify_users(users=[county_staff], title="无关")
    mine = Notification.objects.filter(user=county_staff)
    assert list(mine.about(county_staff).values_list("title", flat=True)) == ["关于此人"]
    assert Notification.objects.about(county_staff).count() == 2
    assert Notification.objects.about(Subject.of(station_officer)).get().title == "关于别人"
    unrelated = Notification.objects.get(title="无关")
    assert unrelated.subject is None
    assert (unrelated.subject_type, unrelated.subject_id) == ("", None)
    assert mine.get(title="关于别人").subject == Subject("accounts.user", station_officer.pk)


@pytest.mark.django_db
def test_half_a_subject_is_refused_by_the_database(county_staff: User) -> None:
    for fields in ({"subject_type": "accounts.user"}, {"subject_id": county_staff.pk}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(user=county_staff, title="x", **fields)
        with pytest.raises(IntegrityError), transaction.atomic():
            OutboundMessage.objects.create(channel="sms", recipient_masked="x", body="b", **fields)


@pytest.mark.django_db
def test_sms_and_wechat_record_their_subject() -> None:
    group = Group.objects.create(name="代表小组")
    sms = send_sms(phone="13812345678", body="x", subject=group)
    wechat = send_wechat(openid="oUpF8uMuAJO", body="y", subject=Subject.of(group))
    bare = send_sms(phone="13812345678", body="z")
    assert sms is not None and wechat is not None and bare is not None
    assert set(OutboundMessage.objects.about(group)) == {sms, wechat}
    assert sms.subject == Subject("auth.group", group.pk)
    assert bare.subject is None


@pytest.mark.django_db
@override_settings(
    MAILERS={"default": {"BACKEND": "liaison.notifications.backends.LoggingEmailBackend"}}
)
def test_email_carries_its_subject_into_the_outbox(county_staff: User) -> None:
    assert send_email(to=["a@b.cn"], title="督办", body="请答复", subject=county_staff) == 1
    assert send_email(to=["a@b.cn"], title="通知", body="无关") == 1
    about = OutboundMessage.objects.about(county_staff).get()
    assert about.channel == "email"
    assert about.body == "督办\n\n请答复"
    assert OutboundMessage.objects.get(body__startswith="通知").subject is None


def test_email_names_its_subject_in_a_header(mailoutbox: list[Any]) -> None:
    send_email(to=["a@b.cn"], title="督办", body="b", subject=Subject("accounts.user", 5))
    send_email(to=["a@b.cn"], title="通知", body="b")
    assert mailoutbox[0].extra_headers == {SUBJECT_HEADER: "accounts.user:5"}
    assert SUBJECT_HEADER not in mailoutbox[1].extra_headers
