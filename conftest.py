"""Personas shared by every app's tests.

Scopes use real Hunan codes: the county staff work for 岳麓区, the other county's for 长沙县.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.common.tests.testdb import databases_setup, run_dir_create, run_dir_remove
from liaison.regions.tests.factories import (
    CHANGSHA_COUNTY,
    HUNAN,
    YUELU,
    ensure_regions,
    region,
)


def pytest_configure(config: pytest.Config) -> None:
    # The controller (or the only process) makes the directory the workers build the database in.
    if not hasattr(config, "workerinput"):
        run_dir_create()


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    from pytest_django.plugin import blocking_manager_key

    # pytest-django blocks database access outside fixtures; dropping the PostgreSQL template
    # needs it once more.
    with config.stash[blocking_manager_key].unblock():
        run_dir_remove()


def _database_prepare() -> None:
    """What every test database holds beyond the migrations; runs once per run (testdb.py)."""
    from django.db import connection

    from liaison.common.append_only import append_only_models, triggers_of

    ensure_regions()
    # Django's flush between transactional tests DELETEs (SQLite) or TRUNCATEs (PostgreSQL)
    # every table; only the test database lets that through the append-only tables, the audit
    # trail and the event tables (the one trigger of each that refuses it is dropped here;
    # docs/security.md, "Audit trail and keys"; decision 0012).
    for model in append_only_models():
        triggers_of(model).flush_blocker_lift(connection)


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_keepdb: bool,
    django_db_use_migrations: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """The test database, built once per run and copied into each worker (testdb.py).

    `--reuse-db` and `--no-migrations` keep pytest-django's own way, one build per worker.
    """
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        if django_db_keepdb or not django_db_use_migrations:
            if not django_db_use_migrations:
                from pytest_django.fixtures import _disable_migrations

                _disable_migrations()
            config = setup_databases(
                verbosity=verbosity, interactive=False, keepdb=django_db_keepdb
            )
            _database_prepare()
        else:
            config = databases_setup(prepare=_database_prepare, verbosity=verbosity)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


@pytest.fixture(autouse=True)
def _similar_index_forgotten() -> None:
    """Each test starts without the per-process similar-case indexes: they remember the highest
    case id seen, and a rolled-back test hands the same ids out again."""
    from liaison.cases.similar import clear_cache

    clear_cache()


@pytest.fixture
def hunan(db: Any) -> None:
    """Make sure the regions are loaded (transactional tests flush them)."""
    ensure_regions()


@pytest.fixture
def yuelu(hunan: None) -> Any:
    return region(YUELU)


@pytest.fixture
def changsha_county(hunan: None) -> Any:
    return region(CHANGSHA_COUNTY)


@pytest.fixture
def county_staff(yuelu: Any) -> User:
    return make_member(Role.CONGRESS_STAFF, region=yuelu, username="county_staff")


@pytest.fixture
def other_county_staff(changsha_county: Any) -> User:
    return make_member(Role.CONGRESS_STAFF, region=changsha_county, username="other_county_staff")


@pytest.fixture
def system_admin(yuelu: Any) -> User:
    return make_member(Role.SYSTEM_ADMIN, region=yuelu, username="system_admin")


@pytest.fixture
def security_admin(yuelu: Any) -> User:
    return make_member(Role.SECURITY_ADMIN, region=yuelu, username="security_admin")


@pytest.fixture
def auditor(yuelu: Any) -> User:
    return make_member(Role.AUDITOR, region=yuelu, username="auditor")


@pytest.fixture
def platform_admin(hunan: None) -> User:
    """A system administrator over the whole province: the national rows are theirs."""
    return make_member(Role.SYSTEM_ADMIN, region=region(HUNAN), username="platform_admin")


def login_client(user: User) -> Client:
    """A client logged in with both factors (the OTP step is marked as passed)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="default", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def as_user() -> Any:
    """`as_user(user)` → a logged-in test client with the second factor passed."""
    return login_client


@pytest.fixture
def station(yuelu: Any) -> Any:
    """A fixed station in 岳麓街道 (岳麓区)."""
    from liaison.stations.tests.factories import StationFactory

    return StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")


@pytest.fixture
def other_station(changsha_county: Any) -> Any:
    """A station in 长沙县, outside 岳麓区."""
    from liaison.stations.tests.factories import StationFactory

    return StationFactory(name="星沙街道人大代表联络站", region_id="430121001000")


@pytest.fixture
def station_officer(station: Any) -> User:
    return make_member(Role.LIAISON_OFFICER, station=station, username="station_officer")


@pytest.fixture
def station_head(station: Any) -> User:
    return make_member(Role.STATION_HEAD, station=station, username="station_head")


@pytest.fixture
def deputy_user(station: Any) -> User:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    user = make_member(Role.DEPUTY, station=station, username="deputy")
    deputy = DeputyFactory(user=user, name="张代表")
    StationDeputyFactory(station=station, deputy=deputy)
    return user


from liaison.common.tests.browser import (  # noqa: E402,F401
    browser,
    csp_guard,
    desktop,
    live_server,
    phone,
)
