from __future__ import annotations

import datetime

import factory

from liaison.common.codes import new_public_code
from liaison.deputies.models import (
    AssignmentKind,
    Deputy,
    DeputyLevel,
    Gender,
    Seat,
    StationDeputy,
)


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    code = factory.LazyFunction(lambda: new_public_code("D"))
    name = factory.Sequence(lambda n: f"王代表{n}")
    gender = Gender.FEMALE
    occupation = "教师"
    affiliation = "岳麓区某小学"
    bio = "长期关注教育与社区治理。"
    public_contact = "通过所在联络站联系"
    mobile = "13812345678"
    home_region_id = "430104000000"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    deputy = factory.SubFactory(DeputyFactory)
    level = DeputyLevel.COUNTY
    congress_id = "430104000000"
    term = 18
    constituency = "第一选区"
    starts_on = datetime.date(2021, 12, 1)


class StationDeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationDeputy

    deputy = factory.SubFactory(DeputyFactory)
    station = factory.SubFactory("liaison.stations.tests.factories.StationFactory")
    kind = AssignmentKind.RESIDENT
    starts_on = datetime.date(2024, 1, 1)
