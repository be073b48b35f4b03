from __future__ import annotations

import datetime

import factory

from liaison.grids.models import Grid, Post, PostAssignment


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    name = factory.Sequence(lambda n: f"第{n}网格")
    region_id = "430104002000"  # 岳麓街道, 岳麓区
    station = None
    description = "测试网格"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    grid = factory.SubFactory(GridFactory)
    duty_kind = "patrol"
    name = factory.Sequence(lambda n: f"安全巡查岗{n}")
    needed = 2


class PostAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostAssignment

    post = factory.SubFactory(PostFactory)
    deputy = factory.SubFactory("liaison.deputies.tests.factories.DeputyFactory")
    starts_on = datetime.date(2025, 1, 1)
