"""Every status × role × action against the database: what the case page offers succeeds when
posted, and what it hides the service refuses (issue 12: one action table for both)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.cases import services
from liaison.cases.actions import RULES, ActionRefused
from liaison.cases.models import Case, CaseEvent, CoHandling, EventKind, ExtensionRequest, Status
from liaison.cases.services import CaseConflict
from liaison.cases.services.pins import case_pin_reset
from liaison.cases.tests.factories import YUELU, case_in
from liaison.cases.workflow import TransitionNotAllowed
from liaison.deputies.models import Deputy
from liaison.regions.models import Region
from liaison.taxonomy.models import Category
from liaison.units.models import HandlingUnit

pytestmark = pytest.mark.django_db

# What the table's refusals look like (input errors, a plain ValidationError, do not count).
REFUSALS = (PermissionDenied, TransitionNotAllowed, ActionRefused, CaseConflict)
# Cases with a handler: the lead unit (the unit clerk's) from the assignment on.
HANDLED = {Status.ASSIGNED, Status.REPLIED, Status.EVALUATED, Status.CLOSED}
# The facts the conditions read, beside the status.
VARIANTS = ("plain", "pending_extension", "relayed")
STAFF_ACTIONS = sorted(set(RULES) - {"withdraw"})  # withdrawing is the constituent's (H5)


class World:
    """The people and things every case of the walk refers to."""

    def __init__(self, *, station: Any, unit: HandlingUnit, co_unit: HandlingUnit, **people: User):
        self.station, self.unit, self.co_unit = station, unit, co_unit
        self.people = people
        self.clerk = people["handling_unit"]
        self.deputy = Deputy.objects.get(user=people["deputy"])
        self.category = Category.objects.create(name="城乡建设", level=1, path="城乡建设")

    def case(self, status: str, variant: str) -> Case:
        """A case in `status` at the station, addressed to the deputy, co-handled by co_unit."""
        extra: dict[str, Any] = {"relayed_at": timezone.now()} if variant == "relayed" else {}
        if status == Status.MERGED:
            extra["merged_into"] = self.primary()
        case = case_in(
            status,
            station=self.station,
            deputy=self.deputy,
            unit=self.unit if status in HANDLED else None,
            **extra,
        )
        CoHandling.objects.create(case=case, unit=self.co_unit)
        if status == Status.MERGED:  # 撤销合并 reads where the merge started
            CaseEvent.objects.create(
                case=case,
                kind=EventKind.MERGED,
                actor_role=Role.LIAISON_OFFICER,
                from_status=Status.SUBMITTED,
                to_status=Status.MERGED,
            )
        if variant == "pending_extension":
            ExtensionRequest.objects.create(
                case=case, requested_days=2, reason="需要协调", requested_by=self.clerk
            )
        return case

    def primary(self) -> Case:
        return case_in(Status.SUBMITTED, station=self.station)

    def request_of(self, case: Case) -> ExtensionRequest:
        """The pending request, or (none pending) one already refused."""
        pending = case.extension_requests.filter(decision="pending").first()
        return pending or ExtensionRequest.objects.create(
            case=case,
            requested_days=2,
            reason="旧申请",
            requested_by=self.clerk,
            decision="refused",
        )

    def form(self, action: str, case: Case) -> dict[str, Any]:
        """What a person types into the action's form on the case page."""
        data: dict[str, Any] = {
            "decline": {"reason": "outside_remit", "note": "不属于联络站受理范围"},
            "answer": {"reply": "已当场答复。"},
            "assign": {"unit": self.unit.pk},
            "forward": {"to_region": YUELU, "note": "请上级人大办理"},
            "reply": {"reply": "已修复路灯。"},
            "rate": {"rating": "satisfied"},
            "merge": {"primary_code": self.primary().tracking_code},
            "category": {"category": self.category.pk},
            "supervise": {"note": "请加快办理"},
            "extension_request": {"days": 1, "reason": "需要协调多个部门"},
            "co_opinion": {"opinion": "同意主办单位意见"},
        }.get(action, {})
        if action == "extension_decide":
            approve = "1" if case.status == Status.ASSIGNED else "0"
            data = {"request_id": self.request_of(case).pk, "approve": approve}
        return {"expected_version": case.version, **data}

    def call(self, action: str, case: Case, user: User) -> Callable[[], object]:
        """The service behind the action, called directly with valid input."""
        calls: dict[str, Callable[[], object]] = {
            "accept": lambda: services.case_accept(case=case, actor=user),
            "decline": lambda: services.case_decline(
                case=case, actor=user, reason="outside_remit", note="不属于受理范围"
            ),
            "answer": lambda: services.case_answer_on_spot(case=case, actor=user, reply="答复"),
            "assign": lambda: services.case_assign(case=case, actor=user, unit=self.unit),
            "forward": lambda: services.case_forward(
                case=case, actor=user, to_region=Region.objects.get(pk=YUELU), note="转交"
            ),
            "reply": lambda: services.case_reply(case=case, actor=user, reply="已修复"),
            "rate": lambda: services.case_evaluate(case=case, actor=user, rating="satisfied"),
            "close": lambda: services.case_close(case=case, actor=user),
            "merge": lambda: services.case_merge(case=case, primary=self.primary(), actor=user),
            "unmerge": lambda: services.case_unmerge(case=case, actor=user),
            "relay": lambda: services.case_relay(case=case, actor=user),
            "category": lambda: services.case_set_category(
                case=case, actor=user, category=self.category
            ),
            "supervise": lambda: services.supervision_open(case=case, actor=user, note="督办"),
            "pin_reset": lambda: case_pin_reset(case=case, actor=user),
            "extension_request": lambda: services.extension_request(
                case=case, actor=user, days=1, reason="需要协调"
            ),
            "extension_decide": lambda: services.extension_decide(
                request=self.request_of(case), actor=user, approve=False
            ),
            "co_opinion": lambda: services.case_co_opinion(
                case=case, actor=user, unit=self.co_unit, opinion="同意"
            ),
        }
        return calls[action]


@pytest.fixture
def world(
    station: Any,
    station_officer: User,
    station_head: User,
    county_staff: User,
    other_county_staff: User,
    deputy_user: User,
    unit: HandlingUnit,
    unit_clerk: User,
    co_unit: HandlingUnit,
    co_clerk: User,
    auditor: User,
    security_admin: User,
    system_admin: User,
) -> World:
    return World(
        station=station,
        unit=unit,
        co_unit=co_unit,
        liaison_officer=station_officer,
        station_head=station_head,
        congress_staff=county_staff,
        handling_unit=unit_clerk,
        co_unit_staff=co_clerk,
        deputy=deputy_user,
        other_county=other_county_staff,
        auditor=auditor,
        security_admin=security_admin,
        system_admin=system_admin,
    )


def _offered(client: Any, case: Case) -> set[str]:
    """The actions whose forms the case page shows this person (none when it is not theirs)."""
    response = client.get(reverse("cases:detail", args=[case.pk]))
    if response.status_code != 200:
        return set()
    return set(re.findall(r'/act/([a-z_]+)/"', response.content.decode()))


def _post_succeeds(client: Any, user: User, case: Case, action: str, data: dict[str, Any]) -> str:
    """'' when posting the action worked (an event by this person, no error), else why not."""
    response = client.post(reverse("cases:act", args=[case.pk, action]), data)
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level >= constants.WARNING]
    if response.status_code not in (200, 302) or errors:
        return f"{response.status_code} {errors}"
    if response.status_code == 200 and action != "pin_reset":
        return "form refused: " + str(response.context["forms"])
    if not CaseEvent.objects.filter(case=case, actor=user).exists():
        return "no event recorded"
    return ""


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("status", Status.values)
def test_offered_actions_succeed_and_hidden_ones_are_refused(
    status: str, variant: str, world: World, as_user: Any
) -> None:
    problems: list[str] = []
    for who, user in world.people.items():
        client = as_user(user)
        shown = world.case(status, variant)
        offered = _offered(client, shown)
        for action in STAFF_ACTIONS:
            if action in offered:
                case = world.case(status, variant)  # a fresh one: the action changes it
                why = _post_succeeds(client, user, case, action, world.form(action, case))
                if why:
                    problems.append(f"{who} offered {action}, which failed: {why}")
                continue
            try:
                world.call(action, shown, user)()
            except REFUSALS:
                pass
            else:
                problems.append(f"{who} not offered {action}, which the service allowed")
        shown.refresh_from_db()
        if shown.status != status or CaseEvent.objects.filter(case=shown).count() != (
            1 if status == Status.MERGED else 0
        ):
            problems.append(f"{who}: a refused action changed the case")
    assert problems == []


def test_the_two_actions_issue_12_found_offered_and_failing(world: World, as_user: Any) -> None:
    officer = as_user(world.people["liaison_officer"])
    assert "relay" not in _offered(officer, world.case(Status.EVALUATED, "plain"))
    assert "supervise" not in _offered(officer, world.case(Status.REPLIED, "plain"))
    assert {"relay", "rate", "close"} <= _offered(officer, world.case(Status.REPLIED, "plain"))


def test_case_page_queries_stay_as_they_were(
    world: World, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    case = world.case(Status.ASSIGNED, "pending_extension")
    client = as_user(world.people["congress_staff"])
    client.get(reverse("cases:detail", args=[case.pk]))
    with django_assert_max_num_queries(23):  # measured before the action table
        client.get(reverse("cases:detail", args=[case.pk]))


def test_an_action_taken_under_the_caller_is_a_conflict(world: World) -> None:
    seen = world.case(Status.REPLIED, "plain")
    services.case_relay(case=Case.objects.get(pk=seen.pk), actor=world.people["station_head"])
    with pytest.raises(CaseConflict):
        services.case_relay(case=seen, actor=world.people["liaison_officer"])


def test_a_co_opinion_speaks_only_for_the_clerks_own_unit(world: World) -> None:
    case = world.case(Status.ASSIGNED, "plain")
    with pytest.raises(PermissionDenied):
        services.case_co_opinion(
            case=case, actor=world.people["co_unit_staff"], unit=world.unit, opinion="同意"
        )


def test_a_request_left_pending_on_a_replied_case_can_only_be_refused(
    world: World, as_user: Any
) -> None:
    case = world.case(Status.REPLIED, "pending_extension")
    client = as_user(world.people["congress_staff"])
    page = client.get(reverse("cases:detail", args=[case.pk]))
    (decide,) = [
        item["form"] for item in page.context["forms"] if item["name"] == "extension_decide"
    ]
    assert [value for value, _label in decide.fields["approve"].choices] == ["0"]
    data = world.form("extension_decide", case) | {"approve": "1"}
    response = client.post(reverse("cases:act", args=[case.pk, "extension_decide"]), data)
    assert response.status_code == 200  # the form again, with its error
    assert case.extension_requests.get().decision == ExtensionRequest.Decision.PENDING
