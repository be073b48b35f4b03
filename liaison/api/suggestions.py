"""API v1: deputies' suggestions. Staff read what their pages show (scope of the suggestions
app's selectors); anonymous callers read only the suggestions the deputy and the congress both
published, with their answers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from liaison.api.views import is_staff_request
from liaison.suggestions.models import Status, Suggestion
from liaison.suggestions.selectors import suggestions_visible_to

PUBLIC_STATUSES = (Status.ANSWERED, Status.CLOSED)


class SuggestionSerializer(serializers.ModelSerializer[Suggestion]):
    session = serializers.CharField(source="session.__str__", read_only=True)
    author = serializers.CharField(source="author.name", read_only=True)
    lead_unit = serializers.SerializerMethodField()
    number_label = serializers.CharField(read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "number_label",
            "session",
            "kind",
            "title",
            "author",
            "status",
            "submitted_at",
            "lead_unit",
            "answer_due",
            "answered_at",
            "grade",
            "answer",
            "rating",
            "is_priority",
        ]

    def get_lead_unit(self, obj: Suggestion) -> str | None:
        return obj.lead_unit.name if obj.lead_unit else None


@extend_schema_view(
    list=extend_schema(
        summary="代表建议列表",
        description="工作人员看到本辖区的建议；未登录时只返回代表和人大均同意公开的建议及答复。",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
            OpenApiParameter("session", OpenApiTypes.INT, description="会次编号"),
        ],
    ),
    retrieve=extend_schema(summary="代表建议详情"),
)
class SuggestionViewSet(viewsets.ReadOnlyModelViewSet[Suggestion]):
    serializer_class = SuggestionSerializer

    def get_queryset(self) -> QuerySet[Suggestion]:
        request: Any = self.request
        if is_staff_request(request):
            qs = suggestions_visible_to(request.user).exclude(status=Status.DRAFT)
        else:
            qs = Suggestion.objects.filter(
                deputy_allows_publication=True,
                congress_allows_publication=True,
                status__in=PUBLIC_STATUSES,
            )
        params = request.query_params
        status = params.get("status")
        if status:
            if status not in Status.values:
                raise ValidationError({"status": "状态取值：" + ", ".join(Status.values)})
            qs = qs.filter(status=status)
        session = params.get("session", "")
        if session:
            if not session.isdigit():
                raise ValidationError({"session": "会次编号应为整数"})
            qs = qs.filter(session_id=int(session))
        return qs.select_related("session__congress", "author", "lead_unit").order_by("-pk")
