"""Read-only representations for API v1. Private fields of deputies are never serialized."""

from __future__ import annotations

from rest_framework import serializers

from liaison.deputies.models import Deputy, Seat
from liaison.deputies.photos import deputy_photo_url
from liaison.grids.duty_kinds import DutyKindNames
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.regions.models import Region
from liaison.stations.models import Station


class RegionSerializer(serializers.ModelSerializer[Region]):
    parent_code = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent_code"]


class StationSerializer(serializers.ModelSerializer[Station]):
    region_code = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    parent_code = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Station
        fields = [
            "code",
            "name",
            "kind",
            "status",
            "region_code",
            "region_name",
            "parent_code",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "contact_phone",
            "theme",
            "public_url",
        ]

    def get_parent_code(self, obj: Station) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None

    def get_public_url(self, obj: Station) -> str:
        return f"/s/{obj.code}/"


class SeatSerializer(serializers.ModelSerializer[Seat]):
    congress_code = serializers.CharField(source="congress_id")
    congress_name = serializers.CharField(source="congress.name")

    class Meta:
        model = Seat
        fields = [
            "level",
            "congress_code",
            "congress_name",
            "term",
            "constituency",
            "starts_on",
            "ends_on",
        ]


class DeputySerializer(serializers.ModelSerializer[Deputy]):
    seats = SeatSerializer(many=True, read_only=True)
    public_url = serializers.SerializerMethodField()
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = Deputy
        fields = [
            "code",
            "name",
            "gender",
            "occupation",
            "affiliation",
            "bio",
            "public_contact",
            "photo_url",
            "seats",
            "public_url",
        ]

    def get_public_url(self, obj: Deputy) -> str:
        return f"/d/{obj.code}/"

    def get_photo_url(self, obj: Deputy) -> str | None:
        # MEDIA is not served: the portrait's own view (public for deputies in office).
        return deputy_photo_url(obj) or None


class PostHolderSerializer(serializers.ModelSerializer[PostAssignment]):
    deputy_code = serializers.CharField(source="deputy.code")
    deputy_name = serializers.CharField(source="deputy.name")

    class Meta:
        model = PostAssignment
        fields = ["deputy_code", "deputy_name", "starts_on", "ends_on"]


class PostSerializer(serializers.ModelSerializer[Post]):
    duty_kind_name = serializers.SerializerMethodField()
    deputies = PostHolderSerializer(many=True, read_only=True, source="holders")

    class Meta:
        model = Post
        fields = ["id", "name", "duty_kind", "duty_kind_name", "needed", "description", "deputies"]

    def get_duty_kind_name(self, obj: Post) -> str:
        # One reader per response (the view puts it in the context): a query per county.
        names = self.context.get("duty_kind_names")
        if not isinstance(names, DutyKindNames):
            names = DutyKindNames()
        return names.name(obj.duty_kind, obj.grid.region_id)


class GridSerializer(serializers.ModelSerializer[Grid]):
    """A grid with its active posts and the deputies on each today (staff only)."""

    region_code = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    station_code = serializers.SerializerMethodField()
    station_name = serializers.SerializerMethodField()
    posts = PostSerializer(many=True, read_only=True, source="active_posts")

    class Meta:
        model = Grid
        fields = [
            "id",
            "name",
            "region_code",
            "region_name",
            "station_code",
            "station_name",
            "description",
            "posts",
        ]

    def get_station_code(self, obj: Grid) -> str | None:
        return obj.station.code if obj.station else None

    def get_station_name(self, obj: Grid) -> str | None:
        return obj.station.name if obj.station else None
