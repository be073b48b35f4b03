"""API v1 for reception days: published ones for anyone, a scoped one-off day and a record for
staff. Reads come from the receptions selectors, writes go through its services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.accounts.capabilities import Capability, has_capability
from liaison.api.serializers_receptions import (
    ReceptionDayInSerializer,
    ReceptionDaySerializer,
    ReceptionRecordInSerializer,
    ReceptionRecordOutSerializer,
)
from liaison.api.views import is_staff_request
from liaison.deputies.models import Deputy
from liaison.receptions import public, selectors
from liaison.receptions.models import ReceptionDay
from liaison.receptions.services.days import day_create
from liaison.receptions.services.records import ItemInput, reception_record


def _service_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError({k: [str(m) for m in v] for k, v in error.message_dict.items()})
    return ValidationError({"non_field_errors": error.messages})


def _date_param(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: "日期格式应为 2026-05-06"}) from None


@extend_schema_view(
    list=extend_schema(
        summary="代表接待日列表（匿名：已公告的接待日；工作人员：本辖区）",
        parameters=[
            OpenApiParameter("station", OpenApiTypes.STR, description="联络站站点码"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="起始日期（默认今天）"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期"),
        ],
    ),
    retrieve=extend_schema(summary="代表接待日详情"),
    create=extend_schema(
        summary="新增单次接待日（工作人员，本辖区站点）",
        request=ReceptionDayInSerializer,
        responses={201: ReceptionDaySerializer},
    ),
)
class ReceptionDayViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ReceptionDay],
):
    serializer_class = ReceptionDaySerializer

    def _staff(self, capability: Capability) -> bool:
        return is_staff_request(self.request) and has_capability(self.request.user, capability)

    def get_queryset(self) -> QuerySet[ReceptionDay]:
        today = timezone.localdate()
        if self._staff(Capability.VIEW_RECEPTIONS):
            days = selectors.days_visible_to(self.request.user)
        else:
            days = public.days_published(today)
        first = _date_param(self.request, "from") or (today if self.action == "list" else None)
        last = _date_param(self.request, "to")
        if first is not None:
            days = days.filter(date__gte=first)
        if last is not None:
            days = days.filter(date__lte=last)
        code = self.request.query_params.get("station", "").strip().upper()
        if code:
            days = days.filter(station__code=code)
        return selectors.with_rota(days).order_by("starts_at", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not self._staff(Capability.SCHEDULE_RECEPTIONS):
            raise PermissionDenied
        incoming = ReceptionDayInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        station = (
            selectors.stations_for(request.user, Capability.SCHEDULE_RECEPTIONS)
            .filter(code=data["station_code"].upper())
            .first()
        )
        if station is None:
            raise ValidationError({"station_code": ["该联络站不在您的辖区"]})
        try:
            day = day_create(
                station=station,
                actor=request.user,  # type: ignore[arg-type]
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                place=data["place"],
            )
        except DjangoValidationError as error:
            raise _service_error(error) from None
        out = ReceptionDaySerializer(
            selectors.with_rota(ReceptionDay.objects.filter(pk=day.pk)).get()
        )
        return Response(out.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="填写接待记录（工作人员），反映事项转为民意件",
        request=ReceptionRecordInSerializer,
        responses={201: ReceptionRecordOutSerializer},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        if not self._staff(Capability.RECORD_RECEPTIONS):
            raise PermissionDenied
        day = selectors.day_get_for_user(request.user, int(pk or 0))
        incoming = ReceptionRecordInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        codes = {c.upper() for c in data["present"]} | {
            i["deputy_code"].upper() for i in data["items"] if i.get("deputy_code")
        }
        deputies = {d.code: d.pk for d in Deputy.objects.filter(code__in=codes)}
        unknown = codes - set(deputies)
        if unknown:
            raise ValidationError({"present": [f"代表码不存在：{', '.join(sorted(unknown))}"]})
        items = [
            ItemInput(
                title=i["title"],
                content=i["content"],
                kind=i["kind"],
                deputy_id=deputies[i["deputy_code"].upper()] if i.get("deputy_code") else None,
                contact_name=i.get("contact_name", ""),
                contact_phone=i.get("contact_phone", ""),
                is_anonymous=i["is_anonymous"],
            )
            for i in data["items"]
        ]
        try:
            record = reception_record(
                day=day,
                actor=request.user,  # type: ignore[arg-type]
                visitor_count=data["visitor_count"],
                minutes=data.get("minutes", ""),
                present_deputy_ids=[deputies[c.upper()] for c in data["present"]],
                items=items,
            )
        except DjangoValidationError as error:
            raise _service_error(error) from None
        codes_out = [i.case.tracking_code for i in record.items.select_related("case")]
        body = {"id": record.pk, "visitor_count": record.visitor_count, "cases": codes_out}
        return Response(ReceptionRecordOutSerializer(body).data, status=status.HTTP_201_CREATED)
