"""Replays of the review's findings on the three separated powers (三权分立).

The review found that a county system administrator changed another county's data in Django admin
(deleted its setting and calendar override, renamed its region), exported the ledger with clear
names and phones, revealed deputies' mobiles, ID numbers and addresses, and worked the county's
cases. Here the system administrator, the security administrator and the auditor of 岳麓区 and of
长沙县 (each holding that one role only) go through the same doors.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.cases import jobs
from liaison.cases.models import ClassificationFeedback
from liaison.cases.tests.factories import CaseFactory
from liaison.common.crypto import EncryptedTextField
from liaison.deputies.tests.factories import DeputyFactory
from liaison.jobs.models import ExportJob
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.regions.models import Region
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU

pytestmark = pytest.mark.django_db

# A township of each county: the rows of the replay live there.
TOWNSHIP = {YUELU: "430104002000", CHANGSHA_COUNTY: "430121001000"}
OTHER = {YUELU: CHANGSHA_COUNTY, CHANGSHA_COUNTY: YUELU}
COUNTIES = [YUELU, CHANGSHA_COUNTY]
ADMIN_ROLES = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR]

# What a county system administrator finds in Django admin; every other model answers 403.
COUNTY_ADMIN_MODELS = {
    "regions.Region",
    "jurisdiction.JurisdictionSetting",
    "jurisdiction.CalendarOverride",
    "cases.ClassificationFeedback",
    "suggestions.CongressSession",
    "suggestions.Suggestion",
    "suggestions.SuggestionSource",
    "suggestions.SuggestionUnit",
    "suggestions.SuggestionEvent",
}


def _admin_user(role: str, county: str) -> User:
    return make_member(role, region=Region.objects.get(code=county), username=f"{role}_{county}")


def _registered() -> list[Any]:
    """The admin registry as served: loading the URLs puts every class under the scoping mixin."""
    get_resolver().url_patterns  # noqa: B018
    return list(admin.site._registry)


def _url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def world(hunan: None, system_admin: User) -> dict[str, dict[str, Any]]:
    """In each county: a setting, a calendar override, a classifier decision on a case."""
    rows: dict[str, dict[str, Any]] = {}
    for county, township in TOWNSHIP.items():
        case: Any = CaseFactory(region_id=township)
        rows[county] = {
            "setting": JurisdictionSetting.objects.create(
                region_id=county, key="vote_pass_ratio", value="0.6"
            ),
            "override": CalendarOverride.objects.create(
                region_id=county, date=datetime.date(2031, 5, 6), is_working_day=True, name="调休"
            ),
            "feedback": ClassificationFeedback.objects.create(
                case=case, region_id=township, chosen_label="城乡建设", actor=system_admin
            ),
            "region": Region.objects.get(code=township),
            "case": case,
        }
    return rows


def _model_pks(rows: dict[str, Any]) -> dict[type, Any]:
    return {
        JurisdictionSetting: rows["setting"].pk,
        CalendarOverride: rows["override"].pk,
        ClassificationFeedback: rows["feedback"].pk,
        Region: rows["region"].pk,
    }


# --- Django admin -----------------------------------------------------------------------------


@pytest.mark.parametrize("county", COUNTIES)
def test_admin_changelists_by_role(world: Any, as_user: Any, county: str) -> None:
    for role in ADMIN_ROLES:
        _assert_admin_changelists(as_user(_admin_user(role, county)), role)


def _assert_admin_changelists(client: Any, role: str) -> None:
    for model in _registered():
        status = client.get(_url(model, "changelist")).status_code
        if role != Role.SYSTEM_ADMIN:
            expected = 302  # to the login: Django admin is not theirs at all
        elif model._meta.label in COUNTY_ADMIN_MODELS:
            expected = 200
        else:
            expected = 403  # another power's data, or the platform's
        assert status == expected, (model._meta.label, status)
    # Roles come from Membership: Django's groups are not offered.
    expected = 404 if role == Role.SYSTEM_ADMIN else 302
    assert client.get("/admin/auth/group/").status_code == expected


@pytest.mark.parametrize("county", COUNTIES)
def test_county_admin_sees_own_rows_and_404_for_the_other_county(
    world: Any, as_user: Any, county: str
) -> None:
    client = as_user(_admin_user(Role.SYSTEM_ADMIN, county))
    own, other = _model_pks(world[county]), _model_pks(world[OTHER[county]])
    for model, pk in own.items():
        assert client.get(_url(model, "change", pk)).status_code == 200, model
        listed = {obj.pk for obj in client.get(_url(model, "changelist")).context["cl"].queryset}
        assert pk in listed, model
        assert other[model] not in listed, model
    for model, pk in other.items():
        for view in ("change", "delete", "history"):
            assert client.get(_url(model, view, pk)).status_code == 404, (model, view)


@pytest.mark.parametrize("county", COUNTIES)
def test_posts_on_the_other_county_change_nothing(world: Any, as_user: Any, county: str) -> None:
    client = as_user(_admin_user(Role.SYSTEM_ADMIN, county))
    rows = world[OTHER[county]]
    setting, override, region = rows["setting"], rows["override"], rows["region"]
    posts = [
        (
            _url(JurisdictionSetting, "change", setting.pk),
            {"region": setting.region_id, "key": setting.key, "value": '"0.9"'},
        ),
        (_url(JurisdictionSetting, "delete", setting.pk), {"post": "yes"}),
        (
            _url(CalendarOverride, "change", override.pk),
            {"region": override.region_id, "date": "2031-05-07", "is_working_day": "", "name": "x"},
        ),
        (_url(CalendarOverride, "delete", override.pk), {"post": "yes"}),
        (
            _url(Region, "change", region.pk),
            {"code": region.code, "name": "改名", "level": "township", "parent": region.parent_id},
        ),
        (_url(Region, "delete", region.pk), {"post": "yes"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # The bulk delete of the changelist skips what the admin cannot see.
    for model, pk in ((JurisdictionSetting, setting.pk), (CalendarOverride, override.pk)):
        client.post(
            _url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )
    setting.refresh_from_db()
    override.refresh_from_db()
    region.refresh_from_db()
    assert setting.value == "0.6"
    assert (str(override.date), override.name) == ("2031-05-06", "调休")
    assert region.name != "改名"


def test_county_admin_cannot_move_a_row_to_the_other_county_or_widen_a_region(
    world: Any, as_user: Any
) -> None:
    client = as_user(_admin_user(Role.SYSTEM_ADMIN, YUELU))
    setting = world[YUELU]["setting"]
    response = client.post(
        _url(JurisdictionSetting, "change", setting.pk),
        {"region": CHANGSHA_COUNTY, "key": setting.key, "value": '"0.9"'},
    )
    assert response.status_code == 200  # the other county is not a choice
    township = world[YUELU]["region"]
    # A township raised to a city would reach far beyond the county (its code range widens).
    response = client.post(
        _url(Region, "change", township.pk),
        {"code": township.code, "name": township.name, "level": "city", "parent": YUELU},
    )
    assert response.status_code == 200
    assert "只能在您管辖的区划内" in response.content.decode()
    # The county itself defines the jurisdiction: read-only to the county's administrator.
    county = Region.objects.get(code=YUELU)
    response = client.post(
        _url(Region, "change", YUELU),
        {"code": YUELU, "name": "改名", "level": "province", "parent": county.parent_id},
    )
    assert response.status_code == 403
    setting.refresh_from_db()
    township.refresh_from_db()
    county.refresh_from_db()
    assert setting.region_id == YUELU
    assert setting.value == "0.6"
    assert township.level == "township"
    assert (county.name, county.level) == ("岳麓区", "county")


def test_national_calendar_rows_are_read_only_to_a_county_admin(
    world: Any, as_user: Any, platform_admin: User
) -> None:
    national = CalendarOverride.objects.create(
        date=datetime.date(2031, 1, 1), is_working_day=False, name="元旦"
    )
    client = as_user(_admin_user(Role.SYSTEM_ADMIN, YUELU))
    assert client.get(_url(CalendarOverride, "change", national.pk)).status_code == 200
    assert (
        client.post(_url(CalendarOverride, "delete", national.pk), {"post": "yes"}).status_code
        == 403
    )
    assert CalendarOverride.objects.filter(pk=national.pk).exists()
    # The platform administrator keeps the national calendar.
    as_user(platform_admin).post(_url(CalendarOverride, "delete", national.pk), {"post": "yes"})
    assert not CalendarOverride.objects.filter(pk=national.pk).exists()


def test_foreign_key_choices_and_autocomplete_stay_in_the_county(world: Any, as_user: Any) -> None:
    client = as_user(_admin_user(Role.SYSTEM_ADMIN, YUELU))
    form = client.get(_url(JurisdictionSetting, "add")).context["adminform"].form
    codes = set(form.fields["region"].queryset.values_list("code", flat=True))
    assert YUELU in codes
    assert CHANGSHA_COUNTY not in codes
    assert "430000000000" not in codes
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "jurisdiction",
            "model_name": "jurisdictionsetting",
            "field_name": "region",
            "term": "长沙县",
        },
    ).json()
    assert found["results"] == []


def test_every_admin_has_a_policy_and_shows_no_personal_data(platform_admin: User) -> None:
    from liaison.accounts.admin_site import ADMIN_POLICIES, JurisdictionScopedAdmin

    request = RequestFactory().get("/admin/")
    request.user = platform_admin
    for model in _registered():
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, JurisdictionScopedAdmin), model
        assert model._meta.label in ADMIN_POLICIES, f"decide the admin policy of {model}"
        personal = {
            f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)
        } | set(ADMIN_POLICIES[model._meta.label].personal)
        shown = set(model_admin.get_list_display(request)) | set(
            model_admin.get_search_fields(request)
        )
        if model_admin.has_view_permission(request):
            shown |= set(model_admin.get_fields(request))
        assert not shown & personal, model


# --- the case workbench -----------------------------------------------------------------------


@pytest.mark.parametrize("county", COUNTIES)
def test_admins_have_no_case_workbench(world: Any, as_user: Any, county: str) -> None:
    case = world[county]["case"]
    # The doors are real: the county's congress staff goes through them.
    staff = as_user(make_member(Role.CONGRESS_STAFF, region=Region.objects.get(code=county)))
    assert staff.get(reverse("cases:queue")).status_code == 200
    assert staff.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    for role in ADMIN_ROLES:
        _assert_no_workbench(as_user(_admin_user(role, county)), case)


def _assert_no_workbench(client: Any, case: Any) -> None:
    for name, args in [
        ("cases:queue", ()),
        ("cases:detail", (case.pk,)),
        ("cases:reveal", (case.pk,)),
        ("cases:intake", ()),
        ("cases:import", ()),
        ("cases:export", ()),
        ("cases:kpis", ()),
        ("workbench:supervision", ()),
    ]:
        assert client.get(reverse(name, args=args)).status_code in (403, 405), name
    assert client.post(reverse("cases:reveal", args=[case.pk])).status_code == 403
    home = client.get(reverse("workbench:home")).content.decode()
    assert reverse("cases:queue") not in home
    assert reverse("cases:kpis") not in home
    assert case.tracking_code not in home


def test_system_admin_never_gets_an_unmasked_ledger(
    world: Any, as_user: Any, system_admin: User, county_staff: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        jobs.ledger_export_request(
            actor=system_admin,
            date_from=timezone.localdate(world[YUELU]["case"].submitted_at),
            date_to=timezone.localdate(world[YUELU]["case"].submitted_at),
            mask_person=False,
        )
    assert "mask_person" in refused.value.message_dict
    # A user who also works cases elsewhere still gets no clear names as a system admin of here.
    both = _admin_user(Role.SYSTEM_ADMIN, CHANGSHA_COUNTY)
    make_member(Role.HANDLING_UNIT, user=both, region=Region.objects.get(code=YUELU))
    with pytest.raises(ValidationError):
        jobs.ledger_export_request(
            actor=both,
            date_from=timezone.localdate(world[YUELU]["case"].submitted_at),
            date_to=timezone.localdate(world[YUELU]["case"].submitted_at),
            mask_person=False,
        )
    response = as_user(system_admin).post(
        reverse("cases:export"), {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    )
    assert response.status_code == 403
    assert not ExportJob.objects.exists()
    # Congress staff of the county still export the register in clear (audited).
    job = jobs.ledger_export_request(
        actor=county_staff,
        date_from=timezone.localdate(world[YUELU]["case"].submitted_at),
        date_to=timezone.localdate(world[YUELU]["case"].submitted_at),
        mask_person=False,
    )
    assert job.params["mask_person"] is False


# --- the deputy private view ------------------------------------------------------------------


@pytest.mark.parametrize("county", COUNTIES)
def test_admins_never_see_a_deputys_private_fields(hunan: None, as_user: Any, county: str) -> None:
    deputy = DeputyFactory(
        home_region_id=county,
        mobile="13812345678",
        id_number="430104199001011234",
        home_address="岳麓区麓山南路 1 号",
    )
    other = DeputyFactory(home_region_id=OTHER[county])
    for role in ADMIN_ROLES:
        _assert_no_private_view(as_user(_admin_user(role, county)), role, deputy, other)


def _assert_no_private_view(client: Any, role: str, deputy: Any, other: Any) -> None:
    reveal = client.post(reverse("deputies:reveal", args=[deputy.pk]))
    assert reveal.status_code == 403
    detail = client.get(reverse("deputies:detail", args=[deputy.pk]))
    if role == Role.SYSTEM_ADMIN:
        page = detail.content.decode()
        # public fields stay
        assert detail.status_code == 200
        assert deputy.name in page
        assert 'id="private"' not in page
        assert "138****" not in page
        assert "13812345678" not in page
        assert "430104199001011234" not in page
        assert "麓山南路" not in page
        listing = client.get(reverse("deputies:list")).content.decode()
        assert deputy.name in listing
        assert "138****" not in listing
        edit = client.get(reverse("deputies:edit", args=[deputy.pk])).content.decode()
        assert 'name="mobile"' not in edit
        assert 'name="id_number"' not in edit
        create = client.get(reverse("deputies:create")).content.decode()
        assert 'name="id_number"' not in create
        assert 'name="home_address"' not in create
        assert client.get(reverse("deputies:detail", args=[other.pk])).status_code == 404
    else:
        assert detail.status_code == 403
