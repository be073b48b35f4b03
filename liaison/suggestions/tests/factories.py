"""Factories for suggestion tests: sessions, deputies with seats, suggestions in any status."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.deputies.models import Deputy, DeputyLevel
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.suggestions.models import (
    CongressSession,
    Contact,
    Cosigner,
    Grade,
    Rating,
    Status,
    Suggestion,
    SuggestionUnit,
)

YUELU = "430104000000"
CHANGSHA_COUNTY = "430121000000"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CongressSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CongressSession

    congress_id = YUELU
    level = DeputyLevel.COUNTY
    term = 18
    session = factory.Sequence(lambda n: n + 3)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


def seated_deputy(*, congress: str = YUELU, user: User | None = None, **kw: Any) -> Deputy:
    """A deputy with a seat in the (county, 18th term) congress of `congress`."""
    deputy = DeputyFactory(user=user, home_region_id=congress, **kw)
    SeatFactory(deputy=deputy, congress_id=congress)
    return deputy


def deputy_member(*, station: Any = None, congress: str = YUELU, **kw: Any) -> User:
    """A user with the deputy role (at `station` or over the congress region) and a seat."""
    if station is not None:
        user = make_member(Role.DEPUTY, station=station, **kw)
    else:
        from liaison.regions.models import Region

        user = make_member(Role.DEPUTY, region=Region.objects.get(pk=congress), **kw)
    deputy = seated_deputy(congress=congress, user=user)
    if station is not None:
        StationDeputyFactory(station=station, deputy=deputy)
    return user


def author_of(user: User) -> Deputy:
    return Deputy.objects.get(user=user)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    session = factory.SubFactory(CongressSessionFactory)
    congress_id = factory.LazyAttribute(lambda o: o.session.congress_id)
    author = factory.SubFactory(DeputyFactory)
    title = factory.Sequence(lambda n: f"关于改善老旧小区停车难问题的建议{n}")
    problem = "老旧小区停车位严重不足，车辆乱停乱放，消防通道被堵。"
    analysis = "小区建成早，规划时未预留停车位。"
    proposal = "建议利用周边闲置地块建设立体停车场，并推行错峰共享停车。"
    created_by = factory.LazyAttribute(lambda o: o.author.user or _any_user())


def _any_user() -> User:
    from liaison.accounts.tests.factories import UserFactory

    return UserFactory()


def suggestion_in(status: str, *, lead: Any = None, co: Any = (), **kw: Any) -> Suggestion:
    """A suggestion already in `status` with the milestones a real one would have."""
    now = timezone.now()
    today = timezone.localdate()
    fields: dict[str, Any] = {"status": status}
    if status not in (Status.DRAFT,):
        fields.setdefault("number", None)
    if status not in (Status.DRAFT, Status.WITHDRAWN):
        fields["submitted_at"] = now
        fields["due_on"] = today + datetime.timedelta(days=10)
    if status in (Status.ASSIGNED, Status.ANSWERED, Status.REHANDLING, Status.CLOSED):
        fields.update(accepted_at=now, assigned_at=now, answer_due=today + datetime.timedelta(90))
        fields["due_on"] = fields["answer_due"]
        if lead is not None:
            fields["lead_unit"] = lead
    if status in (Status.ANSWERED, Status.CLOSED):
        fields.update(
            grade=Grade.A,
            answer="已建成立体停车场一座。",
            answered_at=now,
            due_on=None,
            contact_method=Contact.PHONE,
            contacted_on=today,
        )
    if status == Status.REHANDLING:
        fields.update(rehandled=True, first_rating=Rating.UNSATISFIED, rating=Rating.UNSATISFIED)
    if status == Status.CLOSED:
        fields.update(rating=Rating.SATISFIED, rated_at=now, closed_at=now)
    fields.update(kw)
    suggestion: Suggestion = SuggestionFactory(**fields)
    if suggestion.number is None and status != Status.DRAFT:
        session = suggestion.session
        session.last_number += 1
        session.save(update_fields=["last_number"])
        suggestion.number = session.last_number
        suggestion.save(update_fields=["number"])
    if status in (Status.ANSWERED, Status.CLOSED):
        suggestion.letter.save("letter.pdf", ContentFile(PDF), save=True)
    if lead is not None and suggestion.assigned_at:
        SuggestionUnit.objects.create(
            suggestion=suggestion,
            unit=lead,
            is_lead=True,
            assigned_at=now,
            return_due=today + datetime.timedelta(days=9),
        )
        for unit in co:
            SuggestionUnit.objects.create(
                suggestion=suggestion,
                unit=unit,
                assigned_at=now,
                return_due=today + datetime.timedelta(days=9),
                view_due=today + datetime.timedelta(days=30),
            )
    return suggestion


def invite(suggestion: Suggestion, deputy: Deputy, *, confirmed: bool = True) -> Cosigner:
    state = Cosigner.State.CONFIRMED if confirmed else Cosigner.State.INVITED
    return Cosigner.objects.create(suggestion=suggestion, deputy=deputy, state=state)
