"""Memberships name their station or unit by value instead of by foreign key (decision 0024).

The copies (path, unit id, region, name) are filled from the old keys before the keys go, and
put back from them on the way down.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def _forward(apps: Any, schema_editor: Any) -> None:
    membership_model = apps.get_model("accounts", "Membership")
    for m in membership_model.objects.select_related("station", "unit"):
        if m.station_id:
            m.kind, m.station_path = "station", m.station.path
            m.region_id, m.target_name = m.station.region_id, m.station.name
        elif m.unit_id:
            m.kind, m.unit_ref = "unit", m.unit_id
            m.region_id, m.target_name = m.unit.region_id, m.unit.name
        else:
            m.kind = "region"
        m.save(update_fields=["kind", "station_path", "unit_ref", "region", "target_name"])


def _backward(apps: Any, schema_editor: Any) -> None:
    membership_model = apps.get_model("accounts", "Membership")
    station_model = apps.get_model("stations", "Station")
    stations = dict(station_model.objects.values_list("path", "pk"))
    for m in membership_model.objects.all():
        if m.kind == "station":
            m.station_id, m.region_id = stations[m.station_path], None
        elif m.kind == "unit":
            m.unit_id, m.region_id = m.unit_ref, None
        m.save(update_fields=["station", "unit", "region"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_login_security"),
        ("regions", "0001_initial"),
        ("stations", "0002_station_status_reason"),
        ("units", "0002_routingrule_category_in_taxonomy"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="membership", name="membership_one_scope"),
        migrations.RemoveConstraint(model_name="membership", name="membership_unique_scope"),
        migrations.AddField(
            model_name="membership",
            name="kind",
            field=models.CharField(
                choices=[("region", "辖区"), ("station", "联络站"), ("unit", "承办单位")],
                default="region",
                max_length=10,
                verbose_name="范围类型",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="station_path",
            field=models.CharField(
                blank=True, db_index=True, max_length=255, verbose_name="联络站路径"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="unit_ref",
            field=models.PositiveIntegerField(
                blank=True, db_index=True, null=True, verbose_name="承办单位编号"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="target_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="范围名称"),
        ),
        migrations.RunPython(_forward, _backward),
        migrations.RemoveField(model_name="membership", name="station"),
        migrations.RemoveField(model_name="membership", name="unit"),
        migrations.AlterField(
            model_name="membership",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="辖区",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=(Q(kind="region") & Q(station_path="") & Q(unit_ref__isnull=True))
                | (Q(kind="station") & ~Q(station_path="") & Q(unit_ref__isnull=True))
                | (Q(kind="unit") & Q(station_path="") & Q(unit_ref__isnull=False)),
                name="membership_one_scope",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=Q(kind="region"),
                fields=("user", "role", "region"),
                name="membership_unique_region",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=Q(kind="station"),
                fields=("user", "role", "station_path"),
                name="membership_unique_station",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=Q(kind="unit"),
                fields=("user", "role", "unit_ref"),
                name="membership_unique_unit",
            ),
        ),
    ]
