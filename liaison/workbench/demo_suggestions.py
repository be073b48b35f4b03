"""The demo's deputies' suggestions (代表建议): the county congress's current session, open for
suggestions, and two suggestions of the demo deputy in it, one waiting for review and one
assigned to the demo handling unit. Without a session nothing of the suggestions could be tried:
the deputy could not draft, and the handling table and the report answered 404.

The demo deputy sits in the National People's Congress; like many deputies they also hold a
county seat (added here), which is what lets them write to the county congress. Idempotent
(skipped once the county has a session); everything goes through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from liaison.accounts.models import User
from liaison.deputies import services as deputy_services
from liaison.deputies.models import Deputy, DeputyLevel, Seat
from liaison.regions.models import Region
from liaison.suggestions.models import CongressSession
from liaison.suggestions.services.drafting import suggestion_create
from liaison.suggestions.services.review import suggestion_accept, suggestion_assign
from liaison.suggestions.services.submit import suggestion_submit
from liaison.taxonomy.models import Category
from liaison.units.models import HandlingUnit
from liaison.workbench.demo_data import COUNTY, SEATS

SUGGESTIONS = [
    (
        "关于加快老旧小区加装电梯的建议",
        "城乡建设",
        "辖区内上世纪九十年代建成的多层住宅较多，老年住户上下楼困难，加装电梯意愿强烈，"
        "但审批环节多、低层住户协商难，进展缓慢。",
        "现行办法对出资分摊、低层补偿没有统一指引，街道和社区缺少协调力量。",
        "建议出台加装电梯出资分摊和低层补偿指引，推行并联审批，并安排专项补助资金。",
    ),
    (
        "关于在学校周边增设护学岗和临时停车区的建议",
        "交通运输",
        "上下学时段学校周边道路拥堵，家长临时停车占用人行道，学生通行存在安全隐患。",
        "学校周边缺少临时停车区，交警和志愿者护学力量不足。",
        "建议在主要学校周边划设限时停车区，增设护学岗，并在高峰时段实行交通管制。",
    ),
]


def demo_suggestions(*, actor: User, deputy_user: User, unit: HandlingUnit) -> None:
    if CongressSession.objects.filter(congress_id=COUNTY).exists():
        return
    deputy = Deputy.objects.filter(user=deputy_user).first()
    if deputy is None:
        return
    congress, term, starts = SEATS[DeputyLevel.COUNTY]
    county = Region.objects.get(code=congress)
    if not Seat.objects.filter(deputy=deputy, congress=county, level=DeputyLevel.COUNTY).exists():
        deputy_services.seat_add(
            deputy=deputy,
            actor=actor,
            level=DeputyLevel.COUNTY,
            congress=county,
            term=term,
            starts_on=starts,
            constituency="第1选区",
        )
    today = timezone.localdate()
    session = CongressSession.objects.create(
        congress=county,
        level=DeputyLevel.COUNTY,
        term=term,
        session=6,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
    )
    filed = []
    for title, category, problem, analysis, proposal in SUGGESTIONS:
        draft = suggestion_create(
            actor=deputy_user,
            session=session,
            title=title,
            problem=problem,
            analysis=analysis,
            proposal=proposal,
            category=Category.objects.filter(name=category, level=1).first(),
        )
        filed.append(suggestion_submit(suggestion=draft, actor=deputy_user))
    accepted = suggestion_accept(suggestion=filed[0], actor=actor)
    suggestion_assign(suggestion=accepted, actor=actor, lead=unit)
