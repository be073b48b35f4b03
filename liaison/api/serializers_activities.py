"""Representations of duty activities for API v1: public fields only (no participants' names
for anonymous callers), and the parsed input of the staff writes (serializers never write)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from liaison.activities.models import Activity, CourseKind, Status
from liaison.activities.rules import kind_label


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    station_code = serializers.CharField(source="station.code")
    station_name = serializers.CharField(source="station.name")
    date = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices)

    class Meta:
        model = Activity
        fields = [
            "id", "station_code", "station_name", "date", "starts_at", "ends_at", "kind",
            "kind_label", "title", "place", "status",
        ]  # fmt: skip

    def get_date(self, activity: Activity) -> str:
        return timezone.localtime(activity.starts_at).date().isoformat()

    def get_kind_label(self, activity: Activity) -> str:
        return kind_label(activity.kind)


class ActivityInSerializer(serializers.Serializer[Any]):
    station = serializers.CharField(max_length=12, help_text="联络站站点码")
    kind = serializers.CharField(max_length=24, help_text="活动类型代码，如 research")
    title = serializers.CharField(max_length=100)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    organiser = serializers.CharField(max_length=100)
    agenda = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    invited = serializers.ListField(
        child=serializers.CharField(max_length=12), required=False, help_text="受邀代表的代表码"
    )
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    course_kind = serializers.ChoiceField(choices=CourseKind.choices, required=False)


class RecordInSerializer(serializers.Serializer[Any]):
    attended = serializers.ListField(
        child=serializers.CharField(max_length=12), help_text="实际参加代表的代表码"
    )
    findings = serializers.CharField(max_length=5000)
    problems_solved = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    suggestions = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)
