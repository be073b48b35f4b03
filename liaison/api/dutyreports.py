"""API v1 for duty reports (代表述职), read-only: published reports for anyone (rating results
once the window closed, decision 0035), every report of the scope with live counts for staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from liaison.accounts.capabilities import Capability, has_capability
from liaison.api.views import is_staff_request
from liaison.dutyreports.models import DutyReport, Status
from liaison.dutyreports.public import results_public
from liaison.dutyreports.selectors import reports_visible_to, with_counts


class DutyReportSerializer(serializers.ModelSerializer[DutyReport]):
    deputy_code = serializers.CharField(source="deputy.code")
    deputy_name = serializers.CharField(source="deputy.name")
    station_code = serializers.CharField(source="station.code")
    station_name = serializers.CharField(source="station.name")
    results = serializers.SerializerMethodField()

    class Meta:
        model = DutyReport
        fields = [
            "id",
            "deputy_code",
            "deputy_name",
            "station_code",
            "station_name",
            "title",
            "starts_at",
            "place",
            "status",
            "rating_closes_at",
            "results",
        ]

    def get_results(self, obj: Any) -> dict[str, int] | None:
        """满意 / 基本满意 / 不满意 counts; for the public only after the window closed."""
        if not self.context.get("staff") and not results_public(obj):
            return None
        return {"satisfied": obj.satisfied, "basic": obj.basic, "unsatisfied": obj.unsatisfied}


@extend_schema_view(
    list=extend_schema(
        summary="代表述职列表（匿名：已公开的述职；工作人员：本辖区全部）",
        parameters=[
            OpenApiParameter("deputy", OpenApiTypes.STR, description="代表码"),
            OpenApiParameter("station", OpenApiTypes.STR, description="联络站站点码"),
        ],
    ),
    retrieve=extend_schema(summary="代表述职详情"),
)
class DutyReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[DutyReport]
):
    serializer_class = DutyReportSerializer

    def _staff(self) -> bool:
        return is_staff_request(self.request) and has_capability(
            self.request.user, Capability.VIEW_DUTY_REPORTS
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "staff": self._staff()}

    def get_queryset(self) -> QuerySet[DutyReport]:
        if self._staff():
            qs = reports_visible_to(self.request.user)
        else:
            qs = DutyReport.objects.filter(status=Status.PUBLISHED, deputy__is_active=True)
        for param, field in (("deputy", "deputy__code"), ("station", "station__code")):
            code = self.request.query_params.get(param, "").strip().upper()
            if code:
                qs = qs.filter(**{field: code})
        qs = qs.select_related("deputy", "station")
        return with_counts(qs).order_by("-starts_at", "-id")
