"""Migration 0002: the old station-year zips' files are deleted from storage before their table
goes (decision 0044's follow-up); going back gives an empty table."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from liaison.common.tests.migrations import migrate_to, migrate_to_latest

BEFORE = ("archives", "0001_initial")
AFTER = ("archives", "0002_delete_stationyearexport")


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_old_station_year_zips_are_deleted_with_the_table(county_staff: Any, station: Any) -> None:
    try:
        old = migrate_to(BEFORE)
        StationYearExport = old.get_model("archives", "StationYearExport")
        done = StationYearExport.objects.create(
            created_by_id=county_staff.pk, station_id=station.pk, year=2025, status="done"
        )
        done.file.save("station_year_test.zip", ContentFile(b"PK\x03\x04"), save=True)
        StationYearExport.objects.create(
            created_by_id=county_staff.pk, station_id=station.pk, year=2025
        )  # never built: no file
        name = done.file.name
        assert default_storage.exists(name)
        new = migrate_to(AFTER)
        assert not default_storage.exists(name)
        with pytest.raises(LookupError):
            new.get_model("archives", "StationYearExport")
        back = migrate_to(BEFORE)
        assert not back.get_model("archives", "StationYearExport").objects.exists()
    finally:
        migrate_to_latest("archives")
