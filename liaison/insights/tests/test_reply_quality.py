"""Reply quality with the platform's calendar: working days counted per region, then the engine."""

from __future__ import annotations

import datetime

from liaison.insights.reply_quality import (
    FLAG_LABELS,
    assess_with_calendar,
    reply_working_days,
)
from liaison.nlp.reply_quality import FLAG_LATE, ReplyItem

MESSAGE = "岳麓区桃花小区门口路灯坏了两个月，晚上出行不便，请尽快修复桃花小区路灯。"
TITLE = "桃花小区路灯不亮"
GOOD = (
    "您好！您反映的桃花小区门口路灯不亮问题已收悉。经区城管局现场核查，该处两盏路灯因线路老化"
    "损坏，已于3月12日更换线路和灯具，目前桃花小区门口路灯已恢复正常照明。后续我局将加强巡查。"
)


def _item(**kw: object) -> ReplyItem:
    return ReplyItem(message=MESSAGE, title=TITLE, reply=GOOD, **kw)  # type: ignore[arg-type]


def test_late_after_the_working_day_limit_of_the_statutory_calendar() -> None:
    # 2024-03-01 (Friday) + 16 working days = 2024-03-25.
    start = datetime.date(2024, 3, 1)
    late, on_time, undated = assess_with_calendar(
        [
            _item(submitted_at=start, replied_at=datetime.date(2024, 3, 25)),
            _item(submitted_at=start, replied_at=datetime.date(2024, 3, 22)),
            _item(replied_at=datetime.date(2024, 3, 25)),
        ],
        calendar_overrides=False,
    )
    assert FLAG_LATE in late.flags
    assert late.working_days == 16
    assert FLAG_LATE not in on_time.flags
    assert FLAG_LATE not in undated.flags
    assert undated.working_days is None
    assert assess_with_calendar([]) == []


def test_working_days_skip_the_statutory_holidays() -> None:
    # The 2024 Spring Festival holiday ran 10–17 February; 4 and 18 February were make-up days.
    spring = _item(submitted_at=datetime.date(2024, 2, 8), replied_at=datetime.date(2024, 2, 19))
    assert reply_working_days([spring, _item()], overrides=False) == [3, None]


def test_every_flag_has_a_chinese_label() -> None:
    assert FLAG_LABELS[FLAG_LATE] == "答复超期"
    assert len(FLAG_LABELS) == 4
