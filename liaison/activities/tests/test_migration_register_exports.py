"""Migration 0005: the old register exports' files are deleted from storage before their table
goes (decision 0044's follow-up); going back gives an empty table."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from liaison.common.tests.migrations import assert_files_go_with_the_table

BEFORE = ("activities", "0004_training_gaps_indexes")
AFTER = ("activities", "0005_delete_registerexport")


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_old_register_files_are_deleted_with_the_table(county_staff: Any) -> None:
    def rows(RegisterExport: Any) -> list[str]:
        done = RegisterExport.objects.create(
            register="training", year=2025, region_id="430104000000",
            created_by_id=county_staff.pk, status="done",
        )  # fmt: skip
        done.file.save("training_taizhang_test.xlsx", ContentFile(b"PK\x03\x04"), save=True)
        RegisterExport.objects.create(
            register="activities", year=2025, created_by_id=county_staff.pk
        )  # never built: no file
        return [done.file.name]

    assert_files_go_with_the_table(before=BEFORE, after=AFTER, model="RegisterExport", rows=rows)
