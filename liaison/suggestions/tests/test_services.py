"""The loop through its services: drafting to rating, with the bad input of issue 15."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.models import AuditEvent
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.notifications.models import Notification
from liaison.suggestions import services
from liaison.suggestions.models import (
    Cosigner,
    EventKind,
    Grade,
    Kind,
    Rating,
    ReturnRequest,
    Status,
    Suggestion,
    SuggestionEvent,
    SuggestionUnit,
)
from liaison.suggestions.services import SuggestionConflict
from liaison.suggestions.tests.factories import (
    CHANGSHA_COUNTY,
    CongressSessionFactory,
    author_of,
    deputy_member,
    seated_deputy,
)
from liaison.suggestions.tests.helpers import answered, assigned, drafted, letter, submitted
from liaison.workflow.table import TransitionNotAllowed

pytestmark = pytest.mark.django_db(transaction=False)


def _audits(suggestion: Suggestion) -> int:
    return AuditEvent.objects.filter(
        object_type="suggestions.suggestion", object_id=str(suggestion.pk)
    ).count()


def test_the_whole_loop_numbers_assigns_answers_and_closes(
    deputy: User,
    session: Any,
    county_staff: User,
    lead_unit: Any,
    co_unit: Any,
    lead_clerk: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = submitted(deputy, session)
        second = submitted(deputy, session)
    assert (first.number, second.number) == (1, 2)
    assert first.status == Status.SUBMITTED and first.due_on is not None
    assert Notification.objects.filter(user=county_staff).count() == 2
    s = services.suggestion_accept(suggestion=first, actor=county_staff)
    s = services.suggestion_assign(
        suggestion=s, actor=county_staff, lead=lead_unit, co_units=[co_unit]
    )
    assert s.status == Status.ASSIGNED and s.due_on == s.answer_due
    assert SuggestionUnit.objects.filter(suggestion=s, is_current=True).count() == 2
    s = answered(s, lead_clerk, grade=Grade.B)
    assert s.status == Status.ANSWERED and s.promised_on and s.letter
    s = services.suggestion_rate(suggestion=s, actor=deputy, rating=Rating.SATISFIED)
    assert s.status == Status.CLOSED and s.closed_at
    kinds = list(SuggestionEvent.objects.filter(suggestion=s).values_list("kind", flat=True))
    assert kinds == [
        EventKind.CREATED,
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.ASSIGNED,
        EventKind.CONTACTED,
        EventKind.ANSWERED,
        EventKind.RATED,
    ]
    assert _audits(s) >= 7


def test_unsatisfied_sends_it_back_once_and_the_second_answer_closes(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> None:
    s = answered(assigned(deputy, session, county_staff, lead_unit), lead_clerk, grade=Grade.C)
    with pytest.raises(ValidationError) as info:
        services.suggestion_rate(suggestion=s, actor=deputy, rating=Rating.UNSATISFIED)
    assert "不满意时请写明意见" in str(info.value)
    s = services.suggestion_rate(
        suggestion=s, actor=deputy, rating=Rating.UNSATISFIED, comment="理由不充分"
    )
    assert s.status == Status.REHANDLING and s.rehandled
    assert s.due_on is not None and s.due_on > timezone.localdate()
    assert not s.contact_method  # contact again before answering again
    s = answered(s, lead_clerk, grade=Grade.A)
    s = services.suggestion_rate(
        suggestion=s, actor=deputy, rating=Rating.UNSATISFIED, comment="仍不满意"
    )
    assert s.status == Status.CLOSED and s.first_rating == Rating.UNSATISFIED


def test_a_second_rating_is_refused(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> None:
    s = answered(assigned(deputy, session, county_staff, lead_unit), lead_clerk)
    rated = services.suggestion_rate(suggestion=s, actor=deputy, rating=Rating.BASIC)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_rate(suggestion=rated, actor=deputy, rating=Rating.SATISFIED)
    # From the page the person looked at before rating: the row changed under them.
    with pytest.raises(SuggestionConflict) as info:
        services.suggestion_rate(suggestion=s, actor=deputy, rating=Rating.SATISFIED)
    assert "已办结" in str(info.value)
    assert Suggestion.objects.get(pk=s.pk).rating == Rating.BASIC


def test_a_rating_by_someone_who_is_not_the_deputy_is_refused(
    deputy: User,
    session: Any,
    county_staff: User,
    lead_unit: Any,
    lead_clerk: User,
    station: Any,
) -> None:
    s = answered(assigned(deputy, session, county_staff, lead_unit), lead_clerk)
    other = deputy_member(station=station, username="other_dep")
    for user in (other, county_staff, lead_clerk):
        with pytest.raises(PermissionDenied):
            services.suggestion_rate(suggestion=s, actor=user, rating=Rating.SATISFIED)
    assert Suggestion.objects.get(pk=s.pk).status == Status.ANSWERED


def test_submission_outside_the_window_is_refused_and_takes_no_number(
    deputy: User, yuelu: Any
) -> None:
    today = timezone.localdate()
    closed = CongressSessionFactory(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(1)
    )
    s = drafted(deputy, closed)
    audits = _audits(s)
    with pytest.raises(ValidationError) as info:
        services.suggestion_submit(suggestion=s, actor=deputy)
    assert "不在建议受理期内" in str(info.value)
    s.refresh_from_db()
    closed.refresh_from_db()
    assert (s.status, s.number, closed.last_number) == (Status.DRAFT, None, 0)
    assert _audits(s) == audits


def test_a_joint_suggestion_needs_the_confirmed_cosigners(
    deputy: User, session: Any, station: Any
) -> None:
    s = drafted(deputy, session, kind=Kind.JOINT)
    others = [deputy_member(station=station, username=f"co{i}") for i in range(2)]
    for other in others:
        services.cosigner_invite(suggestion=s, actor=deputy, deputy=author_of(other))
    services.cosign_answer(suggestion=s, actor=others[0], confirm=True)
    with pytest.raises(ValidationError) as info:
        services.suggestion_submit(suggestion=s, actor=deputy)
    assert "至少须有 2 名代表确认附议（现有 1 名）" in str(info.value)
    services.cosign_answer(suggestion=s, actor=others[1], confirm=True)
    s = services.suggestion_submit(suggestion=s, actor=deputy)
    assert s.status == Status.SUBMITTED
    assert Cosigner.objects.filter(suggestion=s, state="confirmed").count() == 2


def test_a_cosigner_from_another_congress_is_refused(
    deputy: User, session: Any, changsha_county: Any
) -> None:
    s = drafted(deputy, session)
    outsider = seated_deputy(congress=CHANGSHA_COUNTY, name="长沙县代表")
    with pytest.raises(ValidationError) as info:
        services.cosigner_invite(suggestion=s, actor=deputy, deputy=outsider)
    assert "不是本届同级人大代表" in str(info.value)
    assert not Cosigner.objects.filter(suggestion=s).exists()


def test_the_maximum_length_is_the_setting(deputy: User, session: Any) -> None:
    JurisdictionSetting.objects.create(
        region_id=session.congress_id, key="suggestion_max_chars", value=500
    )
    s = drafted(deputy, session)
    s = services.suggestion_update(
        suggestion=s,
        actor=deputy,
        title=s.title,
        problem="问" * 300,
        analysis="析" * 100,
        proposal="建" * 200,
    )
    with pytest.raises(ValidationError) as info:
        services.suggestion_submit(suggestion=s, actor=deputy)
    assert "正文不能超过 500 字（现为 600 字）" in str(info.value)


def test_only_the_deputy_submits(
    deputy: User, session: Any, station_officer: User, station: Any
) -> None:
    s = services.suggestion_create(
        actor=station_officer,
        session=session,
        title="站里协助起草的建议",
        problem="问题",
        proposal="建议",
        author=author_of(deputy),
        station=station,
    )
    services.suggestion_update(
        suggestion=s,
        actor=station_officer,
        title="站里协助起草的建议（修改）",
        problem="问题",
        analysis="",
        proposal="建议",
    )
    with pytest.raises(PermissionDenied):
        services.suggestion_submit(suggestion=s, actor=station_officer)
    assert services.suggestion_submit(suggestion=s, actor=deputy).number == 1


def test_an_answer_without_grade_letter_or_date_is_refused(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> None:
    s = assigned(deputy, session, county_staff, lead_unit)
    with pytest.raises(ValidationError) as info:
        services.suggestion_answer(suggestion=s, actor=lead_clerk, grade="", answer="", letter=None)
    text = str(info.value)
    assert "请选择办理类别" in text and "答复函" in text and "答复摘要" in text
    with pytest.raises(ValidationError) as info:
        services.suggestion_answer(
            suggestion=s, actor=lead_clerk, grade=Grade.B, answer="正在办理", letter=letter()
        )
    assert "B类答复须填写今后的承诺解决日期" in str(info.value)
    with pytest.raises(ValidationError) as info:
        services.suggestion_answer(
            suggestion=s, actor=lead_clerk, grade=Grade.C, answer="暂不能解决", letter=letter()
        )
    assert "C类答复须说明" in str(info.value)
    # Without a recorded contact with the deputy, the table refuses.
    with pytest.raises(ValidationError) as info:
        services.suggestion_answer(
            suggestion=s, actor=lead_clerk, grade=Grade.A, answer="已解决", letter=letter()
        )
    assert "沟通" in str(info.value)
    assert Suggestion.objects.get(pk=s.pk).status == Status.ASSIGNED


def test_return_request_within_its_days_then_reassignment(
    deputy: User,
    session: Any,
    county_staff: User,
    lead_unit: Any,
    co_unit: Any,
    lead_clerk: User,
) -> None:
    s = assigned(deputy, session, county_staff, lead_unit)
    services.return_request_create(suggestion=s, actor=lead_clerk, reason="不属于本单位职责")
    with pytest.raises(ValidationError):
        services.return_request_create(suggestion=s, actor=lead_clerk, reason="再次申请")
    s = services.suggestion_assign(suggestion=s, actor=county_staff, lead=co_unit)
    assert s.lead_unit == co_unit
    assert ReturnRequest.objects.get(suggestion=s).decision == ReturnRequest.Decision.APPROVED
    assert not SuggestionUnit.objects.get(suggestion=s, unit=lead_unit).is_current
    assert SuggestionEvent.objects.filter(suggestion=s, kind=EventKind.REASSIGNED).exists()


def test_a_return_after_its_days_is_refused(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> None:
    s = assigned(deputy, session, county_staff, lead_unit)
    SuggestionUnit.objects.filter(suggestion=s).update(
        return_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as info:
        services.return_request_create(suggestion=s, actor=lead_clerk, reason="不属于本单位")
    assert "已超过申请退回的期限" in str(info.value)
    assert not ReturnRequest.objects.filter(suggestion=s).exists()


def test_refusing_a_return_keeps_the_unit(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> None:
    s = assigned(deputy, session, county_staff, lead_unit)
    services.return_request_create(suggestion=s, actor=lead_clerk, reason="不属于本单位")
    services.return_request_refuse(suggestion=s, actor=county_staff, note="属于住建职责")
    assert ReturnRequest.objects.get(suggestion=s).decision == ReturnRequest.Decision.REFUSED
    assert Suggestion.objects.get(pk=s.pk).lead_unit == lead_unit


def test_co_view_once_and_complex_extends_the_answer(
    deputy: User,
    session: Any,
    county_staff: User,
    lead_unit: Any,
    co_unit: Any,
    co_clerk: User,
) -> None:
    s = assigned(deputy, session, county_staff, lead_unit, (co_unit,))
    services.co_view_send(suggestion=s, actor=co_clerk, view="建议由住建局牵头")
    with pytest.raises(ValidationError):
        services.co_view_send(suggestion=s, actor=co_clerk, view="再说一次")
    due = s.answer_due
    s = services.suggestion_complex_approve(suggestion=s, actor=county_staff)
    assert s.is_complex and s.answer_due > due and s.due_on == s.answer_due


def test_return_merge_and_priority(deputy: User, session: Any, county_staff: User) -> None:
    a, b = submitted(deputy, session), submitted(deputy, session)
    with pytest.raises(ValidationError):
        services.suggestion_return(suggestion=a, actor=county_staff, reason="")
    a = services.suggestion_return(suggestion=a, actor=county_staff, reason="请补充分析")
    assert a.status == Status.RETURNED
    a = services.suggestion_submit(suggestion=a, actor=deputy)
    assert a.number == 1  # keeps its number
    b = services.suggestion_merge(suggestion=b, actor=county_staff, into=a)
    assert b.status == Status.MERGED and b.merged_into == a
    a = services.suggestion_accept(suggestion=a, actor=county_staff)
    a = services.suggestion_priority_set(suggestion=a, actor=county_staff, leader="李主任")
    assert a.is_priority


def test_publication_needs_both_consents(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> None:
    s = answered(assigned(deputy, session, county_staff, lead_unit), lead_clerk)
    s = services.suggestion_publication_set(suggestion=s, actor=deputy, allow=True, side="deputy")
    assert s.deputy_allows_publication and not s.is_public
    s = services.suggestion_publication_set(
        suggestion=s, actor=county_staff, allow=True, side="congress"
    )
    assert s.is_public


def test_other_county_staff_cannot_review(
    deputy: User, session: Any, other_county_staff: User
) -> None:
    s = submitted(deputy, session)
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(suggestion=s, actor=other_county_staff)
