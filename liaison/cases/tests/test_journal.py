"""The public API's intake journal: a receipt at once, a case once the worker or a lookup moves it.

Test settings move each entry in the request that wrote it (INTAKE_MOVE_INLINE); here the
`worker_moves` fixture turns that off, so entries wait in the journal as they do in production.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from liaison.cases.classification import CategoryHint
from liaison.cases.deadlines import accept_due_for
from liaison.cases.models import Case, CaseEvent, Channel, EventKind, IntakeEntry, Kind, Status
from liaison.cases.services import case_pin_matches, case_submit, journal, journal_move
from liaison.cases.services.intake import pin_digest
from liaison.cases.services.journal import Receipt, intake_entry_settle, intake_entry_submit
from liaison.cases.services.journal_move import intake_entries_move, intake_entries_move_all
from liaison.cases.tests.public_helpers import fresh_cache
from liaison.common import crypto
from liaison.common.codes import is_well_formed
from liaison.stations.models import StationStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "worker_moves")]
__all__ = ["fresh_cache"]

API = "/api/v1/public/cases"
TITLE = "夜间施工噪音扰民"
CONTENT = "某工地每晚施工到凌晨两点，影响休息。"
NAME = "李四"  # the constituent who writes through a partner's app
PHONE = "13900001111"


@pytest.fixture
def worker_moves(settings: Any) -> None:
    """Entries wait in the journal until moved, as in production (tests move inline otherwise)."""
    settings.INTAKE_MOVE_INLINE = False


def journal_submit(station: Any, /, **overrides: Any) -> Receipt:
    """What the public API hands to the journal for 李四's complaint at `station`."""
    values: dict[str, Any] = {
        "station": station,
        "kind": Kind.COMPLAINT,
        "title": TITLE,
        "content": CONTENT,
        "place": "麓山南路",
        "contact_name": NAME,
        "contact_phone": PHONE,
        "allow_publish": True,
        "consent": True,
    }
    values.update(overrides)
    return intake_entry_submit(**values)


def counts() -> tuple[int, int, int]:
    return IntakeEntry.objects.count(), Case.objects.count(), CaseEvent.objects.count()


def _rewrite_payload(code: str, change: Callable[[dict[str, Any]], object]) -> None:
    """Change an entry's sealed submission in place, as an older release or a lost row would."""
    entry = IntakeEntry.objects.get(tracking_code=code)
    data = json.loads(crypto.unseal(entry.payload))
    change(data)
    entry.payload = crypto.seal(json.dumps(data, ensure_ascii=False))
    entry.save(update_fields=["payload"])


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def sealed_elsewhere(settings: Any, text: str) -> str:
    """`text` sealed under another deployment's key (the caches hold the current key)."""
    current = settings.FIELD_ENCRYPTION_KEY
    crypto._fernet.cache_clear()
    crypto._aead.cache_clear()
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    try:
        return crypto.seal(text)
    finally:
        settings.FIELD_ENCRYPTION_KEY = current
        crypto._fernet.cache_clear()
        crypto._aead.cache_clear()


@pytest.fixture
def sms(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Tracking SMS sent (the notifications service is replaced by a recorder)."""
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("liaison.notifications.services.send_sms", lambda **kw: sent.append(kw))
    return sent


@pytest.fixture
def clean_keys() -> Iterator[None]:
    crypto._fernet.cache_clear()
    crypto._aead.cache_clear()
    yield
    crypto._fernet.cache_clear()
    crypto._aead.cache_clear()


# --- submit ------------------------------------------------------------------------------------


def test_submit_writes_one_sealed_entry_and_no_case(station: Any) -> None:
    receipt = journal_submit(station, client_token="partner-1")
    assert counts() == (1, 0, 0)
    entry = IntakeEntry.objects.get()
    assert entry.tracking_code == receipt.tracking_code
    assert entry.client_token == "partner-1"
    assert entry.received_at is not None
    assert entry.moved_at is None
    assert entry.held_at is None
    assert entry.case_id is None
    # Only the PIN's HMAC is a column; the payload is sealed (no name, phone, text or PIN).
    assert receipt.pin is not None
    assert entry.pin_digest == pin_digest(tracking_code=receipt.tracking_code, pin=receipt.pin)
    for secret in (NAME, PHONE, TITLE, CONTENT, receipt.pin):
        assert secret not in entry.payload
    data = json.loads(crypto.unseal(entry.payload))
    assert data["contact_name"] == NAME
    assert data["contact_phone"] == PHONE
    assert data["pin"] == receipt.pin


def test_receipt_has_an_a_code_and_a_pin_that_works_after_the_move(station: Any) -> None:
    receipt = journal_submit(station)
    assert receipt.created
    assert receipt.pin is not None
    assert len(receipt.pin) == 6
    assert receipt.pin.isdigit()
    assert receipt.tracking_code.startswith(journal.JOURNAL_PREFIX)
    assert is_well_formed(receipt.tracking_code, "A", journal.CODE_LENGTH)
    assert intake_entries_move() == 1
    case = Case.objects.get(tracking_code=receipt.tracking_code)
    assert case_pin_matches(case=case, pin=receipt.pin)
    assert not case_pin_matches(case=case, pin=wrong(receipt.pin))


def test_replay_returns_the_first_code_and_writes_nothing_before_or_after_the_move(
    station: Any,
) -> None:
    first = journal_submit(station, client_token="partner-2")
    before = counts()
    again = journal_submit(station, client_token=" partner-2 ", title="改了标题")
    assert again == Receipt(tracking_code=first.tracking_code, pin=None, created=False)
    assert counts() == before == (1, 0, 0)
    intake_entries_move()
    moved = counts()
    assert moved == (1, 1, 1)
    again = journal_submit(station, client_token="partner-2")
    assert again == Receipt(tracking_code=first.tracking_code, pin=None, created=False)
    assert counts() == moved
    assert Case.objects.get().title == TITLE


def test_replay_outside_a_transaction_is_answered_from_the_unique_key(
    transactional_db: Any, hunan: None
) -> None:
    """The API's own path (autocommit, no savepoint): the failed INSERT leaves the connection
    usable and the replay gets the first receipt."""
    from liaison.stations.tests.factories import StationFactory

    station = StationFactory()
    assert not connection.in_atomic_block
    first = journal_submit(station, client_token="autocommit")
    again = journal_submit(station, client_token="autocommit")
    assert again == Receipt(tracking_code=first.tracking_code, pin=None, created=False)
    assert IntakeEntry.objects.count() == 1


@pytest.mark.parametrize("moved", [False, True])
def test_replay_after_the_station_closed_still_gets_the_first_code(
    station: Any, moved: bool
) -> None:
    first = journal_submit(station, client_token="late-retry")
    if moved:
        intake_entries_move()
    station.status = StationStatus.SUSPENDED
    station.save()
    before = counts()
    again = journal_submit(station, client_token="late-retry")
    assert again == Receipt(tracking_code=first.tracking_code, pin=None, created=False)
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"content": "字" * 5001}, "content"),
        ({"kind": "praise"}, "kind"),
        ({"contact_phone": "110"}, "contact_phone"),
        ({"consent": False}, "consent"),
        ({"client_token": "t" * 65}, "client_token"),
        ({"station": None}, "station"),
    ],
)
def test_invalid_submission_raises_and_writes_nothing(
    station: Any, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        journal_submit(station, **{"client_token": "never-seen", **overrides})
    assert field in exc.value.message_dict
    assert counts() == (0, 0, 0)


def test_closed_station_is_refused_for_a_new_token(station: Any) -> None:
    station.status = StationStatus.SUSPENDED
    station.save()
    with pytest.raises(ValidationError):
        journal_submit(station, client_token="fresh")
    assert counts() == (0, 0, 0)


def test_a_code_drawn_twice_is_drawn_again(station: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = journal_submit(station).tracking_code
    codes = iter([taken, "A23456789"])
    monkeypatch.setattr(journal, "_new_code", lambda: next(codes))
    receipt = journal_submit(station)
    assert receipt.created
    assert receipt.tracking_code == "A23456789"
    assert IntakeEntry.objects.count() == 2


def test_inline_setting_moves_the_entry_in_the_request(station: Any, settings: Any) -> None:
    settings.INTAKE_MOVE_INLINE = True
    receipt = journal_submit(station)
    case = Case.objects.get(tracking_code=receipt.tracking_code)
    assert IntakeEntry.objects.get().case_id == case.pk


# --- the move ----------------------------------------------------------------------------------


def test_the_move_makes_the_case_its_event_and_empties_the_payload(station: Any) -> None:
    receipt = journal_submit(
        station,
        title=f"  {TITLE}  ",
        contact_phone="139 0000 1111",
        client_token="partner-3",
    )
    entry = IntakeEntry.objects.get()
    assert intake_entries_move() == 1
    case = Case.objects.get()
    received = entry.received_at
    assert case.tracking_code == receipt.tracking_code
    assert case.pin_digest == entry.pin_digest
    assert case.client_token == "partner-3"
    assert case.kind == Kind.COMPLAINT
    assert case.title == TITLE
    assert case.content == CONTENT
    assert case.place == "麓山南路"
    assert case.station == station
    assert case.region_id == station.region_id
    assert case.deputy is None
    assert case.created_by is None
    assert case.category is None
    assert case.contact_name == NAME
    assert case.contact_phone == PHONE
    assert case.contact_phone_tail == "1111"
    assert not case.is_anonymous
    assert case.allow_publish
    assert case.consent_at == received
    assert case.submitted_at == received
    assert case.accept_due == accept_due_for(region=station.region_id, submitted_at=received)
    assert case.channel == Channel.API
    assert case.status == Status.SUBMITTED
    event = CaseEvent.objects.get()
    assert event.case == case
    assert event.kind == EventKind.SUBMITTED
    assert event.is_public
    assert event.actor is None
    assert event.actor_role == "constituent"
    assert event.to_status == Status.SUBMITTED
    assert event.at == received
    assert "意见已提交" in event.note
    entry.refresh_from_db()
    assert entry.case_id == case.pk
    assert entry.moved_at is not None
    assert entry.payload == ""
    assert entry.held_at is None


def test_the_move_stores_the_classifiers_suggestion(
    station: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[tuple[str, str]]] = []

    def hint_many(texts: list[tuple[str, str]]) -> list[CategoryHint | None]:
        seen.append(list(texts))
        return [CategoryHint("城乡建设", 0.9, False, "test-model", None) for _text in texts]

    monkeypatch.setattr(journal_move, "classification_hint_many", hint_many)
    for n in range(2):
        journal_submit(station, title=f"{TITLE}{n}")
    intake_entries_move()
    assert seen == [[(f"{TITLE}0", CONTENT), (f"{TITLE}1", CONTENT)]]  # one batch
    for case in Case.objects.all():
        assert not case.hint_pending
        assert case.hint_label == "城乡建设"
        assert case.hint_model == "test-model"
        assert case.category is None


def test_without_a_classifier_the_case_waits_for_the_hint_sweep(
    station: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        journal_move, "classification_hint_many", lambda texts: [None for _text in texts]
    )
    journal_submit(station)
    intake_entries_move()
    case = Case.objects.get()
    assert case.hint_pending
    assert case.hint_label == ""


def test_the_moved_case_keeps_personal_data_encrypted(station: Any) -> None:
    journal_submit(station)
    intake_entries_move()
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name, contact_phone FROM cases_case")
        raw = cursor.fetchone()
    assert NAME not in raw[0]
    assert PHONE not in raw[1]


def test_anonymous_submission_becomes_a_case_without_the_name(station: Any) -> None:
    journal_submit(station, is_anonymous=True, allow_publish=False)
    intake_entries_move()
    case = Case.objects.get()
    assert case.is_anonymous
    assert case.contact_name == ""
    assert case.contact_phone == PHONE
    assert not case.allow_publish


def test_deputy_submission_becomes_a_case_at_their_station(station: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    deputy = DeputyFactory(name="张代表")
    StationDeputyFactory(station=station, deputy=deputy)
    journal_submit(station, station=None, deputy=deputy)
    intake_entries_move()
    case = Case.objects.get()
    assert case.deputy == deputy
    assert case.station == station


def test_moving_twice_does_not_duplicate(station: Any) -> None:
    receipt = journal_submit(station)
    assert intake_entries_move() == 1
    assert intake_entries_move() == 0
    assert intake_entries_move(codes=[receipt.tracking_code]) == 0
    assert intake_entries_move_all() == 0
    assert counts() == (1, 1, 1)


def test_limit_is_respected_and_the_oldest_move_first(station: Any) -> None:
    codes = [journal_submit(station, title=f"{TITLE}{n}").tracking_code for n in range(3)]
    assert intake_entries_move(limit=2) == 2
    assert set(Case.objects.values_list("tracking_code", flat=True)) == set(codes[:2])
    assert IntakeEntry.objects.filter(moved_at__isnull=True).get().tracking_code == codes[2]
    assert intake_entries_move(limit=2) == 1
    assert Case.objects.count() == 3


def test_codes_move_only_those_entries(station: Any) -> None:
    codes = [journal_submit(station, title=f"{TITLE}{n}").tracking_code for n in range(3)]
    assert intake_entries_move(codes=[codes[1]]) == 1
    assert list(Case.objects.values_list("tracking_code", flat=True)) == [codes[1]]


def test_move_all_empties_the_journal(station: Any) -> None:
    for n in range(5):
        journal_submit(station, title=f"{TITLE}{n}")
    assert intake_entries_move_all() == 5
    assert counts() == (5, 5, 5)
    assert not IntakeEntry.objects.filter(moved_at__isnull=True).exists()
    assert set(IntakeEntry.objects.values_list("payload", flat=True)) == {""}


def test_sms_with_code_and_pin_is_sent_when_the_move_commits(
    station: Any, sms: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        receipt = journal_submit(station)
    assert sms == []  # nothing is sent for a submission that is not a case yet
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        intake_entries_move()
        assert sms == []  # only once the case is committed
    # the SMS, and the station's inbox (arrival.py)
    assert len(callbacks) == 2
    assert len(sms) == 1
    case = Case.objects.get()
    assert sms[0]["phone"] == PHONE
    assert sms[0]["subject"].pk == case.pk
    assert receipt.tracking_code in sms[0]["body"]
    assert str(receipt.pin) in sms[0]["body"]


def test_no_sms_without_a_phone(
    station: Any, sms: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    journal_submit(station, contact_phone="")
    assert json.loads(crypto.unseal(IntakeEntry.objects.get().payload))["pin"] == ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        intake_entries_move()
    # only the station's inbox (arrival.py)
    assert len(callbacks) == 1
    assert sms == []
    assert Case.objects.get().contact_phone == ""


@pytest.mark.parametrize("damage", ["changed", "foreign_key", "not_a_token"])
def test_an_unreadable_entry_is_held_and_does_not_stop_the_others(
    station: Any,
    settings: Any,
    clean_keys: None,
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    codes = [journal_submit(station, title=f"{TITLE}{n}").tracking_code for n in range(3)]
    bad = IntakeEntry.objects.get(tracking_code=codes[1])
    if damage == "changed":
        middle = len(bad.payload) // 2
        flipped = "A" if bad.payload[middle] != "A" else "B"
        bad.payload = bad.payload[:middle] + flipped + bad.payload[middle + 1 :]
    elif damage == "foreign_key":
        bad.payload = sealed_elsewhere(settings, crypto.unseal(bad.payload))
    else:
        bad.payload = "not a sealed payload"
    bad.save(update_fields=["payload"])
    with caplog.at_level(logging.ERROR, logger="liaison.cases.services.journal"):
        assert intake_entries_move() == 3
    assert "held" in caplog.text
    assert set(Case.objects.values_list("tracking_code", flat=True)) == {codes[0], codes[2]}
    held = IntakeEntry.objects.get(pk=bad.pk)
    assert held.held_at is not None
    assert held.payload == bad.payload
    assert held.moved_at is None
    assert held.case_id is None
    # Not tried again: the worker's queue is empty and the entry is left as it was.
    assert intake_entries_move() == 0
    assert intake_entries_move_all() == 0
    assert IntakeEntry.objects.get(pk=bad.pk).held_at == held.held_at
    assert Case.objects.count() == 2


def test_a_readable_entry_that_cannot_become_a_case_does_not_stop_the_others(
    station: Any,
) -> None:
    """Say a payload written by an older release, without a key this release reads."""
    old, new = (journal_submit(station, title=f"{TITLE}{n}").tracking_code for n in range(2))
    _rewrite_payload(old, lambda data: data.pop("deputy"))
    intake_entries_move()
    assert list(Case.objects.values_list("tracking_code", flat=True)) == [new]
    held = IntakeEntry.objects.get(tracking_code=old)
    assert held.held_at is not None
    assert held.payload
    assert held.moved_at is None
    assert intake_entries_move() == 0  # not tried again


def test_an_entry_whose_station_is_gone_is_held_and_the_others_move(station: Any) -> None:
    old, new = (journal_submit(station, title=f"{TITLE}{n}").tracking_code for n in range(2))
    # No such station: a row removed while the entry waited.
    _rewrite_payload(old, lambda data: data.update(station=987654321))
    intake_entries_move()
    assert list(Case.objects.values_list("tracking_code", flat=True)) == [new]
    held = IntakeEntry.objects.get(tracking_code=old)
    assert held.held_at is not None
    assert held.payload
    assert held.moved_at is None


def test_a_token_a_case_from_another_channel_took_is_dropped_but_the_text_kept(
    station: Any,
) -> None:
    receipt = journal_submit(station, client_token="shared-token")
    # The same token reaches the H5 form before the worker moves the API's entry.
    other = case_submit(
        kind=Kind.HELP,
        title="小区路灯坏了",
        content="东门路灯坏了半个月。",
        channel=Channel.QR,
        station=station,
        consent=True,
        client_token="shared-token",
    ).case
    assert intake_entries_move() == 1
    moved = Case.objects.get(tracking_code=receipt.tracking_code)
    assert moved.client_token is None
    assert moved.title == TITLE
    assert moved.content == CONTENT
    assert Case.objects.get(pk=other.pk).client_token == "shared-token"
    # The API's replays keep getting the API's code.
    again = journal_submit(station, client_token="shared-token")
    assert again == Receipt(tracking_code=receipt.tracking_code, pin=None, created=False)


# --- settle (tracking lookups) -----------------------------------------------------------------


def test_settle_moves_a_waiting_entry_and_only_that_one(station: Any) -> None:
    receipt = journal_submit(station)
    other = journal_submit(station, title="另一条")
    assert intake_entry_settle(tracking_code=receipt.tracking_code) is True
    assert list(Case.objects.values_list("tracking_code", flat=True)) == [receipt.tracking_code]
    assert IntakeEntry.objects.get(tracking_code=other.tracking_code).moved_at is None
    # A second lookup of the same code makes nothing new.
    intake_entry_settle(tracking_code=receipt.tracking_code)
    assert counts() == (2, 1, 1)


def test_settle_leaves_c_codes_alone_and_makes_nothing_for_unknown_codes(station: Any) -> None:
    journal_submit(station)
    assert intake_entry_settle(tracking_code="C23456789A") is False
    intake_entry_settle(tracking_code="AZZZZZZZZZ")
    assert Case.objects.count() == 0
    assert IntakeEntry.objects.get().moved_at is None


def api_post(station: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "station_code": station.code,
        "kind": "complaint",
        "title": TITLE,
        "content": CONTENT,
        "contact_name": NAME,
        "contact_phone": PHONE,
        "client_token": "partner-api",
    }
    body.update(overrides)
    response = Client().post(API, body, content_type="application/json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_api_post_answers_from_the_journal(station: Any) -> None:
    created = api_post(station)
    assert created["created"] is True
    assert created["tracking_code"].startswith("A")
    assert counts() == (1, 0, 0)
    again = api_post(station)
    assert again == {"tracking_code": created["tracking_code"], "pin": None, "created": False}
    assert counts() == (1, 0, 0)


def test_api_status_of_a_code_still_in_the_journal(station: Any) -> None:
    created = api_post(station)
    code, pin = created["tracking_code"], created["pin"]
    response = Client().get(f"{API}/{code}", HTTP_X_CASE_PIN=pin)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert [item["kind"] for item in body["timeline"]] == ["submitted"]
    assert Case.objects.get().tracking_code == code


def test_api_wrong_pin_for_a_code_still_in_the_journal_is_the_usual_404(station: Any) -> None:
    created = api_post(station)
    code, pin = created["tracking_code"], created["pin"]
    a = Client().get(f"{API}/{code}", HTTP_X_CASE_PIN=wrong(pin))
    b = Client().get(f"{API}/AZZZZZZZZZ", HTTP_X_CASE_PIN=pin)
    assert a.status_code == b.status_code == 404
    assert a.json() == b.json()


def test_api_status_of_a_held_entry_is_404(station: Any) -> None:
    created = api_post(station)
    IntakeEntry.objects.update(payload="damaged")
    response = Client().get(f"{API}/{created['tracking_code']}", HTTP_X_CASE_PIN=created["pin"])
    assert response.status_code == 404
    assert IntakeEntry.objects.get().held_at is not None
    assert Case.objects.count() == 0


def test_h5_tracking_form_finds_a_code_still_in_the_journal(station: Any) -> None:
    receipt = journal_submit(station)
    code = receipt.tracking_code
    client = Client()
    response = client.post("/cases/track/", {"code": code.lower(), "pin": receipt.pin})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/track/{code}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert TITLE in page.content.decode()


def test_h5_sms_link_works_for_a_code_still_in_the_journal(station: Any) -> None:
    receipt = journal_submit(station)
    code = receipt.tracking_code
    client = Client()
    # The SMS link names the code; the form then takes the PIN.
    form = client.get(f"/cases/track/{code}/", follow=True)
    assert code in form.content.decode()
    response = client.post("/cases/track/", {"code": code, "pin": receipt.pin})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/track/{code}/"
    assert TITLE in client.get(response["Location"]).content.decode()


def test_h5_wrong_pin_for_a_code_still_in_the_journal_is_refused(station: Any) -> None:
    receipt = journal_submit(station)
    assert receipt.pin is not None
    response = Client().post(
        "/cases/track/", {"code": receipt.tracking_code, "pin": wrong(receipt.pin)}
    )
    assert response.status_code == 200
    assert "查询码或查询密码不正确" in response.content.decode()


def test_a_lookup_moves_its_entry_without_loading_the_classifier(
    station: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_classifier(texts: Any) -> Any:
        raise AssertionError("a tracking lookup must not classify")

    monkeypatch.setattr(journal_move, "classification_hint_many", no_classifier)
    receipt = journal_submit(station)
    assert intake_entry_settle(tracking_code=receipt.tracking_code)
    case = Case.objects.get(tracking_code=receipt.tracking_code)
    assert case.hint_pending  # the worker's sweep gives it one
