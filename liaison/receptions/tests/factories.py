from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from liaison.receptions.models import DayStatus, ReceptionDay, ReceptionDuty
from liaison.receptions.services.common import new_signin_code


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class ReceptionDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionDay

    station = factory.SubFactory("liaison.stations.tests.factories.StationFactory")
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))
    planned_on = factory.LazyAttribute(lambda o: o.date)
    starts_at = factory.LazyAttribute(lambda o: at(o.date, 9))
    ends_at = factory.LazyAttribute(lambda o: at(o.date, 11, 30))
    place = "联络站接待室"
    notice_on = factory.LazyAttribute(lambda o: o.date - datetime.timedelta(days=3))
    status = DayStatus.SCHEDULED
    signin_code = factory.LazyFunction(new_signin_code)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> ReceptionDay:
        kwargs.setdefault("region_id", kwargs["station"].region_id)
        return super()._create(model_class, *args, **kwargs)


class ReceptionDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionDuty

    day = factory.SubFactory(ReceptionDayFactory)
    deputy = factory.SubFactory("liaison.deputies.tests.factories.DeputyFactory")
    starts_at = factory.LazyAttribute(lambda o: o.day.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.day.ends_at)
