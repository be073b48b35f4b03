"""The station-year zip as an export job, for every role of two counties: who may queue the zip
of a 岳麓区 station (its station's staff and its county's staff), who is refused in Chinese and
who is forbidden, and that the file answers its requester alone. The registers themselves are
read back in test_registers.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.archives import jobs
from liaison.archives.tests.conftest import YEAR
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.tests.matrix import (
    ROLES,
    STAFF,
    TOWNSHIP,
    assert_only_the_requester_opens,
    members_of_every_role,
)
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

PAGE = "/staff/archives/registers/"


@pytest.fixture
def world(hunan: None) -> dict[str, Any]:
    """In each county a station and a user of every role (station roles at that station)."""
    rows: dict[str, Any] = {}
    for county, township in TOWNSHIP.items():
        station = StationFactory(region_id=township)
        users = members_of_every_role(county=county, station=station)
        rows[county] = {"station": station, "users": users}
    return rows


def test_the_url_is_the_one_the_tests_post_to() -> None:
    assert reverse("archives:station_year") == PAGE


def test_every_role_of_two_counties_queues_only_a_station_in_scope(
    world: dict[str, Any], as_user: Any
) -> None:
    data = {"station": world[YUELU]["station"].pk, "year": YEAR}
    queued = 0
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            user = world[county]["users"][role]
            response = as_user(user).post(PAGE, data)
            if role not in STAFF:
                assert response.status_code == 403, (role, county)
            elif county == YUELU:
                assert response.status_code == 302, (role, county)
                job = ExportJob.objects.get(pk=response["Location"].split("/")[-2])
                assert job.kind == jobs.STATION_YEAR and job.created_by == user
                assert job.params == data and job.region_code == world[YUELU]["station"].region_id
                queued += 1
            else:
                assert response.status_code == 400, (role, county)
                assert "该联络站不在您的辖区，不能导出它的台账。" in response.content.decode()
    assert ExportJob.objects.count() == queued == len(STAFF)


def test_every_role_of_two_counties_may_not_see_or_fetch_anothers_zip(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    owner = world[YUELU]["users"][Role.LIAISON_OFFICER]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(owner).post(PAGE, {"station": world[YUELU]["station"].pk, "year": YEAR})
    location = response["Location"]
    assert ExportJob.objects.get().status == JobStatus.DONE
    everyone = {
        (role, county): world[county]["users"][role]
        for county in (YUELU, CHANGSHA_COUNTY)
        for role in ROLES
    }
    assert_only_the_requester_opens(as_user, location, owner, everyone)


def test_station_staff_may_not_queue_another_station_of_their_county(
    world: dict[str, Any], as_user: Any
) -> None:
    other = StationFactory(region_id="430104002000")
    response = as_user(world[YUELU]["users"][Role.STATION_HEAD]).post(
        PAGE, {"station": other.pk, "year": YEAR}
    )
    assert response.status_code == 400 and "该联络站不在您的辖区" in response.content.decode()
    assert not ExportJob.objects.exists()
