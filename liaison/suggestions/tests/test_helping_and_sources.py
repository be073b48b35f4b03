"""Station staff draft for a deputy; the draft page's sources panel (cases, hot topics, reception
records, verified activities, removal); the category on drafts, lists and filters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.activities.models import Status as ActivityStatus
from liaison.activities.tests.factories import activity_in
from liaison.cases.tests.factories import CaseFactory
from liaison.receptions.models import Reception
from liaison.receptions.tests.factories import ReceptionDayFactory
from liaison.reports.models import MonthlyReport, ReportStatus
from liaison.suggestions import services
from liaison.suggestions.models import (
    EventKind,
    SourceKind,
    Status,
    Suggestion,
    SuggestionEvent,
    SuggestionSource,
)
from liaison.suggestions.tests.factories import author_of, deputy_member
from liaison.suggestions.tests.helpers import drafted
from liaison.taxonomy.models import Category

pytestmark = pytest.mark.django_db

PERSONAS = [
    "deputy",
    "county_staff",
    "other_county_staff",
    "lead_clerk",
    "station_officer",
    "station_head",
    "other_station_officer",
    "system_admin",
    "security_admin",
    "auditor",
]


@pytest.fixture
def other_station_officer(other_station: Any) -> User:
    return make_member(Role.LIAISON_OFFICER, station=other_station, username="other_officer")


def _draft_data(station: Any, deputy: User, session: Any, **extra: Any) -> dict[str, Any]:
    return {
        "station": station.pk,
        "author": author_of(deputy).pk,
        "session": session.pk,
        "kind": "individual",
        "title": "关于完善社区养老服务的建议",
        "problem": "社区日间照料中心不足。",
        "analysis": "",
        "proposal": "利用闲置用房增设照料中心。",
        **extra,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_helping_page_by_persona_in_two_counties(
    request: Any, as_user: Any, persona: str, session: Any, deputy: User
) -> None:
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("suggestions:help_new"))
    allowed = {"station_officer", "station_head", "other_station_officer"}
    assert response.status_code == (200 if persona in allowed else 403)
    if persona == "other_station_officer":  # their own station only: not this deputy
        assert author_of(deputy).name not in response.content.decode()


def test_station_staff_start_a_draft_the_deputy_sees_and_submits(
    as_user: Any, station: Any, station_officer: User, deputy: User, session: Any
) -> None:
    case = CaseFactory(station=station, title="敬老院床位紧张")
    category = Category.objects.create(name="民政", level=1, path="民政")
    response = as_user(station_officer).post(
        reverse("suggestions:help_new"),
        _draft_data(station, deputy, session, cases=[case.pk], category=category.pk),
    )
    s = Suggestion.objects.get(title="关于完善社区养老服务的建议")
    assert response.status_code == 302 and response.url == reverse("suggestions:edit", args=[s.pk])
    assert (s.author, s.station, s.status, s.category) == (
        author_of(deputy),
        station,
        Status.DRAFT,
        category,
    )
    created = SuggestionEvent.objects.get(suggestion=s, kind=EventKind.CREATED)
    assert created.actor == station_officer and created.actor_role == "helper"
    # The officer's list shows it; the deputy's list and the page's event log too.
    assert s.title in as_user(station_officer).get(reverse("suggestions:mine")).content.decode()
    client = as_user(deputy)
    assert s.title in client.get(reverse("suggestions:mine")).content.decode()
    page = client.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert str(station_officer) in page and "联络站协助" in page and "action-submit" in page
    # Only the deputy submits.
    officer_try = as_user(station_officer).post(reverse("suggestions:act", args=[s.pk, "submit"]))
    assert "无权" in officer_try.content.decode()
    client.post(reverse("suggestions:act", args=[s.pk, "submit"]))
    assert Suggestion.objects.get(pk=s.pk).status == Status.SUBMITTED


def test_staff_cannot_draft_for_a_deputy_of_another_station(
    as_user: Any, station: Any, other_station: Any, station_officer: User, session: Any
) -> None:
    stranger = deputy_member(station=other_station, username="dep_other")
    response = as_user(station_officer).post(
        reverse("suggestions:help_new"), _draft_data(station, stranger, session)
    )
    assert response.status_code == 200  # the form again: the deputy is not among the choices
    assert not Suggestion.objects.exists()
    with pytest.raises(Exception) as info:
        services.suggestion_create(
            actor=station_officer,
            session=session,
            title="越权起草",
            author=author_of(stranger),
            station=station,
        )
    assert "不是本联络站的驻站代表" in str(info.value)
    assert not Suggestion.objects.exists()


@pytest.fixture
def helped(station: Any, station_officer: User, deputy: User, session: Any) -> Suggestion:
    return services.suggestion_create(
        actor=station_officer,
        session=session,
        title="联络站协助的建议",
        problem="问题",
        proposal="建议",
        author=author_of(deputy),
        station=station,
    )


def test_the_hot_topic_picker_offers_reports_in_scope_and_adds_one(
    as_user: Any, station: Any, other_station: Any, station_officer: User, helped: Suggestion
) -> None:
    mine = MonthlyReport.objects.create(
        station=station,
        month=datetime.date(2026, 10, 1),
        status=ReportStatus.DONE,
        data={"hot_topics": [{"rank": 1, "label": "路灯维修"}, {"rank": 2, "label": "停车难"}]},
    )
    MonthlyReport.objects.create(
        station=other_station,
        month=datetime.date(2026, 10, 1),
        status=ReportStatus.DONE,
        data={"hot_topics": [{"rank": 1, "label": "别县热点"}]},
    )
    client = as_user(station_officer)
    page = client.get(reverse("suggestions:edit", args=[helped.pk])).content.decode()
    assert "路灯维修" in page and "停车难" in page and "别县热点" not in page
    client.post(reverse("suggestions:source_add", args=[helped.pk]), {"hot_topic": f"{mine.pk}:2"})
    source = SuggestionSource.objects.get(suggestion=helped)
    assert source.kind == SourceKind.HOT_TOPIC and "停车难" in source.label
    # A rank the report does not have: a Chinese message, nothing added.
    response = client.post(
        reverse("suggestions:source_add", args=[helped.pk]),
        {"hot_topic": f"{mine.pk}:9"},
        follow=True,
    )
    assert "没有这个热点" in response.content.decode()
    assert SuggestionSource.objects.filter(suggestion=helped).count() == 1


def test_removing_a_case_source_from_the_draft_page(
    as_user: Any, station: Any, deputy: User, helped: Suggestion, county_staff: User
) -> None:
    case = CaseFactory(station=station, deputy=author_of(deputy))
    client = as_user(deputy)
    client.post(reverse("suggestions:source_add", args=[helped.pk]), {"case": case.pk})
    source = SuggestionSource.objects.get(suggestion=helped, case=case)
    page = client.get(reverse("suggestions:edit", args=[helped.pk])).content.decode()
    assert reverse("suggestions:source_remove", args=[helped.pk, source.pk]) in page
    # Someone who may not edit the draft cannot remove it.
    refused = as_user(county_staff).post(
        reverse("suggestions:source_remove", args=[helped.pk, source.pk])
    )
    assert refused.status_code == 404
    client.post(reverse("suggestions:source_remove", args=[helped.pk, source.pk]))
    assert not SuggestionSource.objects.filter(suggestion=helped).exists()
    gone = client.post(
        reverse("suggestions:source_remove", args=[helped.pk, source.pk]), follow=True
    )
    assert "没有这项来源" in gone.content.decode()


def test_reception_records_in_scope_become_sources(
    as_user: Any, station: Any, other_station: Any, station_officer: User, helped: Suggestion
) -> None:
    day = ReceptionDayFactory(station=station, date=datetime.date(2026, 11, 5))
    record = Reception.objects.create(day=day, visitor_count=7, recorded_by=station_officer)
    far = Reception.objects.create(
        day=ReceptionDayFactory(station=other_station), visitor_count=2, recorded_by=station_officer
    )
    client = as_user(station_officer)
    page = client.get(reverse("suggestions:edit", args=[helped.pk])).content.decode()
    assert "2026-11-05" in page and "来访 7 人" in page
    client.post(reverse("suggestions:source_add", args=[helped.pk]), {"reception": record.pk})
    source = SuggestionSource.objects.get(suggestion=helped)
    assert source.kind == SourceKind.RECEPTION and source.reception == record
    with pytest.raises(Exception) as info:
        services.source_add_reception(suggestion=helped, actor=station_officer, reception=far)
    assert "无权引用该接待记录" in str(info.value)
    with pytest.raises(Exception) as info:
        services.source_add_reception(suggestion=helped, actor=station_officer, reception=record)
    assert "已是本建议的来源" in str(info.value)


def test_only_verified_activities_in_scope_become_sources(
    as_user: Any, station: Any, station_officer: User, helped: Suggestion
) -> None:
    verified = activity_in(ActivityStatus.VERIFIED, station=station, title="养老服务专题调研")
    pending = activity_in(ActivityStatus.SUBMITTED, station=station, title="待核实的调研")
    client = as_user(station_officer)
    page = client.get(reverse("suggestions:edit", args=[helped.pk])).content.decode()
    assert "养老服务专题调研" in page and "待核实的调研" not in page
    with pytest.raises(Exception) as info:
        services.source_add_activity(suggestion=helped, actor=station_officer, activity=pending)
    assert "已核实的履职活动" in str(info.value)
    client.post(reverse("suggestions:source_add", args=[helped.pk]), {"activity": verified.pk})
    source = SuggestionSource.objects.get(suggestion=helped)
    assert source.kind == SourceKind.ACTIVITY and source.activity == verified
    assert "养老服务专题调研" in source.label


def test_an_empty_pick_changes_nothing(as_user: Any, deputy: User, helped: Suggestion) -> None:
    response = as_user(deputy).post(
        reverse("suggestions:source_add", args=[helped.pk]), {"case": ""}, follow=True
    )
    assert "请选择要添加的来源" in response.content.decode()
    assert not SuggestionSource.objects.exists()


def test_the_category_is_saved_shown_and_filtered(
    as_user: Any, deputy: User, session: Any, county_staff: User
) -> None:
    top = Category.objects.create(name="城乡建设", level=1, path="城乡建设")
    child = Category.objects.create(name="市政设施", level=2, path="城乡建设/市政设施", parent=top)
    other = Category.objects.create(name="教育", level=1, path="教育")
    s = drafted(deputy, session)
    client = as_user(deputy)
    response = client.post(
        reverse("suggestions:edit", args=[s.pk]),
        {
            "title": s.title,
            "kind": "individual",
            "problem": s.problem,
            "analysis": "",
            "proposal": s.proposal,
            "category": child.pk,
            "version": s.version,
        },
    )
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=s.pk).category == child
    assert "市政设施" in client.get(reverse("suggestions:mine")).content.decode()
    services.suggestion_submit(suggestion=Suggestion.objects.get(pk=s.pk), actor=deputy)
    staff = as_user(county_staff)
    by_top = staff.get(reverse("suggestions:queue") + f"?category={top.pk}").content.decode()
    assert s.title in by_top and "市政设施" in by_top
    by_other = staff.get(reverse("suggestions:queue") + f"?category={other.pk}").content.decode()
    assert s.title not in by_other
    table = staff.get(reverse("suggestions:table") + f"?category={other.pk}")
    assert table.status_code == 200


def test_the_helpers_list_keeps_its_query_count(
    as_user: Any,
    station: Any,
    station_officer: User,
    deputy: User,
    session: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(30):
        services.suggestion_create(
            actor=station_officer,
            session=session,
            title=f"站内建议第{n}件",
            author=author_of(deputy),
            station=station,
        )
    client = as_user(station_officer)
    client.get(reverse("suggestions:mine"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("suggestions:mine")).content.decode()
    assert page.count("站内建议第") == 25  # one page


def test_the_draft_page_keeps_its_query_count_with_many_sources(
    as_user: Any, station: Any, deputy: User, helped: Suggestion, django_assert_max_num_queries: Any
) -> None:
    for _ in range(12):
        case = CaseFactory(station=station, deputy=author_of(deputy))
        services.source_add_case(suggestion=helped, actor=deputy, case=case)
    client = as_user(deputy)
    client.get(reverse("suggestions:edit", args=[helped.pk]))
    with django_assert_max_num_queries(22):
        page = client.get(reverse("suggestions:edit", args=[helped.pk])).content.decode()
    assert page.count("source-remove") == 12
