from __future__ import annotations

from typing import Any

import factory

from liaison.common.codes import new_public_code
from liaison.stations.models import Station, StationKind, StationStatus, build_path


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    code = factory.LazyFunction(lambda: new_public_code("S"))
    name = factory.Sequence(lambda n: f"测试人大代表联络站{n}")
    kind = StationKind.FIXED
    status = StationStatus.ACTIVE
    address = "岳麓区测试路1号"
    opening_hours = "工作日 9:00-17:00"
    contact_name = "李联络"
    contact_phone = "0731-88888888"
    parent = None
    path = factory.LazyAttribute(lambda o: build_path(o.parent, o.code))

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Station:
        if "region" not in kwargs and "region_id" not in kwargs:
            kwargs["region_id"] = "430104002000"
        return super()._create(model_class, *args, **kwargs)
