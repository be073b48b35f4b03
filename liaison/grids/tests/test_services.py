"""Grid, post and assignment services: every refusal is a Chinese message and changes nothing;
every change leaves an audit row."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.audit.models import AuditAction, AuditEvent
from liaison.deputies.tests.factories import DeputyFactory
from liaison.grids import services
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.grids.tests.factories import GridFactory, PostAssignmentFactory, PostFactory
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.regions.models import Region
from liaison.stations.models import StationStatus
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def audits(obj: Any, action: str) -> int:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).count()


def unchanged(call: Callable[[], Any], error: type[Exception], text: str) -> Exception:
    """Run a call that must be refused with `text` in its message, and prove nothing was saved."""
    counts = (Grid.objects.count(), Post.objects.count(), PostAssignment.objects.count())
    audit_count = AuditEvent.objects.count()
    with pytest.raises(error) as caught:
        call()
    assert text in " ".join(_messages(caught.value))
    assert (Grid.objects.count(), Post.objects.count(), PostAssignment.objects.count()) == counts
    assert AuditEvent.objects.count() == audit_count
    return caught.value


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


# --- grids --------------------------------------------------------------------------------------


def test_county_staff_create_a_grid_with_an_audit_row(county_staff: Any, station: Any) -> None:
    grid = services.grid_create(
        actor=county_staff,
        name=" 岳麓街道第二网格 ",
        region=region("430104002000"),
        station=station,
        description="含三个社区",
    )
    assert grid.name == "岳麓街道第二网格"
    assert grid.is_active and grid.version == 1
    event = AuditEvent.objects.get(object_type="grids.grid", object_id=str(grid.pk))
    assert event.action == AuditAction.CREATE
    assert event.region_code == "430104002000"
    assert event.after is not None and event.after["name"] == "岳麓街道第二网格"


def test_grid_in_another_county_is_refused(other_county_staff: Any) -> None:
    unchanged(
        lambda: services.grid_create(
            actor=other_county_staff, name="越界网格", region=region("430104002000")
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )


def test_grid_outside_its_station_region_is_refused(county_staff: Any, station: Any) -> None:
    # The station is in 岳麓街道; 望月湖街道 is another township of the same county.
    other_township = Region.objects.filter(code__startswith="430104", level="township").exclude(
        code="430104002000"
    )[0]
    error = unchanged(
        lambda: services.grid_create(
            actor=county_staff, name="错位网格", region=other_township, station=station
        ),
        ValidationError,
        "须在联络站",
    )
    assert isinstance(error, ValidationError) and "region" in error.message_dict


def test_grid_of_a_closed_station_is_refused(county_staff: Any) -> None:
    closed = StationFactory(status=StationStatus.CLOSED)
    unchanged(
        lambda: services.grid_create(
            actor=county_staff, name="网格", region=closed.region, station=closed
        ),
        ValidationError,
        "已撤销",
    )


def test_grid_needs_a_name_and_a_unique_one(county_staff: Any, grid: Any) -> None:
    unchanged(
        lambda: services.grid_create(actor=county_staff, name="  ", region=grid.region),
        ValidationError,
        "请填写网格名称",
    )
    unchanged(
        lambda: services.grid_create(actor=county_staff, name=grid.name, region=grid.region),
        ValidationError,
        "已有名为",
    )
    unchanged(
        lambda: services.grid_create(actor=county_staff, name="网" * 101, region=grid.region),
        ValidationError,
        "不能超过 100 个字",
    )


def test_station_head_creates_grids_only_for_their_station(
    station_head: Any, station: Any, other_station: Any
) -> None:
    here = region("430104002000")
    grid = services.grid_create(actor=station_head, name="本站网格", region=here, station=station)
    assert grid.station == station
    unchanged(
        lambda: services.grid_create(actor=station_head, name="无站网格", region=here),
        PermissionDenied,
        "不在您的管辖范围内",
    )
    unchanged(
        lambda: services.grid_create(
            actor=station_head,
            name="他站网格",
            region=other_station.region,
            station=other_station,
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )


def test_liaison_officer_cannot_create_grids(station_officer: Any, station: Any) -> None:
    unchanged(
        lambda: services.grid_create(
            actor=station_officer, name="网格", region=station.region, station=station
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )


def test_grid_update_records_only_what_changed(county_staff: Any, grid: Any) -> None:
    services.grid_update(
        grid=grid,
        actor=county_staff,
        name="改名网格",
        region=grid.region,
        station=grid.station,
        description=grid.description,
        expected_version=1,
    )
    grid.refresh_from_db()
    assert grid.name == "改名网格" and grid.version == 2
    event = AuditEvent.objects.get(object_type="grids.grid", action=AuditAction.UPDATE)
    assert event.before == {"name": "岳麓街道第一网格"}
    assert event.after == {"name": "改名网格"}


def test_grid_update_on_a_stale_copy_is_a_conflict(county_staff: Any, grid: Any) -> None:
    services.grid_update(
        grid=grid, actor=county_staff, name="甲", region=grid.region, station=grid.station
    )
    unchanged(
        lambda: services.grid_update(
            grid=grid,
            actor=county_staff,
            name="乙",
            region=grid.region,
            station=grid.station,
            expected_version=1,
        ),
        ValidationError,
        "已被他人修改",
    )
    grid.refresh_from_db()
    assert grid.name == "甲"


def test_other_county_cannot_update_or_deactivate(other_county_staff: Any, grid: Any) -> None:
    unchanged(
        lambda: services.grid_update(
            grid=grid, actor=other_county_staff, name="x", region=grid.region, station=None
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )
    unchanged(
        lambda: services.grid_deactivate(grid=grid, actor=other_county_staff),
        PermissionDenied,
        "不在您的管辖范围内",
    )


def test_grid_with_active_posts_cannot_be_deactivated(county_staff: Any, post: Any) -> None:
    grid = post.grid
    unchanged(
        lambda: services.grid_deactivate(grid=grid, actor=county_staff),
        ValidationError,
        "还有 1 个启用的岗位",
    )
    services.post_deactivate(post=post, actor=county_staff)
    services.grid_deactivate(grid=grid, actor=county_staff, reason="区划调整")
    grid.refresh_from_db()
    assert not grid.is_active
    assert audits(grid, AuditAction.UPDATE) == 1
    event = AuditEvent.objects.get(
        object_type="grids.grid", object_id=str(grid.pk), action="update"
    )
    assert "区划调整" in event.note
    unchanged(
        lambda: services.grid_deactivate(grid=grid, actor=county_staff),
        ValidationError,
        "已停用",
    )
    unchanged(
        lambda: services.grid_update(
            grid=grid, actor=county_staff, name="x", region=grid.region, station=None
        ),
        ValidationError,
        "已停用",
    )


def test_a_deactivated_grid_frees_its_name(county_staff: Any) -> None:
    first = GridFactory(name="同名网格", is_active=False)
    second = services.grid_create(actor=county_staff, name="同名网格", region=first.region)
    assert second.pk != first.pk


# --- posts --------------------------------------------------------------------------------------


def test_post_create_and_audit(county_staff: Any, grid: Any) -> None:
    post = services.post_create(
        actor=county_staff,
        grid=grid,
        duty_kind="mediation",
        name="矛盾纠纷调处岗",
        description="每周一次",
        needed=3,
    )
    assert (post.duty_kind, post.needed, post.is_active) == ("mediation", 3, True)
    assert audits(post, AuditAction.CREATE) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"duty_kind": "dancing"}, "请选择本辖区设定的职责类型"),
        ({"needed": 0}, "所需代表数应在 1 到 99 之间"),
        ({"needed": 100}, "所需代表数应在 1 到 99 之间"),
        ({"name": ""}, "请填写岗位名称"),
        ({"description": "长" * 2001}, "岗位职责不能超过"),
    ],
)
def test_post_bad_input_is_refused(
    county_staff: Any, grid: Any, kwargs: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {"duty_kind": "patrol", "name": "巡查岗", "needed": 1, **kwargs}
    unchanged(
        lambda: services.post_create(actor=county_staff, grid=grid, **values),
        ValidationError,
        message,
    )


def test_post_in_another_countys_grid_is_refused(county_staff: Any, other_grid: Any) -> None:
    unchanged(
        lambda: services.post_create(
            actor=county_staff, grid=other_grid, duty_kind="patrol", name="越界岗"
        ),
        PermissionDenied,
        "该网格不在您的管辖范围内",
    )


def test_post_in_a_deactivated_grid_is_refused(county_staff: Any) -> None:
    grid = GridFactory(is_active=False)
    unchanged(
        lambda: services.post_create(actor=county_staff, grid=grid, duty_kind="patrol", name="岗"),
        ValidationError,
        "已停用",
    )


def test_post_duplicate_name_in_the_grid_is_refused(county_staff: Any, post: Any) -> None:
    unchanged(
        lambda: services.post_create(
            actor=county_staff, grid=post.grid, duty_kind="patrol", name=post.name
        ),
        ValidationError,
        "已有名为",
    )


def test_duty_kinds_follow_the_jurisdiction_setting(county_staff: Any, grid: Any) -> None:
    JurisdictionSetting.objects.create(
        region_id="430104000000",
        key="grid_duty_kinds",
        value=[{"key": "flood", "name": "防汛值守"}],
    )
    post = services.post_create(actor=county_staff, grid=grid, duty_kind="flood", name="防汛岗")
    assert post.duty_kind == "flood"
    unchanged(
        lambda: services.post_create(
            actor=county_staff, grid=grid, duty_kind="patrol", name="巡查岗"
        ),
        ValidationError,
        "职责类型",
    )


def test_post_update_keeps_a_kind_dropped_from_the_setting(county_staff: Any, post: Any) -> None:
    JurisdictionSetting.objects.create(
        region_id="430104000000", key="grid_duty_kinds", value=[{"key": "flood", "name": "防汛"}]
    )
    services.post_update(
        post=post,
        actor=county_staff,
        duty_kind="patrol",
        name=post.name,
        needed=4,
        expected_version=1,
    )
    post.refresh_from_db()
    assert (post.duty_kind, post.needed, post.version) == ("patrol", 4, 2)
    event = AuditEvent.objects.get(object_id=str(post.pk), object_type="grids.post")
    assert event.before == {"needed": 2} and event.after == {"needed": 4}


def test_post_update_refusals(county_staff: Any, other_county_staff: Any, post: Any) -> None:
    unchanged(
        lambda: services.post_update(
            post=post, actor=county_staff, duty_kind="patrol", name="x", expected_version=7
        ),
        ValidationError,
        "已被他人修改",
    )
    unchanged(
        lambda: services.post_update(
            post=post, actor=other_county_staff, duty_kind="patrol", name="x"
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )
    services.post_deactivate(post=post, actor=county_staff)
    unchanged(
        lambda: services.post_update(post=post, actor=county_staff, duty_kind="patrol", name="x"),
        ValidationError,
        "已停用",
    )
    unchanged(
        lambda: services.post_deactivate(post=post, actor=county_staff),
        ValidationError,
        "已停用",
    )


def test_post_with_deputies_on_it_cannot_be_deactivated(
    county_staff: Any, post: Any, county_deputy: Any
) -> None:
    assignment = services.post_assign(
        post=post, deputy=county_deputy, actor=county_staff, start=D(2025, 3, 1)
    )
    unchanged(
        lambda: services.post_deactivate(post=post, actor=county_staff),
        ValidationError,
        "还有 1 名代表在岗或待上岗",
    )
    services.assignment_end(
        assignment=assignment, actor=county_staff, end=timezone.localdate(), reason="换届"
    )
    services.post_deactivate(post=post, actor=county_staff, reason="合并岗位")
    post.refresh_from_db()
    assert not post.is_active
    assert audits(post, AuditAction.UPDATE) == 1


# --- assignments --------------------------------------------------------------------------------


def test_two_deputies_of_different_levels_share_a_post(
    county_staff: Any, post: Any, county_deputy: Any, township_deputy: Any
) -> None:
    first = services.post_assign(
        post=post, deputy=county_deputy, actor=county_staff, start=D(2025, 1, 1)
    )
    second = services.post_assign(
        post=post, deputy=township_deputy, actor=county_staff, start=D(2025, 2, 1)
    )
    assert {a.deputy for a in post.assignments.all()} == {county_deputy, township_deputy}
    for assignment in (first, second):
        assert audits(assignment, AuditAction.CREATE) == 1
    event = AuditEvent.objects.get(object_id=str(first.pk), object_type="grids.postassignment")
    assert event.object_label == f"李县代表 @ {post.grid.name} / {post.name}"
    assert event.region_code == post.grid.region_id


def test_the_same_deputy_twice_at_overlapping_dates_is_refused(
    county_staff: Any, post: Any, county_deputy: Any
) -> None:
    services.post_assign(post=post, deputy=county_deputy, actor=county_staff, start=D(2025, 1, 1))
    unchanged(
        lambda: services.post_assign(
            post=post, deputy=county_deputy, actor=county_staff, start=D(2025, 6, 1)
        ),
        ValidationError,
        "代表“李县代表”在该岗位已有任职（自 2025-01-01 起），与上岗日期 2025-06-01 重叠",
    )


def test_a_new_term_after_the_last_ended_is_allowed_but_not_inside_it(
    county_staff: Any, post: Any, county_deputy: Any
) -> None:
    old = PostAssignmentFactory(
        post=post, deputy=county_deputy, starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31)
    )
    unchanged(
        lambda: services.post_assign(
            post=post, deputy=county_deputy, actor=county_staff, start=D(2024, 12, 31)
        ),
        ValidationError,
        "2024-01-01 至 2024-12-31",
    )
    unchanged(
        lambda: services.post_assign(
            post=post, deputy=county_deputy, actor=county_staff, start=D(2023, 6, 1)
        ),
        ValidationError,
        "重叠",
    )
    again = services.post_assign(
        post=post, deputy=county_deputy, actor=county_staff, start=D(2025, 1, 1)
    )
    assert again.pk != old.pk


def test_assigning_a_deputy_outside_scope_is_refused(
    county_staff: Any, post: Any, outside_deputy: Any
) -> None:
    unchanged(
        lambda: services.post_assign(
            post=post, deputy=outside_deputy, actor=county_staff, start=D(2025, 1, 1)
        ),
        ValidationError,
        "代表“孙外县代表”不在您的管辖范围内",
    )


def test_station_head_assigns_only_deputies_of_their_station(
    station_head: Any, post: Any, county_deputy: Any, deputy_user: Any
) -> None:
    # county_deputy lives in 岳麓区 but is not assigned to the station: outside the head's scope.
    unchanged(
        lambda: services.post_assign(
            post=post, deputy=county_deputy, actor=station_head, start=D(2025, 1, 1)
        ),
        ValidationError,
        "不在您的管辖范围内",
    )
    assignment = services.post_assign(
        post=post, deputy=deputy_user.deputy, actor=station_head, start=D(2025, 1, 1)
    )
    assert assignment.deputy.name == "张代表"


def test_assign_refusals(county_staff: Any, other_post: Any, post: Any) -> None:
    retired = DeputyFactory(name="退任代表", is_active=False)
    unchanged(
        lambda: services.post_assign(
            post=post, deputy=retired, actor=county_staff, start=D(2025, 1, 1)
        ),
        ValidationError,
        "已不在任",
    )
    active = DeputyFactory(name="在任代表")
    far = timezone.localdate() + datetime.timedelta(days=400)
    unchanged(
        lambda: services.post_assign(post=post, deputy=active, actor=county_staff, start=far),
        ValidationError,
        "上岗日期不能晚于一年以后",
    )
    unchanged(
        lambda: services.post_assign(
            post=other_post, deputy=active, actor=county_staff, start=D(2025, 1, 1)
        ),
        PermissionDenied,
        "该网格不在您的管辖范围内",
    )
    stopped = PostFactory(grid=post.grid, is_active=False)
    unchanged(
        lambda: services.post_assign(
            post=stopped, deputy=active, actor=county_staff, start=D(2025, 1, 1)
        ),
        ValidationError,
        "已停用",
    )


def test_ending_an_assignment_keeps_the_row(county_staff: Any, post: Any) -> None:
    assignment = PostAssignmentFactory(post=post, starts_on=D(2025, 1, 1))
    services.assignment_end(
        assignment=assignment, actor=county_staff, end=D(2025, 6, 30), reason=" 调任 "
    )
    assignment.refresh_from_db()
    assert (assignment.ends_on, assignment.end_reason) == (D(2025, 6, 30), "调任")
    event = AuditEvent.objects.get(object_type="grids.postassignment", action=AuditAction.UPDATE)
    assert event.after == {"ends_on": "2025-06-30", "end_reason": "调任"}
    unchanged(
        lambda: services.assignment_end(
            assignment=assignment, actor=county_staff, end=D(2025, 7, 1)
        ),
        ValidationError,
        "该任职已于 2025-06-30 结束",
    )


def test_end_before_start_is_refused(county_staff: Any, post: Any) -> None:
    assignment = PostAssignmentFactory(post=post, starts_on=D(2025, 3, 1))
    error = unchanged(
        lambda: services.assignment_end(
            assignment=assignment, actor=county_staff, end=D(2025, 2, 28)
        ),
        ValidationError,
        "离岗日期不能早于上岗日期（2025-03-01）",
    )
    assert isinstance(error, ValidationError) and "end" in error.message_dict
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_end_refusals(county_staff: Any, other_county_staff: Any, post: Any) -> None:
    assignment = PostAssignmentFactory(post=post, starts_on=D(2025, 3, 1))
    unchanged(
        lambda: services.assignment_end(
            assignment=assignment, actor=other_county_staff, end=D(2025, 4, 1)
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )
    unchanged(
        lambda: services.assignment_end(
            assignment=assignment,
            actor=county_staff,
            end=timezone.localdate() + datetime.timedelta(days=400),
        ),
        ValidationError,
        "离岗日期不能晚于一年以后",
    )
    unchanged(
        lambda: services.assignment_end(
            assignment=assignment, actor=county_staff, end=D(2025, 4, 1), reason="因" * 201
        ),
        ValidationError,
        "离岗原因不能超过 200 个字",
    )


def test_station_head_manages_only_their_stations_grids(
    station_head: Any, post: Any, other_post: Any
) -> None:
    services.post_update(post=post, actor=station_head, duty_kind="patrol", name="巡查一岗")
    unchanged(
        lambda: services.post_update(
            post=other_post, actor=station_head, duty_kind="patrol", name="x"
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )
    # A grid of the county with no station belongs to the county's staff.
    county_grid = GridFactory(station=None)
    unchanged(
        lambda: services.post_create(
            actor=station_head, grid=county_grid, duty_kind="patrol", name="岗"
        ),
        PermissionDenied,
        "不在您的管辖范围内",
    )


def test_city_staff_manage_grids_of_every_county_below(yuelu: Any, other_post: Any) -> None:
    city_staff = make_member(Role.CONGRESS_STAFF, region=region("430100000000"))
    post = services.post_update(
        post=other_post, actor=city_staff, duty_kind="publicity", name="政策宣传一岗"
    )
    assert post.name == "政策宣传一岗"


# --- two requests racing past the checks: the constraints answer in Chinese ---------------------


def test_concurrent_twin_grid_is_refused_by_the_constraint(county_staff: Any, grid: Any) -> None:
    with patch("liaison.grids.services.grids._ensure_unique_name"):
        unchanged(
            lambda: services.grid_create(actor=county_staff, name=grid.name, region=grid.region),
            ValidationError,
            "该区划已有同名网格",
        )


def test_concurrent_twin_post_is_refused_by_the_constraint(county_staff: Any, post: Any) -> None:
    with patch("liaison.grids.services.posts._ensure_unique_name"):
        unchanged(
            lambda: services.post_create(
                actor=county_staff, grid=post.grid, duty_kind="patrol", name=post.name
            ),
            ValidationError,
            "该网格已有同名岗位",
        )


def test_concurrent_twin_assignment_is_refused_by_the_constraint(
    county_staff: Any, post: Any, county_deputy: Any
) -> None:
    services.post_assign(post=post, deputy=county_deputy, actor=county_staff, start=D(2025, 1, 1))
    with patch("liaison.grids.services.assignments._overlapping", return_value=None):
        unchanged(
            lambda: services.post_assign(
                post=post, deputy=county_deputy, actor=county_staff, start=D(2025, 2, 1)
            ),
            ValidationError,
            "已在该岗位任职，不能重复安排",
        )


def test_grid_description_has_a_limit(county_staff: Any, grid: Any) -> None:
    unchanged(
        lambda: services.grid_create(
            actor=county_staff, name="长说明网格", region=grid.region, description="长" * 2001
        ),
        ValidationError,
        "说明不能超过 2000 个字",
    )


def test_assignment_str_names_both_ends(post: Any) -> None:
    assignment = PostAssignmentFactory(post=post)
    assert str(assignment) == f"{assignment.deputy_id} @ {post.pk}"
    assert str(post) == post.name and str(post.grid) == post.grid.name
