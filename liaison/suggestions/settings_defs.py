"""The jurisdiction settings of the suggestion loop (besides the two answer periods, which the
platform declares in `jurisdiction/builtin_settings.py`): registered once at start-up."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.registry import SettingDef, register

_GROUP = _("代表建议")
_DAYS = _("个工作日")
_MONTHS = _("个月")

ASSIGN_DAYS: Final = "suggestion_assign_working_days"
RETURN_DAYS: Final = "suggestion_return_working_days"
CO_VIEW_MONTHS: Final = "suggestion_co_view_months"
REHANDLE_MONTHS: Final = "suggestion_rehandle_months"
WARNING_DAYS: Final = "suggestion_warning_working_days"
JOINT_MIN: Final = "suggestion_joint_min_cosigners"
MAX_CHARS: Final = "suggestion_max_chars"
REPLY_MONTHS: Final = "suggestion_reply_months"
COMPLEX_MONTHS: Final = "suggestion_complex_reply_months"
RATING_DAYS: Final = "suggestion_rating_window_days"

DEFINITIONS: Final = (
    SettingDef(
        key=ASSIGN_DAYS,
        label=_("建议交办时限"),
        type="int",
        default=7,
        min_value=1,
        max_value=30,
        unit=_DAYS,
        group=_GROUP,
        help=_("代表提交建议后，人大工作机构审查并交办承办单位的期限。"),
        feature="suggestions",
    ),
    SettingDef(
        key=RETURN_DAYS,
        label=_("交办有误退回时限"),
        type="int",
        default=7,
        min_value=1,
        max_value=30,
        unit=_DAYS,
        group=_GROUP,
        help=_("承办单位认为交办有误的，应在收到建议后此期限内申请退回。"),
        feature="suggestions",
    ),
    SettingDef(
        key=CO_VIEW_MONTHS,
        label=_("协办意见时限"),
        type="int",
        default=1,
        min_value=1,
        max_value=6,
        unit=_MONTHS,
        group=_GROUP,
        help=_("协办单位自交办之日起向主办单位提出协办意见的期限。"),
        feature="suggestions",
    ),
    SettingDef(
        key=REHANDLE_MONTHS,
        label=_("重新办理答复时限"),
        type="int",
        default=1,
        min_value=1,
        max_value=6,
        unit=_MONTHS,
        group=_GROUP,
        help=_("代表对答复不满意的，承办单位重新办理并答复的期限。"),
        feature="suggestions",
    ),
    SettingDef(
        key=WARNING_DAYS,
        label=_("建议黄色预警天数"),
        type="int",
        default=5,
        min_value=0,
        max_value=30,
        unit=_DAYS,
        group=_GROUP,
        help=_("期限前剩余工作日不超过此数时标为黄色督办；逾期为红色。"),
        feature="suggestions",
    ),
    SettingDef(
        key=JOINT_MIN,
        label=_("联名建议最少附议代表数"),
        type="int",
        default=2,
        min_value=1,
        max_value=50,
        unit=_("人"),
        group=_GROUP,
        help=_("联名建议除领衔代表外至少须有此数量的代表确认附议。"),
        feature="suggestions",
    ),
    SettingDef(
        key=MAX_CHARS,
        label=_("建议正文字数上限"),
        type="int",
        default=5000,
        min_value=500,
        max_value=50000,
        unit=_("字"),
        group=_GROUP,
        help=_("问题、分析和建议三部分合计的最多字数。"),
        feature="suggestions",
    ),
    SettingDef(
        key=RATING_DAYS,
        label=_("代表评价期限"),
        type="int",
        default=30,
        min_value=7,
        max_value=180,
        unit=_("天"),
        group=_GROUP,
        help=_("承办单位答复后，代表在此天数内未评价的，系统按“未评价”办结，之后不能再评价。"),
        feature="suggestions",
    ),
)


def register_all() -> None:
    for definition in DEFINITIONS:
        register(definition)


register_all()
