"""Un-merging brings back the duplicates that followed the case to the primary (decision 0056):
`services/merging.py`."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.audit.models import AuditEvent
from liaison.cases import services
from liaison.cases.models import Case, CaseEvent, EventKind, Status
from liaison.cases.services.merging import case_unmerge
from liaison.cases.tests.factories import DEFAULT_PIN, case_in

pytestmark = pytest.mark.django_db


def _merge(case: Case, into: Case, actor: Any) -> None:
    services.case_merge(
        case=Case.objects.get(pk=case.pk), primary=Case.objects.get(pk=into.pk), actor=actor
    )


def _unmerge(case: Case, actor: Any) -> services.Unmerged:
    return case_unmerge(case=Case.objects.get(pk=case.pk), actor=actor)


def _into(case: Case) -> int | None:
    return Case.objects.values_list("merged_into_id", flat=True).get(pk=case.pk)


def _chain(station: Any, officer: Any) -> tuple[Case, Case, Case]:
    """A merged into B, then B merged into C: A follows B to C."""
    a = case_in(Status.SUBMITTED, station=station, title="A")
    b = case_in(Status.ACCEPTED, station=station, title="B")
    c = case_in(Status.ACCEPTED, station=station, title="C")
    _merge(a, b, officer)
    _merge(b, c, officer)
    return a, b, c


def test_merge_records_the_followers_on_the_merge_event(station: Any, station_officer: Any) -> None:
    a, b, c = _chain(station, station_officer)
    assert _into(a) == c.pk
    merged = CaseEvent.objects.filter(case=b, kind=EventKind.MERGED).get()
    assert merged.data == {"primary": c.pk, "follower_ids": [a.pk]}
    note = CaseEvent.objects.get(case=c, kind=EventKind.NOTE, data__merged=b.pk)
    assert note.data["followers"] == 1  # the count old readers read is kept
    assert a.tracking_code in note.note
    audit = AuditEvent.objects.filter(object_id=str(b.pk), note="合并").get()
    assert audit.after["follower_ids"] == [a.pk]


def test_unmerge_brings_the_follower_back(station: Any, station_officer: Any, as_user: Any) -> None:
    a, b, c = _chain(station, station_officer)
    version = Case.objects.get(pk=a.pk).version

    done = _unmerge(b, station_officer)

    assert done.returned == (a.tracking_code,)
    assert done.notice == ""
    a.refresh_from_db()
    assert (a.status, a.merged_into_id) == (Status.MERGED, b.pk)
    assert a.version == version + 1  # a form sent from A's page naming C is a conflict
    assert _into(b) is None
    # The follower's constituent hears it; the clerks read it on C (and the audit row on B).
    (told,) = CaseEvent.objects.filter(case=a, kind=EventKind.NOTE)
    assert told.is_public
    assert told.actor == station_officer
    assert told.actor_role == Role.LIAISON_OFFICER
    assert told.data == {"primary": b.pk, "previous": c.pk}
    assert "仍与反映相同问题的意见一并办理" in told.note
    unmerged = CaseEvent.objects.get(case=b, kind=EventKind.UNMERGED)
    assert unmerged.data["follower_ids"] == [a.pk]
    on_c = CaseEvent.objects.get(case=c, kind=EventKind.NOTE, data__unmerged=b.pk)
    assert on_c.data["follower_ids"] == [a.pk]
    assert a.tracking_code in on_c.note
    audit = AuditEvent.objects.filter(object_id=str(b.pk), note="撤销合并").get()
    assert audit.after == {"status": Status.ACCEPTED, "merged_into": None, "follower_ids": [a.pk]}
    # The staff pages: A is listed under B again, no longer under C.
    client = as_user(station_officer)
    page_c = client.get(reverse("cases:detail", args=[c.pk])).content.decode()
    page_b = client.get(reverse("cases:detail", args=[b.pk])).content.decode()
    assert reverse("cases:detail", args=[a.pk]) + '"' not in page_c
    assert "已合并到本件的意见" in page_b
    assert reverse("cases:detail", args=[a.pk]) + '"' in page_b


def test_the_followers_tracking_page_shows_the_note_and_loses_the_primarys_answer(
    station: Any, station_officer: Any, unit: Any, unit_clerk: Any
) -> None:
    a, b, c = _chain(station, station_officer)
    services.case_assign(case=Case.objects.get(pk=c.pk), actor=station_officer, unit=unit)
    services.case_reply(case=Case.objects.get(pk=c.pk), actor=unit_clerk, reply="已统一修复。")
    assert Case.objects.get(pk=a.pk).reply == "已统一修复。"

    _unmerge(b, station_officer)

    a.refresh_from_db()
    assert (a.reply, a.replied_at, a.closed_at) == ("", None, None)
    client = Client()
    client.post("/cases/track/", {"code": a.tracking_code, "pin": DEFAULT_PIN})
    page = client.get(f"/cases/track/{a.tracking_code}/").content.decode()
    assert "合并办理已调整，您的意见仍与反映相同问题的意见一并办理" in page
    assert "此前告知的答复不再适用" in page
    assert b.tracking_code not in page and c.tracking_code not in page


def test_a_follower_unmerged_in_between_is_left_alone(station: Any, station_officer: Any) -> None:
    a, b, _c = _chain(station, station_officer)
    _unmerge(a, station_officer)

    done = _unmerge(b, station_officer)

    assert done.returned == ()
    a.refresh_from_db()
    assert (a.status, a.merged_into_id) == (Status.SUBMITTED, None)
    assert not CaseEvent.objects.filter(case=a, kind=EventKind.NOTE).exists()
    assert CaseEvent.objects.get(case=b, kind=EventKind.UNMERGED).data["follower_ids"] == []


def test_a_follower_merged_elsewhere_is_left_alone(station: Any, station_officer: Any) -> None:
    a, b, _c = _chain(station, station_officer)
    elsewhere = case_in(Status.ACCEPTED, station=station, title="E")
    _unmerge(a, station_officer)
    _merge(a, elsewhere, station_officer)

    _unmerge(b, station_officer)

    assert _into(a) == elsewhere.pk


def test_only_the_followers_still_with_the_primary_come_back(
    station: Any, station_officer: Any
) -> None:
    b = case_in(Status.ACCEPTED, station=station)
    c = case_in(Status.ACCEPTED, station=station)
    stays, leaves = (case_in(Status.SUBMITTED, station=station) for _ in range(2))
    _merge(stays, b, station_officer)
    _merge(leaves, b, station_officer)
    _merge(b, c, station_officer)
    _unmerge(leaves, station_officer)

    done = _unmerge(b, station_officer)

    assert done.returned == (stays.tracking_code,)
    assert (_into(stays), _into(leaves)) == (b.pk, None)


def test_two_levels_come_back_one_level_at_a_time(station: Any, station_officer: Any) -> None:
    """A→B, B→C, C→D: all three follow D. Un-merging C takes A and B back to C, where they were
    before C's merge; un-merging B from C then takes A back to B."""
    a, b, c = _chain(station, station_officer)
    d = case_in(Status.ACCEPTED, station=station, title="D")
    _merge(c, d, station_officer)
    assert (_into(a), _into(b), _into(c)) == (d.pk, d.pk, d.pk)
    merged_c = CaseEvent.objects.get(case=c, kind=EventKind.MERGED)
    assert merged_c.data["follower_ids"] == sorted([a.pk, b.pk])

    _unmerge(c, station_officer)
    assert (_into(a), _into(b), _into(c)) == (c.pk, c.pk, None)

    _unmerge(b, station_officer)
    assert (_into(a), _into(b)) == (b.pk, None)


def test_a_middle_case_unmerged_from_the_top_takes_its_own_follower(
    station: Any, station_officer: Any
) -> None:
    """A→B, B→C, C→D, then B (not C) is un-merged: B's merge recorded A, and A still shares B's
    primary (D), so A comes back to B; C's later un-merge then finds neither of its recorded
    followers still with D and leaves them alone."""
    a, b, c = _chain(station, station_officer)
    d = case_in(Status.ACCEPTED, station=station, title="D")
    _merge(c, d, station_officer)

    _unmerge(b, station_officer)
    assert (_into(a), _into(b), _into(c)) == (b.pk, None, d.pk)

    done = _unmerge(c, station_officer)
    assert done.returned == ()
    assert (_into(a), _into(b), _into(c)) == (b.pk, None, None)


def _old_style(station: Any, followers: int | None) -> tuple[Case, Case, Case]:
    """A and B merged into C by the code before decision 0056: B's merge event has no ids."""
    c = case_in(Status.ACCEPTED, station=station, title="C")
    b = case_in(Status.MERGED, station=station, merged_into=c, title="B")
    a = case_in(Status.MERGED, station=station, merged_into=c, title="A")
    CaseEvent.objects.create(
        case=b,
        kind=EventKind.MERGED,
        actor_role=Role.LIAISON_OFFICER,
        from_status=Status.SUBMITTED,
        to_status=Status.MERGED,
        data={"primary": c.pk},
    )
    if followers is not None:
        CaseEvent.objects.create(
            case=c,
            kind=EventKind.NOTE,
            actor_role=Role.LIAISON_OFFICER,
            note=f"合并了意见 {b.tracking_code}",
            data={"merged": b.pk, "followers": followers},
        )
    return a, b, c


def test_an_old_merge_leaves_its_followers_and_says_so(
    station: Any, station_officer: Any, as_user: Any
) -> None:
    a, b, c = _old_style(station, followers=1)
    b.refresh_from_db()
    client = as_user(station_officer)
    response = client.post(
        reverse("cases:act", args=[b.pk, "unmerge"]), {"expected_version": b.version}
    )
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    said = f"原先并入该件的 1 件意见仍随主件 {c.tracking_code} 办理，不会自动转回"
    assert message.startswith("已撤销合并")
    assert said in message
    page = client.get(reverse("cases:detail", args=[b.pk])).content.decode()
    assert said in page
    assert _into(a) == c.pk  # never guessed from other data
    assert _into(b) is None
    # The note stays on B's page for the next clerk, off the public tracking page.
    note = CaseEvent.objects.get(case=b, kind=EventKind.NOTE)
    assert said in note.note
    assert not note.is_public


@pytest.mark.parametrize(("followers", "said"), [(0, False), (None, True)])
def test_an_old_merge_without_followers_says_nothing(
    followers: int | None, said: bool, station: Any, station_officer: Any
) -> None:
    a, b, c = _old_style(station, followers=followers)
    done = _unmerge(b, station_officer)
    assert _into(a) == c.pk
    # Counted none: nothing to say; no count at all: the clerk is told followers (if any) stay.
    assert bool(done.notice) is said
    if said:
        assert "原先并入该件的意见（如有）仍随主件" in done.notice


def test_the_success_message_names_the_followers_that_came_back(
    station: Any, station_officer: Any, as_user: Any
) -> None:
    a, b, _c = _chain(station, station_officer)
    b.refresh_from_db()
    response = as_user(station_officer).post(
        reverse("cases:act", args=[b.pk, "unmerge"]), {"expected_version": b.version}
    )
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("已撤销合并，该件恢复为合并前的状态。")
    assert f"1 件意见（{a.tracking_code}）已一并转回该件" in message
