"""The staff pages: who may open each (every role × in scope / other county), lists paginated
with a fixed number of queries, forms that explain bad input in Chinese."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.activities.models import Activity, ActivityAttachment, Status, WorkPlan
from liaison.activities.tests.factories import activity_in, training_in
from liaison.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PERSONAS = [
    "station_officer",
    "station_head",
    "county_staff",
    "other_county_staff",
    "deputy_user",
    "system_admin",
    "security_admin",
    "auditor",
]
STAFF = {"station_officer", "station_head", "county_staff", "other_county_staff"}


def _pages(station: Any) -> dict[str, tuple[str, set[str]]]:
    """url → personas answered 200 (the others: 403)."""
    year = timezone.localdate().year
    return {
        "list": (reverse("activities:list"), STAFF),
        "create": (reverse("activities:create"), {"station_officer", "station_head",
                                                   "deputy_user"}),
        "queue": (reverse("activities:queue"), {"county_staff", "other_county_staff"}),
        "mine": (reverse("activities:mine"), {"deputy_user"}),
        "plans": (reverse("activities:plans"), STAFF),
        "training": (reverse("activities:training"), STAFF),
        "registers": (reverse("activities:registers"), STAFF),
        "plan": (reverse("activities:plan", args=[station.pk, year]),
                 {"station_officer", "station_head", "county_staff"}),
    }  # fmt: skip


@pytest.mark.parametrize("page", ["list", "create", "queue", "mine", "plans", "training",
                                  "registers", "plan"])  # fmt: skip
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_opens_which_page(page: str, persona: str, request: Any, station: Any,
                              as_user: Any) -> None:  # fmt: skip
    user = request.getfixturevalue(persona)
    url, allowed = _pages(station)[page]
    response = as_user(user).get(url)
    if persona in allowed:
        assert response.status_code == 200
    else:
        # Another county's staff get 404 for this station's plan: it is outside their scope.
        assert response.status_code in ((403, 404) if page == "plan" else (403,))


@pytest.mark.parametrize("persona", sorted(STAFF))
def test_the_link_bar_offers_only_pages_the_user_may_open(
    persona: str, request: Any, station: Any, as_user: Any
) -> None:
    """待核实 was offered to station staff, whom it answers 403 (found walking the demo)."""
    import re

    client = as_user(request.getfixturevalue(persona))
    page = client.get(reverse("activities:list")).content.decode()
    bar = page[page.index('<div class="actions">') :]
    links = re.findall(r'href="(/staff/activities/[^"]*)"', bar[: bar.index("</div>")])
    assert reverse("activities:list") in links
    assert (reverse("activities:queue") in links) == (persona in _pages(station)["queue"][1])
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_and_attachment_only_in_scope(persona: str, request: Any, station: Any,
                                             deputy: Any, as_user: Any) -> None:  # fmt: skip
    from django.core.files.base import ContentFile

    activity = activity_in(Status.DRAFT, station=station, invited=[deputy])
    attachment = ActivityAttachment(
        activity=activity,
        original_name="现场.png",
        content_type="image/png",
        uploaded_by=activity.created_by,
    )
    attachment.file.save("x.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)  # fmt: skip
    client = as_user(request.getfixturevalue(persona))
    detail = client.get(reverse("activities:detail", args=[activity.pk]))
    before = AuditEvent.objects.filter(action="view_private").count()
    download = client.get(reverse("activities:attachment", args=[activity.pk, attachment.pk]))
    seen = persona in {"station_officer", "station_head", "county_staff", "deputy_user"}
    assert detail.status_code == (200 if seen else 404)
    assert download.status_code == (200 if seen else 404)
    after = AuditEvent.objects.filter(action="view_private").count()
    assert after == before + (1 if seen else 0)
    if seen:
        assert download["Content-Security-Policy"].startswith("sandbox")
        assert download["X-Content-Type-Options"] == "nosniff"


def test_list_filters_and_paginates_in_fixed_queries(
    station_officer: Any, station: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(station_officer)
    for _ in range(3):
        activity_in(Status.PLANNED, station=station)
    client.get(reverse("activities:list"))  # warm the per-process caches
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("activities:list"))
    inspections = [
        activity_in(Status.VERIFIED, station=station, kind="inspection") for _ in range(30)
    ]
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("activities:list"))
    assert response.context["page_obj"].paginator.count == 33
    assert len(response.context["page_obj"].object_list) == 25
    month = timezone.localtime(inspections[0].starts_at).strftime("%Y-%m")
    filtered = client.get(
        reverse("activities:list"),
        {"kind": "inspection", "status": "verified", "station": station.pk, "month": month},
    )
    assert filtered.context["page_obj"].paginator.count == 30
    bad = client.get(reverse("activities:list"), {"month": "2026-13"})
    assert "月份格式" in bad.content.decode()


def test_other_county_sees_none_of_ours(
    other_county_staff: Any, station: Any, as_user: Any
) -> None:
    activity_in(Status.SUBMITTED, station=station)
    client = as_user(other_county_staff)
    assert client.get(reverse("activities:list")).context["page_obj"].paginator.count == 0
    assert client.get(reverse("activities:queue")).context["page_obj"].paginator.count == 0


def test_queue_lists_submitted_records_in_fixed_queries(
    county_staff: Any, station: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    activity_in(Status.SUBMITTED, station=station)
    client.get(reverse("activities:queue"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("activities:queue"))
    for _ in range(30):
        activity_in(Status.SUBMITTED, station=station)
    activity_in(Status.DRAFT, station=station)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("activities:queue"))
    assert response.context["page_obj"].paginator.count == 31


def test_plan_form_shows_chinese_errors_and_saves_nothing(
    station_officer: Any, station: Any, as_user: Any
) -> None:
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "station": station.pk, "kind": "research", "title": "调研",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "社区", "organiser": "工委",
    }  # fmt: skip
    response = as_user(station_officer).post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in response.content.decode()
    assert not Activity.objects.exists()
    data["ends_at"] = (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(station_officer).post(reverse("activities:create"), data)
    assert response.status_code == 302 and Activity.objects.count() == 1


def test_record_form_refuses_files_that_are_not_images(
    station_officer: Any, station: Any, deputy: Any, as_user: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    activity = activity_in(Status.PLANNED, station=station, invited=[deputy])
    fake = SimpleUploadedFile("会议纪要.docx", b"PK\x03\x04 not really", "application/msword")
    response = as_user(station_officer).post(
        reverse("activities:record", args=[activity.pk]),
        {"attended": [deputy.pk], "findings": "座谈", "attachments": [fake],
         "version": activity.version},
    )  # fmt: skip
    assert response.status_code == 200
    assert "仅支持图片和 PDF" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Status.PLANNED and not ActivityAttachment.objects.exists()


def test_work_plan_editor_adds_publishes_and_shows_fulfilment(
    station_officer: Any, station: Any, as_user: Any
) -> None:
    year = timezone.localdate().year
    client = as_user(station_officer)
    url = reverse("activities:plan", args=[station.pk, year])
    bad = client.post(url, {"month": "13", "kind": "research", "title": "调研"})
    assert bad.status_code == 200 and not WorkPlan.objects.exists()
    client.post(url, {"month": "3", "kind": "research", "title": "春季调研"})
    plan = WorkPlan.objects.get(station=station, year=year)
    item = plan.items.get()
    activity_in(Status.VERIFIED, station=station, plan_item=item)
    client.post(reverse("activities:plan_publish", args=[plan.pk]), {"publish": "1"})
    plan.refresh_from_db()
    assert plan.published_at is not None
    page = client.get(url)
    assert page.context["held"] == 1
    removed = client.post(reverse("activities:plan_item_remove", args=[item.pk]), follow=True)
    assert "已开展" in removed.content.decode() and plan.items.exists()


def test_county_staff_read_but_do_not_edit_plans(
    county_staff: Any, station: Any, as_user: Any
) -> None:
    year = timezone.localdate().year
    url = reverse("activities:plan", args=[station.pk, year])
    assert (
        as_user(county_staff)
        .post(url, {"month": "3", "kind": "research", "title": "x"})
        .status_code
        == 403
    )


def test_training_gaps_list_deputies_below_the_hours(
    station_officer: Any, station: Any, deputy: Any, colleague: Any, as_user: Any,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    year = timezone.localdate().year
    training_in(Status.VERIFIED, hours="16", attended=[colleague])
    training_in(Status.SUBMITTED, hours="16", attended=[deputy])  # not verified: does not count
    client = as_user(station_officer)
    url = reverse("activities:training")
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url, {"year": year, "station": station.pk})
    names = [d.name for d, _gap in response.context["rows"]]
    assert names == ["张代表"]
    assert response.context["required"] == 16


def test_mine_lists_invitations_and_confirms_on_the_phone(
    deputy_user: Any, station: Any, deputy: Any, as_user: Any
) -> None:
    activity = activity_in(Status.PLANNED, station=station, invited=[deputy])
    client = as_user(deputy_user)
    page = client.get(reverse("activities:mine"))
    assert page.context["rows"][0][2] is True
    response = client.post(
        reverse("activities:act", args=[activity.pk, "confirm"]), {"next": "mine"}, follow=True
    )
    assert "已确认出席" in response.content.decode()
    assert activity.participations.get().attended


def test_a_deputy_without_a_record_gets_404_on_mine(station: Any, as_user: Any) -> None:
    user = make_member(Role.DEPUTY, station=station)
    assert as_user(user).get(reverse("activities:mine")).status_code == 404


@pytest.mark.parametrize(
    "page", ["activities:plans", "activities:training", "activities:registers"]
)
def test_the_selects_show_this_year_and_all_stations_when_none_is_chosen(
    page: str, county_staff: Any, as_user: Any
) -> None:
    """The pages read this year when no year is chosen; next year is offered first (plans are
    made ahead) but is not what the select shows."""
    html = as_user(county_staff).get(reverse(page)).content.decode()
    this = timezone.localdate().year
    assert f'<option value="{this}" selected>{this}</option>' in html
    assert f'<option value="{this + 1}">{this + 1}</option>' in html
    assert '<option value="" selected>全部联络站</option>' in html
