"""Migration 0002: the old station-year zips' files are deleted from storage before their table
goes (decision 0044's follow-up); going back gives an empty table."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from liaison.common.tests.migrations import assert_files_go_with_the_table

BEFORE = ("archives", "0001_initial")
AFTER = ("archives", "0002_delete_stationyearexport")


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_old_station_year_zips_are_deleted_with_the_table(county_staff: Any, station: Any) -> None:
    def rows(StationYearExport: Any) -> list[str]:
        done = StationYearExport.objects.create(
            created_by_id=county_staff.pk, station_id=station.pk, year=2025, status="done"
        )
        done.file.save("station_year_test.zip", ContentFile(b"PK\x03\x04"), save=True)
        StationYearExport.objects.create(
            created_by_id=county_staff.pk, station_id=station.pk, year=2025
        )  # never built: no file
        return [done.file.name]

    assert_files_go_with_the_table(before=BEFORE, after=AFTER, model="StationYearExport", rows=rows)
