"""The record of a held reception: items become cases in one step, nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.audit.models import AuditEvent
from liaison.cases.models import Case, Channel, Status
from liaison.receptions.models import DayStatus, Reception, ReceptionItem, ReceptionPhoto
from liaison.receptions.services.records import ItemInput, reception_record
from liaison.stations.tests.conftest import fake_jpeg_upload, jpeg_upload

pytestmark = pytest.mark.django_db


def items(deputy: Any) -> list[ItemInput]:
    return [
        ItemInput(
            title="小区路灯不亮",
            content="岳麓街道某小区三栋前路灯坏了一个月。",
            deputy_id=deputy.pk,
        ),
        ItemInput(
            title="建议增设公交站",
            content="希望在桃花岭路口增设公交站。",
            kind="help",
            contact_name="王小明",
            contact_phone="13800138000",
        ),
    ]


def test_record_turns_items_into_cases(
    held_day: Any, station_officer: Any, deputy: Any, colleague: Any
) -> None:
    record = reception_record(
        day=held_day,
        actor=station_officer,
        visitor_count=12,
        minutes="群众反映了路灯和公交问题。",
        present_deputy_ids=[deputy.pk],
        items=items(deputy),
        photos=[jpeg_upload()],
    )
    listed = list(ReceptionItem.objects.filter(reception=record).select_related("case"))
    assert [i.number for i in listed] == [1, 2]
    first, second = (i.case for i in listed)
    assert first.channel == second.channel == Channel.RECEPTION
    assert first.station == held_day.station and first.deputy == deputy
    assert first.status == Status.SUBMITTED and first.accept_due is not None
    assert first.channel_ref == f"R{record.pk}-1"
    assert listed[0].deputy == deputy and listed[1].deputy is None
    assert second.contact_name == "王小明"  # encrypted at rest like every case's contact
    held_day.refresh_from_db()
    assert held_day.status == DayStatus.HELD
    duties = {d.deputy_id: d for d in held_day.duties.all()}
    assert duties[deputy.pk].present is True and duties[colleague.pk].present is False
    assert duties[deputy.pk].confirmed_by == station_officer
    assert ReceptionPhoto.objects.filter(reception=record).count() == 1
    assert AuditEvent.objects.filter(object_type="receptions.reception").count() == 1


def test_the_deputy_on_duty_may_record(held_day: Any, deputy_user: Any, deputy: Any) -> None:
    record = reception_record(day=held_day, actor=deputy_user, visitor_count=0)
    assert record.recorded_by == deputy_user


def test_own_confirmation_is_kept(
    held_day: Any, station_officer: Any, deputy_user: Any, deputy: Any
) -> None:
    from liaison.receptions.services.rota import duty_confirm

    duty_confirm(duty=held_day.duties.get(deputy=deputy), actor=deputy_user)
    reception_record(day=held_day, actor=station_officer, visitor_count=3, present_deputy_ids=[])
    duty = held_day.duties.get(deputy=deputy)
    assert duty.present is True and duty.confirmed_by == deputy_user


def nothing_saved(day: Any) -> None:
    assert not Reception.objects.exists()
    assert not Case.objects.exists()
    assert not ReceptionPhoto.objects.exists()
    day.refresh_from_db()
    assert day.status == DayStatus.SCHEDULED
    assert not AuditEvent.objects.filter(object_type="receptions.reception").exists()


@pytest.mark.parametrize("count", [-1, 5001, 10**9, True])
def test_absurd_visitor_counts(held_day: Any, station_officer: Any, count: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        reception_record(day=held_day, actor=station_officer, visitor_count=count)
    assert "来访人数" in str(caught.value)
    nothing_saved(held_day)


def test_future_day_is_refused(future_day: Any, station_officer: Any) -> None:
    with pytest.raises(ValidationError, match="尚未开始"):
        reception_record(day=future_day, actor=station_officer, visitor_count=1)
    nothing_saved(future_day)


def test_a_bad_item_saves_nothing(held_day: Any, station_officer: Any, deputy: Any) -> None:
    bad = [*items(deputy), ItemInput(title="", content="", contact_phone="123")]
    with pytest.raises(ValidationError) as caught:
        reception_record(day=held_day, actor=station_officer, visitor_count=5, items=bad)
    assert "第 3 项" in str(caught.value)
    nothing_saved(held_day)


def test_item_deputy_must_be_on_duty(held_day: Any, station_officer: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory

    stranger = DeputyFactory()
    with pytest.raises(ValidationError, match="值班代表"):
        reception_record(
            day=held_day,
            actor=station_officer,
            visitor_count=1,
            items=[ItemInput(title="问题", content="内容", deputy_id=stranger.pk)],
        )
    nothing_saved(held_day)


def test_photo_that_is_not_an_image(held_day: Any, station_officer: Any, deputy: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        reception_record(
            day=held_day,
            actor=station_officer,
            visitor_count=2,
            items=items(deputy),
            photos=[jpeg_upload(), fake_jpeg_upload()],
        )
    assert "第 2 张照片" in str(caught.value) and "不是有效的图片" in str(caught.value)
    nothing_saved(held_day)


def test_present_must_be_on_duty_and_one_record_per_day(
    held_day: Any, station_officer: Any
) -> None:
    with pytest.raises(ValidationError, match="到场代表"):
        reception_record(
            day=held_day, actor=station_officer, visitor_count=1, present_deputy_ids=[999999]
        )
    reception_record(day=held_day, actor=station_officer, visitor_count=1)
    with pytest.raises(ValidationError, match="已有接待记录"):
        reception_record(day=held_day, actor=station_officer, visitor_count=1)


def test_outside_scope_and_cancelled(
    held_day: Any, other_county_staff: Any, station_officer: Any
) -> None:
    with pytest.raises(PermissionDenied):
        reception_record(day=held_day, actor=other_county_staff, visitor_count=1)
    type(held_day).objects.filter(pk=held_day.pk).update(status=DayStatus.CANCELLED)
    with pytest.raises(ValidationError, match="已取消"):
        reception_record(day=held_day, actor=station_officer, visitor_count=1)
