"""Migration 0003: the old register exports' files are deleted from storage before their table
goes (decision 0044's follow-up); going back gives an empty table."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from liaison.common.tests.migrations import migrate_to, migrate_to_latest

BEFORE = ("receptions", "0002_swap_event_append_only")
AFTER = ("receptions", "0003_delete_registerexport")


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_old_register_files_are_deleted_with_the_table(county_staff: Any) -> None:
    try:
        old = migrate_to(BEFORE)
        RegisterExport = old.get_model("receptions", "RegisterExport")
        done = RegisterExport.objects.create(
            created_by_id=county_staff.pk, region_id="430104000000", year=2025, status="done"
        )
        done.file.save("jiedai_dengjibu_test.xlsx", ContentFile(b"PK\x03\x04"), save=True)
        RegisterExport.objects.create(
            created_by_id=county_staff.pk, region_id="430104000000", year=2025
        )  # never built: no file
        name = done.file.name
        assert default_storage.exists(name)
        new = migrate_to(AFTER)
        assert not default_storage.exists(name)
        with pytest.raises(LookupError):
            new.get_model("receptions", "RegisterExport")
        back = migrate_to(BEFORE)
        assert not back.get_model("receptions", "RegisterExport").objects.exists()
    finally:
        migrate_to_latest("receptions")
