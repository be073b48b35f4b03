"""API v1 of duty activities. Anonymous callers read verified activities of open stations;
staff read their jurisdiction and plan or record through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.accounts.models import User
from liaison.activities import selectors, services
from liaison.activities.models import Activity
from liaison.activities.selectors_public import activities_public
from liaison.activities.services import ActivityConflict
from liaison.api.serializers_activities import (
    ActivityInSerializer,
    ActivitySerializer,
    RecordInSerializer,
)
from liaison.api.views import REGION_PARAM, is_staff_request, region_param
from liaison.deputies.models import Deputy
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station
from liaison.workflow.table import TransitionNotAllowed


def _staff(request: Request) -> User:
    if not is_staff_request(request):
        raise NotAuthenticated("请先登录工作台。")
    user = request.user
    assert isinstance(user, User)
    return user


def _deputies(codes: list[str]) -> list[Deputy]:
    found = list(Deputy.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {d.code for d in found})
    if missing:
        raise ValidationError({"deputies": f"代表码不存在：{'、'.join(missing)}"})
    return found


def _run(call: Any) -> Activity:
    """Service errors as API answers: 400 with the Chinese message, 403, 409."""
    try:
        result: Activity = call()
    except DjangoValidationError as error:
        raise ValidationError({"detail": "；".join(error.messages)}) from None
    except (DjangoPermissionDenied, TransitionNotAllowed) as error:
        raise PermissionDenied(str(error) or "您无权进行此操作。") from None
    except ActivityConflict as error:
        raise ValidationError({"version": str(error)}) from None
    return result


@extend_schema_view(
    list=extend_schema(
        summary="履职活动列表（匿名：已核实的公开活动；工作人员：本辖区全部）",
        parameters=[
            REGION_PARAM,
            OpenApiParameter("station", OpenApiTypes.STR, description="联络站站点码"),
            OpenApiParameter("kind", OpenApiTypes.STR, description="活动类型代码"),
        ],
    ),
    retrieve=extend_schema(summary="履职活动详情"),
    create=extend_schema(
        summary="计划履职活动（工作人员）", request=ActivityInSerializer,
        responses={201: ActivitySerializer},
    ),
)  # fmt: skip
class ActivityViewSet(viewsets.GenericViewSet[Activity]):
    serializer_class = ActivitySerializer

    def get_queryset(self) -> QuerySet[Activity]:
        if is_staff_request(self.request):
            qs = selectors.activities_visible_to(self.request.user).select_related("station")
        else:
            qs = activities_public()
        region = region_param(self.request)
        if region is not None:
            qs = qs.filter(region_subtree_q(region, "region_id"))
        params = self.request.query_params
        if params.get("station"):
            qs = qs.filter(station__code=params["station"].strip().upper())
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"].strip())
        return qs.order_by("-starts_at", "-id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        activity = self.get_queryset().filter(pk=pk).first() if pk.isdigit() else None
        if activity is None:
            raise Http404
        return Response(self.get_serializer(activity).data)

    def create(self, request: Request) -> Response:
        user = _staff(request)
        parsed = ActivityInSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        station = Station.objects.filter(code=data.pop("station").strip().upper()).first()
        if station is None:
            raise ValidationError({"station": "站点码不存在。"})
        invited = _deputies(data.pop("invited", []))
        activity = _run(
            lambda: services.activity_plan(actor=user, station=station, invited=invited, **data)
        )
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记活动情况（工作人员；活动开始后）",
        request=RecordInSerializer,
        responses={200: ActivitySerializer},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        user = _staff(request)
        try:
            activity = selectors.activity_get_for_user(user, int(pk))
        except (Http404, ValueError):
            raise Http404 from None
        parsed = RecordInSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        attended = _deputies(data.pop("attended"))
        version = data.pop("version", None)
        recorded = _run(
            lambda: services.activity_record(
                activity=activity, actor=user, attended=attended, expected_version=version,
                **data,
            )
        )  # fmt: skip
        return Response(self.get_serializer(recorded).data)
