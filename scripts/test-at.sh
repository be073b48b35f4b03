#!/usr/bin/env bash
# The test suite with the clock set to another moment of Asia/Shanghai, through libfaketime
# (Debian: apt-get install faketime). Bugs that compute "today", a month or a year on the UTC date
# only show between 00:00 and 08:00 local time, or at a month's, a year's or a week's turn: run
# this around those moments before a release. A manual check: CI does not run it.
#
#   scripts/test-at.sh "2027-01-01 00:20" [pytest arguments, e.g. -n 2 liaison/activities]
#
# The clock starts at that local moment and ticks. Browser tests run too: Chromium itself keeps
# the real clock (libfaketime breaks its sandboxed processes; the pages compute no dates in
# JavaScript).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: scripts/test-at.sh 'YYYY-MM-DD HH:MM[:SS]' [pytest arguments]" >&2
  exit 2
fi
at="$1"
shift
[[ "$at" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}$ ]] && at="$at:00"
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1 || true)
if [ -z "$lib" ]; then
  echo "libfaketime not found: apt-get install faketime" >&2
  exit 2
fi
chromium=$(command -v chromium || command -v chromium-browser || true)
wrapper_dir=$(mktemp -d)
trap 'rm -rf "$wrapper_dir"' EXIT
if [ -n "$chromium" ]; then
  printf '#!/bin/sh\nunset LD_PRELOAD FAKETIME\nexec %q "$@"\n' "$chromium" \
    >"$wrapper_dir/chromium"
  chmod +x "$wrapper_dir/chromium"
  export CHROMIUM_PATH="$wrapper_dir/chromium"
fi
export DJANGO_SETTINGS_MODULE=config.settings_test
# TZ makes FAKETIME read as Shanghai time (the settings' TIME_ZONE). The monotonic clock stays
# real: Python's timed lock waits use it through a call libfaketime does not wrap, and a faked
# one makes every Event.wait(timeout) hang. The price is that time.sleep() fails with EINVAL
# (libfaketime's clock_nanosleep): the tests that sleep are left out below (the second-factor
# browser test; the lock-order tests, PostgreSQL only), and a test waiting on a slow child
# process may fail so.
export TZ=Asia/Shanghai FAKETIME="@$at" DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$lib"
# The similar-case index files are dated by the kernel's real clock and compared with the faked
# one: their tests cannot pass under libfaketime (they do not depend on the hour).
.venv/bin/pytest -p no:cacheprovider \
  --ignore=liaison/cases/tests/test_similar_index.py \
  --ignore=liaison/cases/tests/test_lock_order.py \
  --deselect=liaison/accounts/tests/test_browser.py::test_staff_login_with_second_factor_and_scoped_list \
  --deselect=liaison/workbench/tests/test_worker.py::test_the_worker_loop_builds_the_asked_counties_and_only_them \
  --deselect=liaison/workbench/tests/test_worker.py::test_worker_once_builds_the_asked_indexes \
  "$@"
