"""The point rules: what each countable fact is worth where the deputy belongs, and the caps.

Every number is a jurisdiction setting with a documented example default (decision 0030); a
county or township changes only what it wants. `rule_values(region)` reads them once for a
region; `apply_rules` is pure: the same facts and values always give the same points, in the
same order, which is what lets the rebuild command compare its result with the ledger.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.registry import SettingDef, register
from liaison.jurisdiction.selectors import setting_value
from liaison.points.sources import Fact


class RuleKey(models.TextChoices):
    ACTIVITY = "activity", _("参加履职活动")  # a verified activity attended, by its kind
    TRAINING_HOUR = "training_hour", _("学习培训学时")  # per hour of verified training
    RECEPTION_DAY = "reception_day", _("参加接待日")  # an on-duty reception day attended
    RECEPTION_CASE = "reception_case", _("接待事项办结")  # a case taken at a reception, closed
    DUTY_REPORT = "duty_report", _("向选民述职")  # a duty report held (述职)
    SUGGESTION = "suggestion", _("提出代表建议")  # a suggestion accepted (立案), as lead
    ABSENCE = "absence", _("无故缺席活动")  # deduction per half day absent without leave
    RECEPTION_MISSED = "reception_missed", _("值班未到")  # deduction: on duty, did not come
    CORRECTION = "correction", _("人工更正")  # a staff correction with its reason


DEDUCTIONS: Final = frozenset({RuleKey.ABSENCE, RuleKey.RECEPTION_MISSED})


class Band(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    POOR = "poor", _("一般")


# Setting keys: one per number (the points of each rule, the caps, the bands).
POINTS_KEY: Final = {
    RuleKey.TRAINING_HOUR: "points_training_hour",
    RuleKey.RECEPTION_DAY: "points_reception_day",
    RuleKey.RECEPTION_CASE: "points_reception_case",
    RuleKey.DUTY_REPORT: "points_duty_report",
    RuleKey.SUGGESTION: "points_suggestion",
    RuleKey.ABSENCE: "points_absence_half_day",
    RuleKey.RECEPTION_MISSED: "points_reception_missed",
}
ACTIVITY_KINDS_KEY: Final = "points_activity_kinds"
ACTIVITY_OTHER_KEY: Final = "points_activity_other"
CAPS_KEY: Final = "points_caps"
BAND_GOOD_KEY: Final = "points_band_good"
BAND_FAIR_KEY: Final = "points_band_fair"
_GROUP: Final = _("履职积分")

# Example defaults (decision 0030): a deputy who attends four reception days, six activities,
# sixteen hours of training, reports once and files two suggestions reaches about 90.
_DEFAULT_POINTS: Final = {
    RuleKey.TRAINING_HOUR: (1, _("每学时积分"), _("已核实的学习培训，每学时计分。")),
    RuleKey.RECEPTION_DAY: (5, _("参加接待日"), _("值班代表到场参加一次接待日计分。")),
    RuleKey.RECEPTION_CASE: (
        2, _("接待事项办结"), _("接待日上由代表接待、转为民意的事项办结后，每件计分。"),
    ),
    RuleKey.DUTY_REPORT: (10, _("向选民述职"), _("每举行一次述职计分。")),
    RuleKey.SUGGESTION: (5, _("代表建议立案"), _("领衔提出的代表建议被立案后，每件计分。")),
    RuleKey.ABSENCE: (
        2, _("无故缺席活动（每半天扣分）"),
        _("受邀参加已核实的活动，未出席且未请假，每半天扣除的分数（活动时长每 4 小时计半天）。"),
    ),
    RuleKey.RECEPTION_MISSED: (
        5, _("值班未到（扣分）"), _("排班值班的接待日确认未到场，每次扣除的分数。"),
    ),
}  # fmt: skip
DEFAULT_ACTIVITY_POINTS: Final = {
    "research": 4, "inspection": 4, "law_check": 4, "budget_review": 4, "publicity": 2,
    "mediation": 3, "patrol": 2, "voter_contact": 3, "group": 2,
}  # fmt: skip
DEFAULT_CAPS: Final = [
    {"rule": "activity", "period": "quarter", "max": 20},
    {"rule": "training_hour", "period": "year", "max": 24},
    {"rule": "reception_case", "period": "quarter", "max": 10},
    {"rule": "suggestion", "period": "year", "max": 20},
    {"rule": "absence", "period": "year", "max": 20},
]
PERIODS: Final = {"quarter": _("每季度"), "year": _("每年")}
HALF_DAY_HOURS: Final = 4


def validate_activity_kinds(value: dict[str, Any]) -> None:
    for key, points in value.items():
        if not isinstance(key, str) or not key:
            raise ValidationError(gettext("活动类型代码不能为空。"), code="key")
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= 100:
            raise ValidationError(
                gettext("“%(key)s”的积分应为 0–100 的整数。"), code="points", params={"key": key}
            )


def validate_caps(items: list[Any]) -> None:
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or item.get("rule") not in RuleKey.values:
            raise ValidationError(
                gettext("第 %(i)d 项的 rule 应为积分规则代码之一，例如 activity。"),
                code="rule", params={"i": index},
            )  # fmt: skip
        if item.get("rule") == RuleKey.CORRECTION or item.get("period") not in PERIODS:
            raise ValidationError(
                gettext("第 %(i)d 项的 period 应为 quarter 或 year（人工更正不设上限）。"),
                code="period", params={"i": index},
            )  # fmt: skip
        cap = item.get("max")
        if isinstance(cap, bool) or not isinstance(cap, int) or not 0 <= cap <= 1000:
            raise ValidationError(
                gettext("第 %(i)d 项的 max 应为 0–1000 的整数。"), code="max", params={"i": index}
            )
        if (item["rule"], item["period"]) in seen:
            raise ValidationError(gettext("第 %(i)d 项重复。"), code="dup", params={"i": index})
        seen.add((item["rule"], item["period"]))


def _format_activity_kinds(value: dict[str, Any]) -> str:
    # Kind labels belong to the activities app above; the count and range say enough here.
    points = [int(v) for v in value.values()]
    if not points:
        return gettext("（均按“其他履职活动积分”计）")
    return gettext("已设 %(n)d 类活动，每次 %(low)d–%(high)d 分") % {
        "n": len(points), "low": min(points), "high": max(points),
    }  # fmt: skip


def _format_caps(value: list[Any]) -> str:
    parts = []
    for item in value:
        label = RuleKey(item["rule"]).label if item.get("rule") in RuleKey.values else "?"
        parts.append(f"{label}{PERIODS.get(item.get('period', ''), '')}≤{item.get('max')}")
    return "；".join(parts) or gettext("（不设上限）")


def _register() -> None:
    for rule, (default, label, help_text) in _DEFAULT_POINTS.items():
        register(
            SettingDef(
                key=POINTS_KEY[rule], label=label, type="int", default=default, min_value=0,
                max_value=100, unit=_("分"), group=_GROUP, help=help_text, feature="points",
            )
        )  # fmt: skip
    register(
        SettingDef(
            key=ACTIVITY_KINDS_KEY,
            label=_("各类履职活动积分"),
            type="json_dict",
            default=DEFAULT_ACTIVITY_POINTS,
            validator=validate_activity_kinds,
            formatter=_format_activity_kinds,
            group=_GROUP,
            help=_(
                "参加一次已核实活动的积分，按活动类型代码（如 research 调研）；学习培训按学时计。"
            ),
            feature="points",
        )
    )
    register(
        SettingDef(
            key=ACTIVITY_OTHER_KEY, label=_("其他履职活动积分"), type="int", default=2,
            min_value=0, max_value=100, unit=_("分"), group=_GROUP, feature="points",
            help=_("上表未列的活动类型（含本辖区增加的类型）参加一次的积分。"),
        )
    )  # fmt: skip
    register(
        SettingDef(
            key=CAPS_KEY,
            label=_("积分上限"),
            type="json_list",
            default=DEFAULT_CAPS,
            validator=validate_caps,
            formatter=_format_caps,
            group=_GROUP,
            help=_(
                "每项：rule（规则代码）、period（quarter 每季度 / year 每年）、max（该期间该规则"
                "最多计入的分数；扣分项为最多扣除的分数）。同一期间按日期先后计入，超出部分不计。"
            ),
            feature="points",
        )
    )
    for key, default, label in (
        (BAND_GOOD_KEY, 80, _("积分等次：好（不低于）")),
        (BAND_FAIR_KEY, 60, _("积分等次：较好（不低于）")),
    ):
        register(
            SettingDef(
                key=key, label=label, type="int", default=default, min_value=0,
                max_value=1000, unit=_("分"), group=_GROUP, feature="points",
                help=_("年度积分达到此分数的代表列入该等次；低于“较好”的为“一般”。"),
            )
        )  # fmt: skip


_register()


@dataclass(frozen=True)
class RuleValues:
    """The numbers in force for one region, read once."""

    points: Mapping[str, int]
    activity_kinds: Mapping[str, int]
    activity_other: int
    caps: tuple[tuple[str, str, int], ...]  # (rule, period, max)
    band_good: int
    band_fair: int

    def raw(self, fact: Fact) -> Decimal:
        """The fact's points before caps; negative for a deduction."""
        if fact.rule == RuleKey.ACTIVITY:
            unit = self.activity_kinds.get(fact.detail, self.activity_other)
        else:
            unit = self.points.get(fact.rule, 0)
        value = Decimal(unit) * fact.quantity
        return -value if fact.rule in DEDUCTIONS else value

    def band(self, total: Decimal) -> Band:
        if total >= self.band_good:
            return Band.GOOD
        return Band.FAIR if total >= self.band_fair else Band.POOR


def rule_values(region: str | None) -> RuleValues:
    """The rules of `region` (a 12-digit code; None: the national defaults)."""
    caps = setting_value(key=CAPS_KEY, region=region)
    return RuleValues(
        points={
            rule: int(setting_value(key=key, region=region)) for rule, key in POINTS_KEY.items()
        },
        activity_kinds=dict(setting_value(key=ACTIVITY_KINDS_KEY, region=region)),
        activity_other=int(setting_value(key=ACTIVITY_OTHER_KEY, region=region)),
        caps=tuple((c["rule"], c["period"], int(c["max"])) for c in caps),
        band_good=int(setting_value(key=BAND_GOOD_KEY, region=region)),
        band_fair=int(setting_value(key=BAND_FAIR_KEY, region=region)),
    )


def band_thresholds(region: str | None) -> tuple[int, int]:
    """(good, fair) where the deputy belongs: two settings reads, not all the rules."""
    good = int(setting_value(key=BAND_GOOD_KEY, region=region))
    return good, int(setting_value(key=BAND_FAIR_KEY, region=region))


def band_of(total: Decimal, thresholds: tuple[int, int]) -> Band:
    good, fair = thresholds
    if total >= good:
        return Band.GOOD
    return Band.FAIR if total >= fair else Band.POOR


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def fact_order(fact: Fact) -> tuple[datetime.date, str, int, str]:
    """Caps fill in this order: by date, then by source, so a rebuild gives the same ledger."""
    return (fact.on, fact.source_kind, fact.source_id, fact.rule)


def apply_rules(facts: Iterable[Fact], values: RuleValues) -> list[tuple[Fact, Decimal]]:
    """Each fact of ONE deputy and ONE year with its points after the caps, in `fact_order`.

    A cap bounds the magnitude a rule may add (or deduct) in a quarter or a year; the facts
    that come first take it, the rest get what is left (possibly 0, still listed).
    """
    used: dict[tuple[str, str, int], Decimal] = {}
    result = []
    for fact in sorted(facts, key=fact_order):
        raw = values.raw(fact)
        magnitude = abs(raw)
        buckets = []
        for rule, period, cap in values.caps:
            if rule != fact.rule:
                continue
            bucket = (rule, period, quarter_of(fact.on) if period == "quarter" else 0)
            magnitude = min(magnitude, Decimal(cap) - used.get(bucket, Decimal(0)))
            buckets.append(bucket)
        magnitude = max(magnitude, Decimal(0))
        for bucket in buckets:
            used[bucket] = used.get(bucket, Decimal(0)) + magnitude
        result.append((fact, -magnitude if raw < 0 else magnitude))
    return result
