"""The settings the platform itself declares, with their national defaults and validators.

Other apps declare theirs the same way: `register(SettingDef(...))` in a module their AppConfig
imports in `ready()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.registry import SettingDef, register

# --- validators for list and object settings -------------------------------------------------


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def validate_keyed_items(
    items: Sequence[Any], *, number_field: str, number_label: str, allow_zero: bool = False
) -> None:
    """Each item is an object with a non-empty "key" and "name" and a number; keys are unique."""
    if not items:
        raise ValidationError(gettext("列表不能为空。"), code="empty")
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValidationError(
                gettext('第 %(i)d 项应为对象，例如 {"key": …, "name": …}。'),
                code="item",
                params={"i": index},
            )
        key, name = item.get("key"), item.get("name")
        if not isinstance(key, str) or not key.strip():
            raise ValidationError(gettext("第 %(i)d 项缺少 key。"), code="key", params={"i": index})
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(
                gettext("第 %(i)d 项缺少 name。"), code="name", params={"i": index}
            )
        number = item.get(number_field)
        ok = _positive_int(number) or (allow_zero and number == 0 and not isinstance(number, bool))
        if not ok:
            raise ValidationError(
                gettext("第 %(i)d 项的 %(field)s 应为%(what)s。"),
                code="number",
                params={"i": index, "field": number_field, "what": number_label},
            )
        if key in seen:
            raise ValidationError(
                gettext("key “%(key)s”重复。"), code="duplicate", params={"key": key}
            )
        seen.add(key)


def validate_station_standard_items(items: list[Any]) -> None:
    """The 七有 checklist: key, name and a positive max_score per item, keys unique."""
    validate_keyed_items(items, number_field="max_score", number_label="大于 0 的整数")


ASSESSMENT_GRADES: tuple[str, ...] = ("excellent", "passed", "basic")
# The names people know the grades by (stations.AssessmentResult says the same; this app sits
# below stations and cannot import it).
GRADE_LABELS: dict[str, Any] = {"excellent": _("示范"), "passed": _("达标"), "basic": _("基本达标")}


def validate_assessment_thresholds(value: dict[str, Any]) -> None:
    """Lowest percentage for 示范 (excellent), 达标 (passed) and 基本达标 (basic), decreasing."""
    if set(value) != set(ASSESSMENT_GRADES):
        raise ValidationError(
            gettext("应恰好包含 %(keys)s 三项。"),
            code="keys",
            params={"keys": "、".join(ASSESSMENT_GRADES)},
        )
    scores: list[float] = []
    for grade in ASSESSMENT_GRADES:
        score = value[grade]
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
            raise ValidationError(
                gettext("%(key)s 应为 0–100 之间的数字。"),
                code="range",
                params={"key": GRADE_LABELS[grade]},
            )
        scores.append(score)
    if not scores[0] > scores[1] > scores[2]:
        raise ValidationError(
            gettext("分数线应依次递减：%(order)s。"),
            code="order",
            params={"order": " > ".join(str(GRADE_LABELS[g]) for g in ASSESSMENT_GRADES)},
        )


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def format_station_standard_items(items: list[Any]) -> str:
    """ "场所 15、牌子 10 …（共 7 项，满分 100）" for the settings list."""
    parts = [f"{item.get('name', '')} {_number(item.get('max_score', ''))}" for item in items]
    total = sum(item.get("max_score", 0) for item in items)
    return gettext("%(items)s（共 %(n)d 项，满分 %(total)s）") % {
        "items": "、".join(parts),
        "n": len(items),
        "total": _number(total),
    }


def format_assessment_thresholds(value: dict[str, Any]) -> str:
    """ "示范 ≥ 90%、达标 ≥ 80%、基本达标 ≥ 60%" for the settings list."""
    return "、".join(
        f"{GRADE_LABELS[grade]} ≥ {_number(value[grade])}%"
        for grade in ASSESSMENT_GRADES
        if grade in value
    )


# --- the definitions -------------------------------------------------------------------------

_CASES = _("民意办理")
_SUGGESTIONS = _("代表建议")
_STATIONS = _("联络站建设")
_ACTIVITIES = _("接待与活动")
_VOTES = _("票决与征求意见")
_PRIVACY = _("数据与隐私")
_DAYS = _("个工作日")

for _definition in (
    SettingDef(
        key="case_accept_working_days",
        label=_("受理时限"),
        type="int",
        default=2,
        min_value=1,
        max_value=30,
        unit=_DAYS,
        group=_CASES,
        help=_("群众提交意见后，联络站应在此期限内受理或说明不予受理的理由。"),
    ),
    SettingDef(
        key="case_reply_working_days",
        label=_("答复时限"),
        type="int",
        default=15,
        min_value=1,
        max_value=90,
        unit=_DAYS,
        group=_CASES,
        help=_("交办后承办单位答复的期限。"),
    ),
    SettingDef(
        key="case_extension_max_working_days",
        label=_("延期上限"),
        type="int",
        default=15,
        min_value=0,
        max_value=90,
        unit=_DAYS,
        group=_CASES,
        help=_("承办单位申请延期时，最多可延长的工作日数。"),
    ),
    SettingDef(
        key="case_accept_warning_working_days",
        label=_("受理黄色预警天数"),
        type="int",
        default=1,
        min_value=0,
        max_value=29,
        unit=_DAYS,
        group=_CASES,
        help=_(
            "待受理的意见剩余工作日不超过此数时标为黄色督办；须小于受理时限，"
            "新到的意见不会立即预警。"
        ),
    ),
    SettingDef(
        key="case_warning_working_days",
        label=_("答复黄色预警天数"),
        type="int",
        default=2,
        min_value=0,
        max_value=30,
        unit=_DAYS,
        group=_CASES,
        help=_("交办后剩余工作日不超过此数时标为黄色督办；须小于答复时限。逾期为红色。"),
    ),
    SettingDef(
        key="rating_scale",
        label=_("满意度评价等级"),
        type="str",
        default="three",
        choices=(
            ("three", _("三级：满意、基本满意、不满意")),
            ("five", _("五级：非常满意至非常不满意")),
        ),
        group=_CASES,
        help=_("群众评价答复时使用的等级。"),
    ),
    SettingDef(
        key="require_contact_phone",
        label=_("必须填写联系电话"),
        type="bool",
        default=False,
        group=_CASES,
        help=_("开启后，群众提交意见时必须留下手机号。"),
    ),
    SettingDef(
        key="max_upload_mb",
        label=_("附件大小上限"),
        type="int",
        default=5,
        min_value=1,
        max_value=50,
        unit=_("MB"),
        group=_CASES,
        help=_("群众上传的每个附件（照片等）的最大大小。"),
    ),
    SettingDef(
        key="echo_wall_publish_default",
        label=_("默认公开到回音墙"),
        type="bool",
        default=False,
        group=_CASES,
        help=_("办结的意见是否默认在民情回音墙公开（个人信息始终脱敏）。"),
    ),
    SettingDef(
        key="reception_days_per_month",
        label=_("每月代表接待日次数"),
        type="int",
        default=1,
        min_value=0,
        max_value=31,
        unit=_("次"),
        group=_ACTIVITIES,
        help=_("每个联络站每月至少安排的代表接待日。"),
        feature="receptions",
    ),
    SettingDef(
        key="suggestion_reply_months",
        label=_("代表建议答复期限"),
        type="int",
        default=3,
        min_value=1,
        max_value=12,
        unit=_("个月"),
        group=_SUGGESTIONS,
        help=_("承办单位自交办之日起答复代表建议的期限。"),
        feature="suggestions",
    ),
    SettingDef(
        key="suggestion_complex_reply_months",
        label=_("复杂建议答复期限"),
        type="int",
        default=6,
        min_value=1,
        max_value=12,
        unit=_("个月"),
        group=_SUGGESTIONS,
        help=_("涉及面广、处理难度大的建议的答复期限。"),
        feature="suggestions",
    ),
    SettingDef(
        key="draft_comment_min_days",
        label=_("法规草案征求意见最短天数"),
        type="int",
        default=30,
        min_value=1,
        max_value=365,
        unit=_("日"),
        group=_VOTES,
        help=_("法规草案公开征求意见的最短期限（自然日）。"),
        feature="consultations",
    ),
    SettingDef(
        key="vote_pass_ratio",
        label=_("票决通过比例"),
        type="decimal",
        default=Decimal("0.5"),
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        group=_VOTES,
        help=_("民生实事项目获得赞成票超过应到代表的此比例即通过，例如 0.5 表示过半数。"),
        feature="projects",
    ),
    SettingDef(
        key="personal_data_retention_days",
        label=_("个人信息保存期限"),
        type="int",
        default=1095,
        min_value=180,
        max_value=3650,
        unit=_("日"),
        group=_PRIVACY,
        help=_("办结后超过此期限的群众个人信息将被清除。"),
    ),
    SettingDef(
        key="station_standard_items",
        label=_("联络站建设标准（七有）"),
        type="json_list",
        default=[
            {"key": "place", "name": "场所", "max_score": 15},
            {"key": "sign", "name": "牌子", "max_score": 10},
            {"key": "rules", "name": "制度", "max_score": 15},
            {"key": "staff", "name": "人员", "max_score": 15},
            {"key": "funds", "name": "经费", "max_score": 15},
            {"key": "activities", "name": "活动", "max_score": 15},
            {"key": "ledger", "name": "台账", "max_score": 15},
        ],
        validator=validate_station_standard_items,
        editor="score_items",
        formatter=format_station_standard_items,
        group=_STATIONS,
        help=_("评估联络站的检查项目，每项有名称和满分；评估时按各项得分合计。"),
    ),
    SettingDef(
        key="station_assessment_thresholds",
        label=_("联络站评估等级线"),
        type="json_dict",
        default={"excellent": 90, "passed": 80, "basic": 60},
        validator=validate_assessment_thresholds,
        editor="grade_thresholds",
        formatter=format_assessment_thresholds,
        group=_STATIONS,
        help=_(
            "评估得分率（百分制）达到此线即评为相应等级：示范、达标、基本达标，"
            "低于基本达标线为未达标。"
        ),
    ),
):
    register(_definition)


# Pairs of settings that must agree: (smaller, larger, message). A warning window as long as its
# deadline would flag every new case at once (the 2-day acceptance deadline and 2-day warning).
ORDERED_PAIRS: tuple[tuple[str, str, Any], ...] = (
    (
        "case_accept_warning_working_days",
        "case_accept_working_days",
        _("受理黄色预警天数（%(small)s）须小于受理时限（%(large)s），否则新到的意见会立即被预警。"),
    ),
    (
        "case_warning_working_days",
        "case_reply_working_days",
        _(
            "答复黄色预警天数（%(small)s）须小于答复时限（%(large)s），否则刚交办的意见会立即被预警。"
        ),
    ),
)
