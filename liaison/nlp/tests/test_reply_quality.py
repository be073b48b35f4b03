"""Reply quality flags on crafted replies, and a sanity check on the real replies.

The engine counts no calendar: these tests pass the working days in (the calendar's count is
tested with the platform, liaison/insights/tests/test_reply_quality.py)."""

from __future__ import annotations

import csv
import datetime

import pytest

from liaison.nlp.reply_quality import (
    FLAG_BOILERPLATE,
    FLAG_IRRELEVANT,
    FLAG_LATE,
    FLAG_TOO_SHORT,
    ReplyItem,
    assess_replies,
    assess_reply,
    reply_reference,
    summarize,
)
from liaison.nlp.tests.shared import shared_file

MESSAGE = "岳麓区桃花小区门口路灯坏了两个月，晚上出行不便，请尽快修复桃花小区路灯。"
TITLE = "桃花小区路灯不亮"
GOOD = (
    "您好！您反映的桃花小区门口路灯不亮问题已收悉。经区城管局现场核查，该处两盏路灯因线路老化"
    "损坏，已于3月12日更换线路和灯具，目前桃花小区门口路灯已恢复正常照明。后续我局将加强巡查。"
)
OTHERS = [
    ReplyItem(message="学校门口早晚高峰拥堵，建议增设交通协管员。", title="学校门口拥堵",
              reply="经交警大队调研，已在上下学时段安排两名协管员值守学校门口路口，拥堵明显缓解。"),
    ReplyItem(message="菜市场周边噪音扰民，凌晨卸货声音很大。", title="菜市场凌晨卸货噪音",
              reply="市场管理方已调整卸货时间至早上六点以后，并在卸货区铺设减噪垫，请继续监督。"),
]  # fmt: skip


def _one(reply: str, days: int | None = None, **kw: object) -> object:
    item = ReplyItem(message=MESSAGE, title=TITLE, reply=reply, **kw)  # type: ignore[arg-type]
    return assess_replies([item, *OTHERS], working_days=[days, None, None])[0]


def test_a_full_answer_has_no_flag_and_a_high_score() -> None:
    result = _one(GOOD)
    assert result.flags == ()
    assert result.score >= 80


@pytest.mark.parametrize(
    "reply",
    ["已收悉", "网友：您好！留言已收悉", "您好，您反映的问题已转有关部门调查处理，感谢您的关注。"],
)
def test_acknowledgements_are_boilerplate_and_too_short(reply: str) -> None:
    result = _one(reply)
    assert FLAG_BOILERPLATE in result.flags
    assert FLAG_TOO_SHORT in result.flags
    assert result.score <= 40


def test_a_short_reply_about_something_else_does_not_address_the_question() -> None:
    result = _one("关于公积金贷款的额度，请按现行政策执行，具体额度以审批结果为准。")
    assert FLAG_IRRELEVANT in result.flags
    assert FLAG_BOILERPLATE not in result.flags


def test_echoing_the_title_does_not_make_a_reply_relevant() -> None:
    result = _one(f"关于您反映的“{TITLE}”，已转有关部门调查处理。")
    assert FLAG_BOILERPLATE in result.flags


def test_late_after_the_working_day_limit_and_never_without_dates() -> None:
    dates = {"submitted_at": datetime.date(2024, 3, 1), "replied_at": datetime.date(2024, 3, 25)}
    late = _one(GOOD, days=16, **dates)
    assert FLAG_LATE in late.flags
    assert late.working_days == 16
    assert FLAG_LATE not in _one(GOOD, days=15, **dates).flags
    assert FLAG_LATE not in _one(GOOD, replied_at=datetime.date(2024, 3, 25)).flags
    past_due = _one(GOOD, replied_at=datetime.date(2024, 3, 5), due=datetime.date(2024, 3, 4))
    assert FLAG_LATE in past_due.flags


def test_lateness_costs_timeliness_points_and_a_lone_reply_is_assessed() -> None:
    dates = {"submitted_at": datetime.date(2024, 3, 1), "replied_at": datetime.date(2024, 4, 1)}
    on_time, late = _one(GOOD, days=15, **dates), _one(GOOD, days=18, **dates)
    assert on_time.score - late.score == 6  # 2 points a working day past the limit
    alone = assess_reply(ReplyItem(message=MESSAGE, title=TITLE, reply="已收悉"), working_days=3)
    assert FLAG_TOO_SHORT in alone.flags
    assert alone.working_days == 3


def test_summary_counts_flags_and_averages_scores() -> None:
    items = [ReplyItem(message=MESSAGE, title=TITLE, reply=r) for r in (GOOD, "已收悉")]
    summary = summarize(assess_replies([*items, *OTHERS])[:2])
    assert summary.replies == 2
    assert summary.boilerplate == 1
    assert summary.too_short == 1
    assert summary.mean_score is not None
    assert 40 < summary.mean_score < 80


def test_empty_and_huge_input_do_not_crash() -> None:
    assert assess_replies([]) == []
    result = _one("回" * 50000)
    assert 0 <= result.score <= 100


def test_flags_on_the_real_replies_are_plausible() -> None:
    path = shared_file("teddy2020", "replies.csv")
    if not path.is_file():
        pytest.skip(f"real data not available at {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))[:600]
    items = [ReplyItem(message=r["detail"], title=r["title"], reply=r["reply"]) for r in rows]
    results = assess_replies(items)
    acks = [a for r, a in zip(rows, results, strict=True) if r["reply"].strip() == "已收悉"]
    assert all(FLAG_BOILERPLATE in a.flags for a in acks)
    long_answers = [a for r, a in zip(rows, results, strict=True) if len(r["reply"]) > 400]
    flagged = sum(1 for a in long_answers if FLAG_BOILERPLATE in a.flags)
    assert flagged <= 0.05 * len(long_answers)
    share = sum(1 for a in results if set(a.flags) - {FLAG_LATE}) / len(results)
    assert 0.03 < share < 0.5


def test_a_reference_gives_the_scores_of_the_batch_it_was_built_from() -> None:
    items = [
        ReplyItem(message=f"第{i}号楼电梯经常停运困人，请检修。", title=f"{i}号楼电梯故障",
                  reply=f"经检查，{i}号楼电梯控制柜故障，已更换主板并完成安全检测，恢复运行。",
                  key=i)
        for i in range(30)
    ]  # fmt: skip
    batch = assess_replies(items)
    reference = reply_reference(items)
    alone = [assess_replies([item], reference=reference)[0] for item in items[:5]]
    assert [a.score for a in alone] == [b.score for b in batch[:5]]
    assert [a.flags for a in alone] == [b.flags for b in batch[:5]]
