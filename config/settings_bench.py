"""Settings of the server under benchmark (bench/bench_cases.py): the real settings, plus a bare
view to compare with (config/urls_bench.py) and the rate limiter off. Never used in production."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "config.urls_bench"
RATELIMIT_ENABLED = False
