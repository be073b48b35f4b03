"""The report's hot topics are dated by the local day, like the month they are counted in."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine

from liaison.cases.tests.factories import CaseFactory
from liaison.reports.hot import hot_topics
from liaison.reports.models import MonthlyReport
from liaison.reports.tests.conftest import MONTH

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_a_topic_raised_right_after_local_midnight_starts_on_the_local_day(yuelu: Any) -> None:
    # 1 March 01:00 and 02:00 in Shanghai are still 28 February in UTC.
    for hour in (1, 2):
        moment = datetime.datetime(MONTH.year, 3, 1, hour, 0, tzinfo=SHANGHAI)
        with time_machine.travel(moment, tick=False):
            CaseFactory(title="枫林小区夜间施工噪音扰民", content="工地每晚施工到凌晨两点。")
    report = MonthlyReport(region=yuelu, month=MONTH)
    topics = hot_topics(report=report, month=MONTH)["topics"]
    assert [(t["size"], t["start"], t["end"]) for t in topics] == [(2, "2025-03-01", "2025-03-01")]
