"""`manage.py demo`: a believable county (岳麓区, Changsha) on real Hunan region codes.

Stations of every kind in a tree, deputies of all five levels with seats and assignments, and one
demo user per role. Idempotent: a second run finds what is there and creates nothing twice. All
people are fictional.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields
from liaison.activities import services as activity_services
from liaison.activities.models import Activity, WorkPlan
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases import services as case_services
from liaison.cases.models import Case, Channel, Rating, Status
from liaison.cases.services.category_hints import case_category_hints_fill_all
from liaison.cases.services.intake import pin_digest
from liaison.deputies import services as deputy_services
from liaison.deputies.display import deputy_title
from liaison.deputies.models import AssignmentKind, Deputy, DeputyLevel, Gender
from liaison.points.services.ledger import ledger_sync
from liaison.regions.models import Region
from liaison.stations import services as station_services
from liaison.stations.models import Station, StationKind
from liaison.stations.standards import standard_items_for
from liaison.taxonomy.models import Category
from liaison.units import services as unit_services
from liaison.units.models import HandlingUnit
from liaison.workbench.demo_data import (
    COUNTY,
    DEMO_ACTIVITIES,
    DEMO_CASES,
    DEMO_PASSWORD,
    DEMO_PIN,
    DEMO_WORK_PLAN,
    GIVEN,
    LEVEL_MIX,
    OCCUPATIONS,
    SEATS,
    STREETS,
    SURNAMES,
    TOPICS,
    UNITS,
    USERS,
)
from liaison.workbench.demo_dutyreports import demo_dutyreports
from liaison.workbench.demo_grids import demo_grid_build
from liaison.workbench.demo_receptions import demo_receptions
from liaison.workbench.demo_suggestions import demo_suggestions


class Command(BaseCommand):
    help = "生成演示数据：岳麓区的联络站树、五级代表及各角色演示账号（幂等）。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not Region.objects.filter(code=COUNTY).exists():
            raise CommandError(
                "缺少行政区划数据，请先执行：manage.py import_regions "
                "liaison/regions/fixtures/regions_hunan_2023.csv"
            )
        rng = random.Random(20261129)
        with transaction.atomic():
            staff = self._user("county_staff", "周晓岚（区人大常委会）")
            self._grant(staff, Role.CONGRESS_STAFF, region_code=COUNTY, station=None)
            stations = self._stations(staff)
            home = stations["岳麓街道人大代表联络站"]
            units = self._units(staff)
            for username, name, role, scope in USERS:
                user = self._user(username, name)
                if scope == "unit":
                    self._grant_unit(user, units["岳麓区住房和城乡建设局"])
                else:
                    self._grant(user, role, region_code=scope, station=None if scope else home)
            deputies = self._deputies(staff, rng)
            self._assign(staff, deputies, stations, rng)
            self._link_deputy_user(deputies)
            self._appearances(staff, stations)
            self._assessments(staff, stations)
            demo_grid_build(actor=staff, station=home, deputies=deputies)
        # Cases go through the real loop, so each runs in its own transaction like a request.
        self._cases(staff, home, units)
        self._demo_pins(home)
        self._activities(staff, home)
        with transaction.atomic():
            demo_receptions(actor=staff, home=home)
        with transaction.atomic():
            demo_dutyreports(actor=staff, home=home)
        with transaction.atomic():
            demo_suggestions(
                actor=staff,
                deputy_user=User.objects.get(username="deputy"),
                unit=units["岳麓区住房和城乡建设局"],
            )
        # What the worker's sweep would do a few seconds later: the classifier's hints, and the
        # duty points of what the demo recorded (idempotent: a second run appends nothing).
        case_category_hints_fill_all()
        ledger_sync(deputy_ids=None, year=timezone.localdate().year, write=True)
        self._print_summary()

    # --- people -------------------------------------------------------------------------------

    def _user(self, username: str, display_name: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display_name)
            user.set_password(DEMO_PASSWORD)
            user.save()
            audit_record(actor=None, action=AuditAction.CREATE, obj=user, note="演示数据")
        return user

    def _grant(
        self, user: User, role: str, *, region_code: str | None, station: Station | None
    ) -> None:
        # Bootstrap grants: there is nobody yet who could grant them through the services.
        if region_code is not None:
            lookup = membership_scope_fields(region=Region.objects.get(code=region_code))
        else:
            lookup = membership_scope_fields(station=station)
        membership, created = Membership.objects.get_or_create(user=user, role=role, **lookup)
        if created:
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                obj=membership,
                region_code=region_code or (station.region_id if station else ""),
                note="演示数据",
            )

    def _grant_unit(self, user: User, unit: HandlingUnit) -> None:
        membership, created = Membership.objects.get_or_create(
            user=user, role=Role.HANDLING_UNIT, **membership_scope_fields(unit=unit)
        )
        if created:
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                obj=membership,
                region_code=unit.region_id,
                note="演示数据",
            )

    # --- handling units and cases ---------------------------------------------------------------

    def _units(self, actor: User) -> dict[str, HandlingUnit]:
        county = Region.objects.get(code=COUNTY)
        made: dict[str, HandlingUnit] = {}
        for name, kind, topic in UNITS:
            unit = HandlingUnit.objects.filter(region=county, name=name).first()
            if unit is None:
                unit = unit_services.unit_create(
                    actor=actor,
                    region=county,
                    name=name,
                    kind=kind,
                    contact_phone="0731-8888" + str(1000 + len(made)),
                )
                category = Category.objects.filter(region__isnull=True, path=topic).first()
                if category is not None:
                    unit_services.routing_rule_set(
                        actor=actor, unit=unit, region=county, category=category
                    )
            made[name] = unit
        return made

    def _cases(self, actor: User, home: Station, units: dict[str, HandlingUnit]) -> None:
        if Case.objects.filter(station=home).exists():
            return
        officer = User.objects.get(username="officer")
        clerk = User.objects.get(username="unit")
        housing = units["岳麓区住房和城乡建设局"]
        made = []
        for index, (kind, title, content, place) in enumerate(DEMO_CASES):
            result = case_services.case_submit(
                kind=kind,
                title=title,
                content=content,
                channel=Channel.QR,
                station=home,
                place=place,
                contact_name="李女士",
                contact_phone=f"1390731{index:04d}",
                allow_publish=True,
                consent=True,
            )
            made.append(result.case)
        # One case at each step of the loop.
        answered, replied, assigned, accepted = made[0], made[1], made[2], made[3]
        for case in (answered, replied, assigned, accepted):
            case_services.case_accept(case=case, actor=officer)
        for case in (answered, replied, assigned):
            case_services.case_assign(case=case, actor=officer, unit=housing)
        for case in (answered, replied):
            case_services.case_reply(
                case=case,
                actor=clerk,
                reply="经现场核查，已安排维修班组于本周内完成整改，并将加强日常巡查。",
            )
        case_services.case_evaluate(case=answered, rating=Rating.SATISFIED, comment="处理及时")
        case_services.case_close(case=answered, actor=officer)

    def _activities(self, staff: User, home: Station) -> None:
        """A published work plan and a few activities at each step (through the services)."""
        officer = User.objects.get(username="officer")
        verifier = User.objects.get(username="street_staff")
        year = timezone.localdate().year
        items = {}
        if not WorkPlan.objects.filter(station=home, year=year).exists():
            for month, kind, title in DEMO_WORK_PLAN:
                items[kind] = activity_services.work_plan_item_add(
                    actor=officer, station=home, year=year, month=month, kind=kind, title=title
                )
            plan = WorkPlan.objects.get(station=home, year=year)
            activity_services.work_plan_publish(actor=officer, plan=plan, publish=True)
        if Activity.objects.filter(station=home).exists():
            return
        deputies = list(Deputy.objects.filter(assignments__station=home).order_by("pk")[:4])
        # 09:30 local time (timezone.now() is UTC: 09:30 UTC would show as 17:30 in China).
        now = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
        for days, kind, title, place, step in DEMO_ACTIVITIES:
            start = now + datetime.timedelta(days=days)
            activity = activity_services.activity_plan(
                actor=officer, station=home, kind=kind, title=title, place=place,
                starts_at=start, ends_at=start + datetime.timedelta(hours=3),
                organiser="岳麓街道人大工委", invited=deputies, plan_item=items.get(kind),
                hours=Decimal("4") if kind == "training" else None,
                course_kind="law" if kind == "training" else "",
            )  # fmt: skip
            if step == "planned":
                continue
            activity = activity_services.activity_record(
                activity=activity, actor=officer, attended=deputies[:3],
                findings="代表们听取情况介绍、实地察看并与群众座谈，梳理出需要跟进的问题。",
                suggestions="建议有关部门建立问题清单，限期办理并向代表反馈。",
            )  # fmt: skip
            activity = activity_services.activity_submit(activity=activity, actor=officer)
            if step == "verified":
                activity_services.activity_verify(activity=activity, actor=verifier)

    def _demo_pins(self, home: Station) -> None:
        """A known PIN for the demo's own cases (demo data only), on every start, so that a
        newcomer can track and rate them, also in an installation made before: the console
        prints them (_print_summary)."""
        for pk, code in self._demo_cases(home).values_list("pk", "tracking_code"):
            Case.objects.filter(pk=pk).update(
                pin_digest=pin_digest(tracking_code=code, pin=DEMO_PIN)
            )

    def _demo_cases(self, home: Station) -> Any:
        titles = [title for _kind, title, _content, _place in DEMO_CASES]
        return Case.objects.filter(title__in=titles, station=home).order_by("submitted_at", "pk")

    # --- stations -----------------------------------------------------------------------------

    def _station(self, actor: User, *, name: str, region: str, **fields: Any) -> Station:
        existing = Station.objects.filter(name=name, region_id=region).first()
        if existing is not None:
            return existing
        return station_services.station_create(
            actor=actor, name=name, region=Region.objects.get(code=region), **fields
        )

    def _stations(self, actor: User) -> dict[str, Station]:
        made: dict[str, Station] = {}
        root = self._station(
            actor,
            name="岳麓区人大代表联络总站",
            region=COUNTY,
            kind=StationKind.FIXED,
            address="长沙市岳麓区金星中路 1 号区政务服务中心二楼",
            latitude=Decimal("28.235200"),
            longitude=Decimal("112.931400"),
            opening_hours="工作日 8:30–12:00，14:30–17:30",
            contact_name="周晓岚",
            contact_phone="0731-88880001",
            introduction="全区“1+N”代表联络站体系的总站，统筹各街道（镇）联络站开展代表接待、"
            "意见收集和履职活动。",
        )
        made[root.name] = root
        for code, street in STREETS:
            station = self._station(
                actor,
                name=f"{street}人大代表联络站",
                region=code,
                parent=root,
                kind=StationKind.FIXED,
                address=f"长沙市岳麓区{street}便民服务中心一楼",
                opening_hours="工作日 9:00–17:00；每月第一个周三为代表接待日",
                contact_name="联络员",
                contact_phone=f"0731-8888{code[7:9]}01",
                introduction=f"{street}代表之家，驻站代表定期接待选民，收集社情民意。",
            )
            made[station.name] = station
        home = made["岳麓街道人大代表联络站"]
        for village in ("桃花岭社区", "牌楼坪社区", "后湖社区"):
            station = self._station(
                actor,
                name=f"{village}代表联络点",
                region="430104002000",
                parent=home,
                kind=StationKind.FIXED,
                address=f"岳麓街道{village}党群服务中心",
                opening_hours="每周二、周四 9:00–11:30",
                contact_phone="0731-88880209",
            )
            made[station.name] = station
        extra = [
            ("岳麓区流动代表联络站", COUNTY, StationKind.MOBILE, "", "随流动服务车到村到社区"),
            ("坪塘集市代表联络点", "430104012000", StationKind.MARKET, "", "坪塘老街集市入口"),
            (
                "岳麓区法律服务专题联络站",
                COUNTY,
                StationKind.THEMATIC,
                "法治与矛盾纠纷化解",
                "岳麓区公共法律服务中心",
            ),
            ("岳麓区网上代表联络站", COUNTY, StationKind.ONLINE, "", "线上"),
        ]
        for name, region, kind, theme, address in extra:
            station = self._station(
                actor,
                name=name,
                region=region,
                parent=root,
                kind=kind,
                theme=theme,
                address=address,
                opening_hours="以公告时间为准" if kind != StationKind.ONLINE else "全天候",
                contact_phone="0731-88880099",
            )
            made[station.name] = station
        return made

    def _appearances(self, actor: User, stations: dict[str, Station]) -> None:
        mobile = stations["岳麓区流动代表联络站"]
        market = stations["坪塘集市代表联络点"]
        if mobile.appearances.exists():
            return
        base = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        plan = [
            (mobile, 3, "莲花镇桐木村村部广场", "430104102000"),
            (mobile, 10, "雨敞坪镇中心小学门口", "430104105000"),
            (market, 5, "坪塘老街集市入口", "430104012000"),
            (market, 20, "坪塘老街集市入口", "430104012000"),
        ]
        for station, days, place, region in plan:
            starts = base + datetime.timedelta(days=days)
            station_services.station_appearance_add(
                station=station,
                actor=actor,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                place=place,
                region=Region.objects.get(code=region),
                note="代表现场接待、收集意见",
            )

    def _assessments(self, actor: User, stations: dict[str, Station]) -> None:

        plan = {
            "岳麓街道人大代表联络站": 0.95,
            "望月湖街道人大代表联络站": 0.85,
            "梅溪湖街道人大代表联络站": 0.7,
            "莲花镇人大代表联络站": 0.5,
        }
        for name, ratio in plan.items():
            station = stations[name]
            if station.assessments.exists():
                continue
            items = standard_items_for(station.region)
            scores = {
                item["key"]: (Decimal(item["max_score"]) * Decimal(str(ratio))).quantize(
                    Decimal("1")
                )
                for item in items
            }
            station_services.station_assessment_create(
                station=station,
                actor=actor,
                assessed_on=datetime.date(2026, 10, 15),
                scores=scores,
                note="2026 年度联络站建设“七有”标准评估",
            )

    # --- deputies -----------------------------------------------------------------------------

    def _deputies(self, actor: User, rng: random.Random) -> list[Deputy]:
        existing = list(Deputy.objects.filter(bio__startswith="【演示】").order_by("pk"))
        if existing:
            return existing
        deputies: list[Deputy] = []
        used: set[str] = set()
        townships = [code for code, _name in STREETS]
        for index, level in enumerate(LEVEL_MIX):
            name = self._name(rng, used, index)
            occupation, affiliation = OCCUPATIONS[index % len(OCCUPATIONS)]
            township = townships[index % len(townships)]
            home = township if level == DeputyLevel.TOWNSHIP else COUNTY
            deputy = deputy_services.deputy_create(
                actor=actor,
                home_region=Region.objects.get(code=home),
                name=name,
                gender=Gender.FEMALE if index % 3 == 0 else Gender.MALE,
                occupation=occupation,
                affiliation=affiliation,
                bio=f"【演示】{occupation}，长期关注{rng.choice(TOPICS)}等民生议题。",
                public_contact="请通过所在联络站联系",
                mobile=f"139{rng.randrange(10**8):08d}",
            )
            levels = [level]
            # Many deputies sit in more than one congress (e.g. county and township).
            if level == DeputyLevel.COUNTY and index % 4 == 0:
                levels.append(DeputyLevel.TOWNSHIP)
            for seat_level in levels:
                if seat_level == DeputyLevel.TOWNSHIP:
                    congress, term, starts = township, 19, datetime.date(2021, 12, 20)
                else:
                    congress, term, starts = SEATS[seat_level]
                deputy_services.seat_add(
                    deputy=deputy,
                    actor=actor,
                    level=seat_level,
                    congress=Region.objects.get(code=congress),
                    term=term,
                    starts_on=starts,
                    constituency=f"第{index % 9 + 1}选区",
                )
            deputies.append(deputy)
        return deputies

    @staticmethod
    def _name(rng: random.Random, used: set[str], index: int) -> str:
        if index == 0:
            used.add("谭志刚")
            return "谭志刚"
        while True:
            given = GIVEN[rng.randrange(len(GIVEN) // 2) * 2 :][:2]
            name = rng.choice(SURNAMES) + (given if rng.random() < 0.7 else given[0])
            if name not in used:
                used.add(name)
                return name

    def _assign(
        self,
        actor: User,
        deputies: list[Deputy],
        stations: dict[str, Station],
        rng: random.Random,
    ) -> None:
        if any(d.assignments.exists() for d in deputies[:3]):
            return
        fixed = [s for s in stations.values() if s.kind == StationKind.FIXED]
        others = [s for s in stations.values() if s.kind != StationKind.FIXED]
        home = stations["岳麓街道人大代表联络站"]
        for index, deputy in enumerate(deputies):
            station = home if index < 5 else fixed[index % len(fixed)]
            deputy_services.deputy_assign_station(
                deputy=deputy,
                station=station,
                kind=AssignmentKind.RESIDENT,
                rota="",
                starts_on=datetime.date(2024, 1, 1),
                actor=actor,
            )
            if index % 6 == 0:
                deputy_services.deputy_assign_station(
                    deputy=deputy,
                    station=others[index % len(others)],
                    kind=AssignmentKind.ROTA,
                    rota=rng.choice(["每月第一个周三", "每月第三个周六", "单月第二个周五"]),
                    starts_on=datetime.date(2025, 3, 1),
                    actor=actor,
                )

    def _link_deputy_user(self, deputies: list[Deputy]) -> None:
        user = User.objects.get(username="deputy")
        first = deputies[0]
        if first.user_id is None and not Deputy.objects.filter(user=user).exists():
            # Linking a login to a deputy has no workbench page yet; record it like one would.
            Deputy.objects.filter(pk=first.pk).update(user=user)
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                obj=first,
                region_code=first.home_region_id or "",
                after={"user": user.username},
                note="演示数据",
            )
        # The name in the workbench header says what the public page says: the title comes from
        # the deputy's seats (an older demo wrote a fixed 区人大代表 there; fixed on any start).
        linked = Deputy.objects.filter(user=user).prefetch_related("seats").first()
        if linked is not None:
            title = deputy_title(linked)
            name = f"{linked.name}（{title}）" if title else linked.name
            if user.display_name != name:
                User.objects.filter(pk=user.pk).update(display_name=name)

    def _print_summary(self) -> None:
        stations = Station.objects.filter(
            region_id__gte=COUNTY, region_id__lte="430104999999"
        ).count()
        deputies = Deputy.objects.filter(bio__startswith="【演示】").count()
        self.stdout.write(f"演示数据就绪：岳麓区联络站 {stations} 个，代表 {deputies} 名。")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, role, _scope in USERS:
            self.stdout.write(f"  {username:<14} {Role(role).label:<8} {name}")
        self.stdout.write(f"演示意见（查询密码均为 {DEMO_PIN}，在 /cases/track/ 查询和评价）：")
        home = Station.objects.get(name="岳麓街道人大代表联络站", region__parent_id=COUNTY)
        for code, title, status in self._demo_cases(home).values_list(
            "tracking_code", "title", "status"
        ):
            self.stdout.write(f"  {code}  {Status(status).label:<6} {title}")
