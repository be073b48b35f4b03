"""API v1 read endpoints. Anonymous callers see the public face; staff see their jurisdiction.

Every queryset comes from the owning app's selectors, so the API and the pages share one scope.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotAuthenticated, ValidationError

from liaison.accounts.decorators import needs_second_factor
from liaison.api.serializers import (
    DeputySerializer,
    GridSerializer,
    RegionSerializer,
    StationSerializer,
)
from liaison.deputies import selectors as deputy_selectors
from liaison.deputies.models import Deputy
from liaison.grids import selectors as grid_selectors
from liaison.grids.duty_kinds import DutyKindNames
from liaison.grids.models import Grid
from liaison.regions.importing import normalize_code
from liaison.regions.models import Level, Region
from liaison.regions.selectors import region_subtree_q
from liaison.stations import selectors as station_selectors
from liaison.stations.models import Station


def is_staff_request(request: Any) -> bool:

    user = request.user
    return bool(user.is_authenticated and not needs_second_factor(user))


def region_param(request: Any) -> Region | None:
    raw = request.query_params.get("region", "").strip()
    if not raw:
        return None
    code = normalize_code(raw)
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        raise ValidationError({"region": f"区划代码不存在：{raw}"})
    return region


REGION_PARAM = OpenApiParameter(
    "region", OpenApiTypes.STR, description="区划代码（简写或 12 位），返回该区划及其下级的数据"
)
SEARCH_PARAM = OpenApiParameter("q", OpenApiTypes.STR, description="按名称搜索")


@extend_schema_view(
    list=extend_schema(
        summary="行政区划列表",
        parameters=[
            OpenApiParameter("parent", OpenApiTypes.STR, description="上级区划代码；省级为空"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values),
            SEARCH_PARAM,
        ],
    ),
    retrieve=extend_schema(summary="行政区划详情"),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Region]:
        qs = Region.objects.all()
        params = self.request.query_params
        if "parent" in params:
            parent = normalize_code(params["parent"]) if params["parent"] else None
            if params["parent"] and parent is None:
                raise ValidationError({"parent": "区划代码格式不正确"})
            qs = qs.filter(parent_id=parent)
        level = params.get("level")
        if level:
            if level not in Level.values:
                raise ValidationError({"level": "级别取值：" + ", ".join(Level.values)})
            qs = qs.filter(level=level)
        if params.get("q"):
            qs = qs.filter(name__contains=params["q"].strip())
        return qs.order_by("code")

    def get_object(self) -> Region:
        code = normalize_code(self.kwargs["code"]) or ""
        self.kwargs["code"] = code
        region: Region = super().get_object()
        return region


@extend_schema_view(
    list=extend_schema(
        summary="联络站列表（匿名：公开站点；工作人员：本辖区）",
        parameters=[REGION_PARAM, SEARCH_PARAM],
    ),
    retrieve=extend_schema(summary="联络站详情"),
)
class StationViewSet(viewsets.ReadOnlyModelViewSet[Station]):
    serializer_class = StationSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Station]:
        if is_staff_request(self.request):
            qs = station_selectors.stations_visible_to(self.request.user)
        else:
            qs = station_selectors.stations_public()
        region = region_param(self.request)
        if region is not None:
            qs = qs.filter(region_subtree_q(region, "region_id"))
        if self.request.query_params.get("q"):
            qs = qs.filter(name__contains=self.request.query_params["q"].strip())
        return qs.select_related("region", "parent").order_by("region_id", "name", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="代表列表（匿名：在任代表公开信息；工作人员：本辖区）",
        parameters=[REGION_PARAM, SEARCH_PARAM],
    ),
    retrieve=extend_schema(summary="代表详情（公开信息）"),
)
class DeputyViewSet(viewsets.ReadOnlyModelViewSet[Deputy]):
    serializer_class = DeputySerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Deputy]:
        if is_staff_request(self.request):
            qs = deputy_selectors.deputies_visible_to(self.request.user)
        else:
            qs = deputy_selectors.deputies_public()
        region = region_param(self.request)
        if region is not None:
            qs = qs.filter(region_subtree_q(region, "home_region_id"))
        if self.request.query_params.get("q"):
            qs = qs.filter(name__contains=self.request.query_params["q"].strip())
        return qs.prefetch_related("seats__congress").order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="网格列表（仅工作人员：本辖区启用的网格、岗位及今日在岗代表）",
        parameters=[
            REGION_PARAM,
            SEARCH_PARAM,
            OpenApiParameter(
                "duty_kind", OpenApiTypes.STR, description="只含有该职责类型岗位的网格"
            ),
        ],
    ),
    retrieve=extend_schema(summary="网格详情（岗位及今日在岗代表）"),
)
class GridViewSet(viewsets.ReadOnlyModelViewSet[Grid]):
    """Grids are not public: anonymous callers are refused, staff see their scope."""

    serializer_class = GridSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "duty_kind_names": DutyKindNames()}

    def get_queryset(self) -> QuerySet[Grid]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Grid.objects.none()
        if not is_staff_request(self.request):
            raise NotAuthenticated("网格岗位信息仅向登录的工作人员提供")
        qs = grid_selectors.grids_for_api(self.request.user)
        region = region_param(self.request)
        if region is not None:
            qs = qs.filter(region_subtree_q(region, "region_id"))
        params = self.request.query_params
        if params.get("q"):
            qs = qs.filter(name__contains=params["q"].strip())
        if params.get("duty_kind"):
            qs = qs.filter(posts__duty_kind=params["duty_kind"], posts__is_active=True).distinct()
        return qs
