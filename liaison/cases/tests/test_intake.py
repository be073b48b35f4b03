"""case_submit: validation, idempotency, PIN, images, nothing half-saved."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from liaison.cases.models import Attachment, Case, CaseEvent, Channel, EventKind, Kind
from liaison.cases.services import case_pin_matches, case_submit, intake
from liaison.common.codes import ALPHABET
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.stations.models import StationStatus

pytestmark = pytest.mark.django_db


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def image(name: str = "photo.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if data is None else data, "image/png")


def submit(**overrides: Any) -> intake.SubmitResult:
    values: dict[str, Any] = {
        "kind": Kind.HELP,
        "title": "小区路灯坏了",
        "content": "麓山南路某小区东门路灯坏了半个月，晚上很黑。",
        "channel": Channel.QR,
        "consent": True,
    }
    values.update(overrides)
    return case_submit(**values)


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), Attachment.objects.count()


def set_setting(region_code: str, key: str, value: Any) -> None:
    JurisdictionSetting.objects.update_or_create(
        region_id=region_code, key=key, defaults={"value": value}
    )


def field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_submit_creates_case_event_and_pin(station: Any) -> None:
    result = submit(station=station, contact_name="王小明", contact_phone="138 0013 8000")
    case = result.case
    assert result.created
    assert result.pin is not None
    assert len(result.pin) == 6
    assert result.pin.isdigit()
    assert case.tracking_code.startswith("C")
    assert len(case.tracking_code) == 10
    assert all(c in ALPHABET for c in case.tracking_code[1:])
    assert case.region_id == station.region_id
    assert case.station == station
    assert case.status == "submitted"
    assert case.accept_due is not None
    assert case.contact_phone == "13800138000"
    assert case.contact_phone_tail == "8000"
    assert case.consent_at is not None
    # The PIN is not stored, only its HMAC.
    assert result.pin not in case.pin_digest
    assert len(case.pin_digest) == 64
    assert case_pin_matches(case=case, pin=result.pin)
    assert not case_pin_matches(case=case, pin="000000" if result.pin != "000000" else "111111")
    assert not case_pin_matches(case=case, pin="")
    event = case.events.get()
    assert event.kind == EventKind.SUBMITTED
    assert event.is_public
    assert event.actor is None
    assert event.actor_role == "constituent"


def test_phone_and_name_are_encrypted_at_rest(station: Any) -> None:
    case = submit(station=station, contact_name="王小明", contact_phone="13800138000").case
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_phone FROM cases_case WHERE id = %s", [case.pk]
        )
        raw = cursor.fetchone()
    assert "王小明" not in raw[0]
    assert "13800138000" not in raw[1]


def test_same_client_token_returns_the_first_case(station: Any) -> None:
    first = submit(station=station, client_token="tok-1")
    before = counts()
    again = submit(station=station, client_token="tok-1", title="另一个标题")
    assert again.case.pk == first.case.pk
    assert not again.created
    assert again.pin is None
    assert counts() == before


def test_replayed_token_is_returned_even_if_the_replay_is_invalid(station: Any) -> None:
    first = submit(station=station, client_token="tok-2")
    again = submit(station=station, client_token="tok-2", consent=False, title="")
    assert again.case.pk == first.case.pk
    assert not again.created


def test_same_channel_ref_returns_the_first_case(station: Any) -> None:
    first = submit(station=station, channel=Channel.HOTLINE, channel_ref="GD2026-001")
    again = submit(station=station, channel=Channel.HOTLINE, channel_ref="GD2026-001")
    assert again.case.pk == first.case.pk
    assert not again.created
    assert Case.objects.count() == 1


def test_a_replay_is_answered_from_the_unique_constraint(station: Any) -> None:
    """No lookup before the insert: the replay's INSERT fails and the first case is returned."""
    winner = submit(station=station, client_token="race")
    with CaptureQueriesContext(connection) as queries:
        result = submit(station=station, client_token="race")
    assert result.case.pk == winner.case.pk
    assert not result.created
    assert result.pin is None
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1
    assert any(q["sql"].startswith("INSERT") for q in queries.captured_queries)


def test_a_replay_after_the_station_closed_still_gets_its_case(station: Any) -> None:
    first = submit(station=station, client_token="late-retry")
    station.status = StationStatus.SUSPENDED
    station.save()
    again = submit(station=station, client_token="late-retry")
    assert again.case.pk == first.case.pk
    assert not again.created


def test_tracking_code_collision_is_retried(station: Any, monkeypatch: Any) -> None:
    taken = submit(station=station).case.tracking_code
    codes = iter([taken, "C23456789A"])
    monkeypatch.setattr(intake, "new_tracking_code", lambda: next(codes))
    case = submit(station=station).case
    assert case.tracking_code == "C23456789A"


def test_other_integrity_errors_are_not_swallowed(station: Any, monkeypatch: Any) -> None:
    def broken_insert(obj: Any, **kwargs: Any) -> None:
        raise IntegrityError("something else")

    monkeypatch.setattr(intake, "insert_one", broken_insert)
    with pytest.raises(IntegrityError):
        submit(station=station)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "praise"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "字" * 101}, "title"),
        ({"content": ""}, "content"),
        ({"content": "字" * 5001}, "content"),
        ({"place": "地" * 201}, "place"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"contact_phone": "0731-88888888"}, "contact_phone"),
        ({"consent": False}, "consent"),
        ({"client_token": "x" * 65}, "client_token"),
    ],
)
def test_bad_input_is_refused_with_chinese_messages_and_nothing_saved(
    station: Any, overrides: dict[str, Any], field: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as exc:
        submit(station=station, **overrides)
    errors = field_errors(exc)
    assert field in errors
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in errors[field])
    assert counts() == before


def test_limits_are_inclusive(station: Any) -> None:
    case = submit(station=station, title="标" * 100, content="内" * 5000, place="地" * 200).case
    assert len(case.title) == 100
    assert len(case.content) == 5000


def test_consent_is_not_required_for_staff_channels(station: Any) -> None:
    case = submit(station=station, channel=Channel.LETTER_BOX, consent=False).case
    assert case.consent_at is None


def test_phone_required_by_setting_unless_anonymous(station: Any) -> None:
    set_setting("430104000000", "require_contact_phone", True)
    with pytest.raises(ValidationError) as exc:
        submit(station=station)
    assert "contact_phone" in field_errors(exc)
    assert submit(station=station, is_anonymous=True).created
    assert submit(station=station, contact_phone="13900001111").created


def test_anonymous_drops_the_name(station: Any) -> None:
    case = submit(station=station, is_anonymous=True, contact_name="王小明").case
    assert case.contact_name == ""
    assert case.is_anonymous


def test_inactive_station_is_refused(station: Any) -> None:
    station.status = "suspended"
    station.save()
    with pytest.raises(ValidationError) as exc:
        submit(station=station)
    assert "station" in field_errors(exc)
    assert Case.objects.count() == 0


def test_no_station_deputy_or_region_is_refused(hunan: None) -> None:
    with pytest.raises(ValidationError) as exc:
        submit()
    assert "station" in field_errors(exc)


def test_deputy_binds_to_their_station(station: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    deputy = DeputyFactory(name="张代表")
    StationDeputyFactory(station=station, deputy=deputy)
    case = submit(deputy=deputy).case
    assert case.deputy == deputy
    assert case.station == station
    assert case.region_id == station.region_id


def test_deputy_without_station_uses_home_region(hunan: None) -> None:
    from liaison.deputies.tests.factories import DeputyFactory

    deputy = DeputyFactory(name="李代表", home_region_id="430104000000")
    case = submit(deputy=deputy).case
    assert case.station is None
    assert case.region_id == "430104000000"


def test_inactive_deputy_is_refused(station: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory

    deputy = DeputyFactory(name="王代表", is_active=False)
    with pytest.raises(ValidationError) as exc:
        submit(deputy=deputy, station=station)
    assert "deputy" in field_errors(exc)


def test_region_can_be_given_directly(yuelu: Any) -> None:
    case = submit(region=yuelu, channel=Channel.PHONE).case
    assert case.region == yuelu
    assert case.station is None


def test_script_tags_are_stored_as_given(station: Any) -> None:
    payload = '<script>alert("x")</script>'
    case = submit(station=station, title=payload, content=payload, place=payload).case
    case.refresh_from_db()
    assert case.title == payload
    assert case.content == payload
    assert case.place == payload


def test_images_are_saved_as_intake_attachments(station: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = submit(station=station, images=[image("a.png"), image("b.png")]).case
    attachments = list(case.attachments.order_by("id"))
    assert [a.original_name for a in attachments] == ["a.png", "b.png"]
    assert all(a.purpose == Attachment.Purpose.INTAKE and a.size > 0 for a in attachments)


def test_seventh_image_is_refused(station: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(station=station, images=[image(f"{n}.png") for n in range(7)])
    assert "images" in field_errors(exc)
    assert counts() == (0, 0, 0)


def test_disguised_file_is_refused_before_anything_is_written(station: Any) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is an exe", "image/jpeg")
    with pytest.raises(ValidationError) as exc:
        submit(station=station, images=[image(), fake])
    assert "第 2 张图片" in field_errors(exc)["images"][0]
    assert counts() == (0, 0, 0)


def test_oversized_image_is_refused_by_setting(station: Any) -> None:
    set_setting("430104000000", "max_upload_mb", 1)
    big = image("big.png", png_bytes() + b"\0" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        submit(station=station, images=[big])
    assert "1 MB" in field_errors(exc)["images"][0]
    assert counts() == (0, 0, 0)


def test_storage_failure_keeps_the_text(station: Any, monkeypatch: Any) -> None:
    from django.db.models.fields.files import FieldFile

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(FieldFile, "save", disk_full)
    result = submit(station=station, images=[image()])
    assert result.created
    assert Case.objects.filter(pk=result.case.pk).exists()
    assert Attachment.objects.count() == 0
    note = result.case.events.get(kind=EventKind.NOTE)
    assert not note.is_public
    assert note.data["failed_images"] == ["photo.png"]


def test_sms_with_code_and_pin_is_sent_on_commit(
    station: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "liaison.notifications.services.send_sms", lambda **kwargs: sent.append(kwargs)
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(station=station, contact_phone="13800138000")
    assert len(sent) == 1
    assert sent[0]["phone"] == "13800138000"
    assert sent[0]["subject"].pk == result.case.pk
    assert result.case.tracking_code in sent[0]["body"]
    assert str(result.pin) in sent[0]["body"]
    assert sent[0]["secrets"] == (result.pin,)  # kept out of the outbox and the log
    # The link names the code only: a URL ends up in access logs.
    assert f"/cases/track/{result.case.tracking_code}/" in sent[0]["body"]
    assert "pin=" not in sent[0]["body"]


def test_the_pin_is_not_kept_in_the_outbox(
    station: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from liaison.notifications.models import OutboundMessage

    with django_capture_on_commit_callbacks(execute=True):
        result = submit(station=station, contact_phone="13800138000")
    body = OutboundMessage.objects.about(result.case).get().body
    assert result.case.tracking_code in body
    assert str(result.pin) not in body
    assert "******" in body


def test_no_sms_without_phone(
    station: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr("liaison.notifications.services.send_sms", lambda **k: sent.append(k))
    with django_capture_on_commit_callbacks(execute=True):
        submit(station=station)
    assert sent == []


def test_staff_intake_records_the_actor(station: Any, station_officer: Any) -> None:
    case = submit(
        station=station, channel=Channel.LETTER_BOX, consent=False, actor=station_officer
    ).case
    event = case.events.get()
    assert case.created_by == station_officer
    assert event.actor == station_officer
    assert event.actor_role == "liaison_officer"


def test_concurrent_submits_with_one_token_make_one_case(
    transactional_db: Any, hunan: None
) -> None:
    """Real threads on one database: exactly one case whatever the interleaving."""
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite is one connection; run on PostgreSQL for real concurrency")
    from liaison.stations.tests.factories import StationFactory

    station = StationFactory()
    results: list[intake.SubmitResult] = []
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        results.append(submit(station=station, client_token="same"))
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Case.objects.filter(client_token="same").count() == 1
    assert sum(r.created for r in results) == 1
    assert len({r.case.pk for r in results}) == 1
