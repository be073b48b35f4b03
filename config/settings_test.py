"""Test overrides: fast hashing, throwaway media, predictable security settings."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("USE_TLS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "*")
# Tests never read a developer's var/field_key: one fixed key (rotation tests set their own).
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy0xMjM=")

from config.settings import *  # noqa: F403
from config.settings import DATABASES, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="liaison-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
REQUIRE_2FA = True
PUBLIC_BASE_URL = "http://testserver"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# Background tasks run inline in tests, so their effects can be asserted right away.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
    },
}
# Tests write settings and stations directly and read them back at once.
HOT_CACHE_SECONDS = 0
PUBLIC_PAGE_CACHE_SECONDS = 0
# The API's journal entries become cases in the request (test_journal.py tests the worker's way).
INTAKE_MOVE_INLINE = True
# The similar-case index is built in the request (a thread would not see the test database).
SIMILAR_INDEX_INLINE = True
# Tests of the worker's index files write them here, never into a developer's var/.
SIMILAR_INDEX_DIR = Path(tempfile.mkdtemp(prefix="liaison-test-similar-"))
# Throttles on, but far above what the suite sends from one address (test_input.py lowers them).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}
