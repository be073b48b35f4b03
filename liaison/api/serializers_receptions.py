"""Reception days in API v1: the public read (no personal data) and the staff writes' input."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from liaison.cases.intake_spec import MAX_CONTENT, MAX_TITLE
from liaison.cases.models import Kind
from liaison.receptions.models import DutyStatus, ReceptionDay
from liaison.receptions.services.common import MAX_VISITORS


class ReceptionDaySerializer(serializers.ModelSerializer[ReceptionDay]):
    station_code = serializers.CharField(source="station.code")
    station_name = serializers.CharField(source="station.name")
    deputies = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "station_code",
            "station_name",
            "date",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "deputies",
        ]

    def get_deputies(self, obj: ReceptionDay) -> list[str]:
        """The names of the deputies on duty (public: they are on the station page too)."""
        duties: list[Any] = getattr(obj, "on_duty", None) or [
            d for d in obj.duties.all() if d.status == DutyStatus.ON_DUTY
        ]
        return [d.deputy.name for d in duties]


class ReceptionDayInSerializer(serializers.Serializer[dict[str, Any]]):
    station_code = serializers.CharField(max_length=12)
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    place = serializers.CharField(max_length=200)


class ReceptionItemInSerializer(serializers.Serializer[dict[str, Any]]):
    title = serializers.CharField(max_length=MAX_TITLE)
    content = serializers.CharField(max_length=MAX_CONTENT)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.SUGGESTION)
    deputy_code = serializers.CharField(max_length=12, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(default=False)


class ReceptionRecordInSerializer(serializers.Serializer[dict[str, Any]]):
    visitor_count = serializers.IntegerField(min_value=0, max_value=MAX_VISITORS)
    minutes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    present = serializers.ListField(
        child=serializers.CharField(max_length=12), required=False, default=list
    )
    items = ReceptionItemInSerializer(many=True, required=False, default=list)


class ReceptionRecordOutSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    visitor_count = serializers.IntegerField()
    cases = serializers.ListField(child=serializers.CharField())
