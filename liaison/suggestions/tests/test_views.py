"""Every page × every persona, the deputy's drafting on the pages, actions offered = allowed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.cases.tests.factories import CaseFactory
from liaison.suggestions.models import SourceKind, Status, Suggestion, SuggestionSource
from liaison.suggestions.tests.factories import author_of
from liaison.suggestions.tests.helpers import answered, assigned, drafted, submitted

pytestmark = pytest.mark.django_db

STAFF = {"county_staff", "other_county_staff"}
LIST_PAGES: dict[str, set[str] | None] = {
    "mine": None,
    "new": {"deputy"},
    "queue": STAFF,
    "units": {"lead_clerk"},
}
PERSONAS = [
    "deputy",
    "county_staff",
    "other_county_staff",
    "lead_clerk",
    "station_officer",
    "station_head",
    "system_admin",
    "security_admin",
    "auditor",
]
SEE = {
    "deputy",
    "county_staff",
    "other_county_staff",
    "lead_clerk",
    "station_officer",
    "station_head",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(LIST_PAGES))
def test_list_pages_by_persona(
    request: Any, as_user: Any, persona: str, page: str, session: Any
) -> None:
    user = request.getfixturevalue(persona)
    only = LIST_PAGES[page]
    expected = 200 if persona in (only if only is not None else SEE) else 403
    assert as_user(user).get(reverse(f"suggestions:{page}")).status_code == expected


@pytest.fixture
def in_handling(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> Suggestion:
    return answered(assigned(deputy, session, county_staff, lead_unit), lead_clerk)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["detail", "letter"])
def test_object_pages_by_persona(
    request: Any, as_user: Any, persona: str, page: str, in_handling: Suggestion
) -> None:
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse(f"suggestions:{page}", kwargs={"pk": in_handling.pk}))
    if persona in {"deputy", "county_staff", "lead_clerk"}:
        assert response.status_code == 200
    elif persona in {"system_admin", "security_admin", "auditor"}:
        assert response.status_code == 403
    else:  # other county, the station not helping this one
        assert response.status_code == 404


def test_a_draft_is_seen_only_by_its_writers(
    as_user: Any, deputy: User, session: Any, county_staff: User
) -> None:
    s = drafted(deputy, session)
    assert as_user(deputy).get(reverse("suggestions:detail", args=[s.pk])).status_code == 200
    assert as_user(county_staff).get(reverse("suggestions:detail", args=[s.pk])).status_code == 404


def test_deputy_turns_two_cases_into_a_suggestion_and_submits(
    as_user: Any, deputy: User, session: Any, station: Any
) -> None:
    deputy_row = author_of(deputy)
    cases = [CaseFactory(deputy=deputy_row, station=station) for _ in range(2)]
    client = as_user(deputy)
    page = client.get(reverse("suggestions:new") + f"?case={cases[0].pk}")
    assert cases[1].tracking_code in page.content.decode()
    response = client.post(
        reverse("suggestions:new"),
        {
            "session": session.pk,
            "kind": "individual",
            "title": "关于修复小区路灯的建议",
            "problem": "多个小区路灯长期不亮。",
            "analysis": "维护责任不清。",
            "proposal": "明确路灯维护责任单位。",
            "cases": [c.pk for c in cases],
        },
    )
    s = Suggestion.objects.get(title="关于修复小区路灯的建议")
    assert response.status_code == 302
    assert SuggestionSource.objects.filter(suggestion=s, kind=SourceKind.CASE).count() == 2
    response = client.post(reverse("suggestions:act", args=[s.pk, "submit"]))
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == Status.SUBMITTED and s.number == 1
    # The case's tracking and staff pages name the suggestion.
    assert "第 1 号" in client.get(reverse("cases:detail", args=[cases[0].pk])).content.decode()


def test_the_one_open_session_is_chosen_for_the_writer(
    as_user: Any, deputy: User, session: Any
) -> None:
    """Found walking the demo: the deputy had to pick the only session from "- 请选择 -"."""
    import datetime

    from liaison.suggestions.tests.factories import CongressSessionFactory

    client = as_user(deputy)
    page = client.get(reverse("suggestions:new")).content.decode()
    assert f'<option value="{session.pk}" selected>' in page
    other = CongressSessionFactory(closes_on=session.closes_on + datetime.timedelta(days=1))
    page = client.get(reverse("suggestions:new")).content.decode()
    assert '<option value="" selected>' in page
    assert all(f'<option value="{s.pk}" selected>' not in page for s in (session, other))


def test_autosave_keeps_the_version(as_user: Any, deputy: User, session: Any) -> None:
    s = drafted(deputy, session)
    client = as_user(deputy)
    data = {
        "title": "新标题",
        "kind": "individual",
        "problem": "问题",
        "analysis": "",
        "proposal": "建议",
        "version": s.version,
    }
    first = client.post(reverse("suggestions:autosave", args=[s.pk]), data).json()
    assert first["ok"] and first["version"] == s.version + 1
    stale = client.post(reverse("suggestions:autosave", args=[s.pk]), data)
    assert stale.status_code == 400 and "已被他人处理" in stale.json()["error"]
    assert Suggestion.objects.get(pk=s.pk).title == "新标题"


def test_the_page_offers_what_the_table_allows_and_a_refusal_is_chinese(
    as_user: Any,
    deputy: User,
    session: Any,
    county_staff: User,
    lead_unit: Any,
    lead_clerk: User,
) -> None:
    s = assigned(deputy, session, county_staff, lead_unit)
    page = as_user(lead_clerk).get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert "action-contact" in page and "action-answer" not in page and "action-rate" not in page
    as_user(lead_clerk).post(
        reverse("suggestions:act", args=[s.pk, "contact"]),
        {"contact-method": "phone", "contact-on": timezone.localdate().isoformat()},
    )
    page = as_user(lead_clerk).get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert "action-answer" in page
    response = as_user(lead_clerk).post(
        reverse("suggestions:act", args=[s.pk, "answer"]),
        {"answer-grade": "B", "answer-answer": "正在办理"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "B类答复须填写今后的承诺解决日期" in body
    assert Suggestion.objects.get(pk=s.pk).status == Status.ASSIGNED


def test_queues_keep_their_query_count(
    as_user: Any,
    deputy: User,
    session: Any,
    county_staff: User,
    lead_unit: Any,
    lead_clerk: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        assigned(deputy, session, county_staff, lead_unit)
    for name, user in (("queue", county_staff), ("units", lead_clerk), ("mine", deputy)):
        client = as_user(user)
        client.get(reverse(f"suggestions:{name}"))
        with django_assert_max_num_queries(10):
            response = client.get(reverse(f"suggestions:{name}"))
        assert response.status_code == 200
        assert response.content.decode().count("关于增设社区养老服务中心的建议") >= 12


def test_other_county_staff_cannot_act(
    as_user: Any, deputy: User, session: Any, other_county_staff: User
) -> None:
    s = submitted(deputy, session)
    response = as_user(other_county_staff).post(reverse("suggestions:act", args=[s.pk, "accept"]))
    assert response.status_code == 404
    assert Suggestion.objects.get(pk=s.pk).status == Status.SUBMITTED


def test_staff_see_similar_suggestions_and_merge_from_the_page(
    as_user: Any, deputy: User, session: Any, county_staff: User
) -> None:
    from liaison.suggestions import services

    first = submitted(deputy, session)
    second = drafted(deputy, session, title="关于增设社区养老服务中心的建议（二）")
    second = services.suggestion_submit(suggestion=second, actor=deputy)
    client = as_user(county_staff)
    page = client.get(reverse("suggestions:detail", args=[second.pk])).content.decode()
    assert "相似建议" in page and first.title in page
    response = client.post(
        reverse("suggestions:act", args=[second.pk, "merge"]), {"merge-into": first.pk}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.merged_into_id == first.pk


def test_station_staff_help_edit_a_draft_but_not_submit(
    as_user: Any, deputy: User, session: Any, station: Any, station_officer: User
) -> None:
    from liaison.suggestions import services

    s = services.suggestion_create(
        actor=deputy,
        session=session,
        title="联络站协助的建议",
        problem="问题",
        proposal="建议",
        station=station,
    )
    client = as_user(station_officer)
    page = client.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert "action-submit" not in page and "修改草稿" in page
    response = client.post(
        reverse("suggestions:edit", args=[s.pk]),
        {
            "title": "联络站协助的建议（修改）",
            "kind": "individual",
            "problem": "问题",
            "analysis": "分析",
            "proposal": "建议",
            "version": s.version,
        },
    )
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=s.pk).title == "联络站协助的建议（修改）"
    refused = client.post(reverse("suggestions:act", args=[s.pk, "submit"]))
    assert refused.status_code == 200 and "无权" in refused.content.decode()
    assert Suggestion.objects.get(pk=s.pk).status == Status.DRAFT
