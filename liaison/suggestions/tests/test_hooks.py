"""Sources and what the apps below see: the case timeline and tracking page, the submitters'
SMS on the final answer, hot topics, the deputy's public page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from liaison.accounts.models import User
from liaison.cases.tests.factories import CaseFactory
from liaison.notifications.models import OutboundMessage
from liaison.regions.models import Region
from liaison.reports.models import MonthlyReport
from liaison.suggestions import services
from liaison.suggestions.models import Rating, SourceKind, Status, SuggestionSource
from liaison.suggestions.tests.factories import author_of, suggestion_in
from liaison.suggestions.tests.helpers import answered, assigned, drafted

pytestmark = pytest.mark.django_db


def test_case_sources_are_named_on_the_case_and_hear_the_final_answer(
    deputy: User,
    session: Any,
    station: Any,
    county_staff: User,
    lead_unit: Any,
    lead_clerk: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = CaseFactory(deputy=author_of(deputy), station=station)
    s = drafted(deputy, session)
    services.source_add_case(suggestion=s, actor=deputy, case=case)
    with pytest.raises(ValidationError):
        services.source_add_case(suggestion=s, actor=deputy, case=case)
    s = services.suggestion_submit(suggestion=s, actor=deputy)
    s = services.suggestion_accept(suggestion=s, actor=county_staff)
    s = services.suggestion_assign(suggestion=s, actor=county_staff, lead=lead_unit)
    s = answered(s, lead_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_rate(suggestion=s, actor=deputy, rating=Rating.SATISFIED)
    sms = OutboundMessage.objects.about(case).get()
    assert "第 1 号" in sms.body and case.tracking_code in sms.body
    # The staff case page names the suggestion.
    from conftest import login_client

    page = login_client(county_staff).get(reverse("cases:detail", args=[case.pk]))
    assert "已被人大代表写入代表建议" in page.content.decode()
    # A probe, then one query with the session's name and the number (only the columns the line
    # shows); a case no suggestion names costs the probe alone.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.suggestions.hooks import case_mentions

    with CaptureQueriesContext(connection) as ctx:
        mentions = case_mentions(case.pk)
    assert len(ctx.captured_queries) == 2
    assert [m.text for m in mentions] == [f"已被人大代表写入代表建议（{s.session} 第 1 号）"]
    unnamed = CaseFactory(station=case.station)
    with CaptureQueriesContext(connection) as ctx:
        assert case_mentions(unnamed.pk) == []
    assert len(ctx.captured_queries) == 1


def test_a_case_the_deputy_cannot_see_is_refused(
    deputy: User, session: Any, other_station: Any
) -> None:
    s = drafted(deputy, session)
    with pytest.raises(ValidationError) as info:
        services.source_add_case(
            suggestion=s,
            actor=deputy,
            case=CaseFactory(station=other_station, region_id="430121001000"),
        )
    assert "无权引用" in str(info.value)


def test_a_hot_topic_of_the_monthly_analysis(
    deputy: User, session: Any, station_officer: User, station: Any, yuelu: Region
) -> None:
    report = MonthlyReport.objects.create(
        station=station,
        month=datetime.date(2026, 10, 1),
        data={"hot_topics": [{"rank": 1, "label": "路灯维修"}]},
    )
    s = services.suggestion_create(
        actor=station_officer,
        session=session,
        title="站里协助起草",
        author=author_of(deputy),
        station=station,
    )
    source = services.source_add_hot_topic(
        suggestion=s, actor=station_officer, report=report, rank=1
    )
    assert source.kind == SourceKind.HOT_TOPIC and "路灯维修" in source.label
    with pytest.raises(ValidationError):
        services.source_add_hot_topic(suggestion=s, actor=station_officer, report=report, rank=9)
    services.source_remove(suggestion=s, actor=station_officer, source_id=source.pk)
    assert not SuggestionSource.objects.filter(suggestion=s).exists()


def test_published_suggestions_on_the_deputys_public_page(deputy: User, session: Any) -> None:
    author = author_of(deputy)
    suggestion_in(
        Status.CLOSED,
        session=session,
        author=author,
        title="公开的建议",
        deputy_allows_publication=True,
        congress_allows_publication=True,
    )
    suggestion_in(
        Status.CLOSED,
        session=session,
        author=author,
        title="只有代表同意的建议",
        deputy_allows_publication=True,
    )
    page = Client().get(f"/d/{author.code}/").content.decode()
    assert "代表建议及办理答复" in page and "公开的建议" in page
    assert "只有代表同意的建议" not in page


def test_cosigners_confirm_on_their_own_account_through_the_page(
    as_user: Any, deputy: User, session: Any, station: Any
) -> None:
    from liaison.suggestions.tests.factories import deputy_member

    other = deputy_member(station=station, username="cosign_page")
    s = drafted(deputy, session, kind="joint")
    response = as_user(deputy).post(
        reverse("suggestions:act", args=[s.pk, "edit"]), {"edit-deputy": author_of(other).pk}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    mine = as_user(other).get(reverse("suggestions:mine")).content.decode()
    assert "邀请您附议" in mine
    as_user(other).post(reverse("suggestions:act", args=[s.pk, "cosign"]), {"cosign-confirm": "1"})
    assert s.cosigners.get().state == "confirmed"


def test_the_number_never_skips_when_a_submission_fails(
    deputy: User, session: Any, county_staff: User, lead_unit: Any
) -> None:
    ok = drafted(deputy, session)
    bad = drafted(deputy, session)
    bad.proposal = ""
    bad.save(update_fields=["proposal"])
    with pytest.raises(ValidationError):
        services.suggestion_submit(suggestion=bad, actor=deputy)
    assert services.suggestion_submit(suggestion=ok, actor=deputy).number == 1
    assert assigned(deputy, session, county_staff, lead_unit).number == 2
