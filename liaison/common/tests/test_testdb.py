"""The test database every worker copies (testdb.py) is complete: migrated, regions, no blocker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from liaison.audit.triggers import FLUSH_BLOCKERS, triggers_present
from liaison.common.tests.testdb import RUN_DIR_ENV
from liaison.regions.models import Region
from liaison.regions.tests.factories import HUNAN, YUELU

pytestmark = pytest.mark.django_db


def test_every_migration_on_disk_is_applied_in_the_copy() -> None:
    loader = MigrationLoader(connection)
    assert set(loader.disk_migrations) <= loader.applied_migrations.keys()


def test_the_regions_are_already_loaded() -> None:
    assert Region.objects.filter(code__in=[HUNAN, YUELU]).count() == 2


def test_only_the_flush_blocker_is_lifted() -> None:
    present = triggers_present(connection)
    assert FLUSH_BLOCKERS[connection.vendor] not in present
    assert present, "the other append-only triggers stay"


def test_the_run_directory_is_shared_with_the_workers() -> None:
    run_dir = os.environ.get(RUN_DIR_ENV)
    assert run_dir
    assert Path(run_dir).is_dir()
