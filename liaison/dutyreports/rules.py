"""The jurisdiction settings of duty reports, with their national defaults (decision 0034)."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.registry import SettingDef, register
from liaison.jurisdiction.selectors import setting_value

MIN_REPRESENTATIVES_KEY: Final = "duty_report_min_representatives"
RATING_DAYS_KEY: Final = "duty_report_rating_days"
CODES_KEY: Final = "duty_report_rating_codes"
_GROUP: Final = _("代表述职")

for _definition in (
    SettingDef(
        key=MIN_REPRESENTATIVES_KEY,
        label=_("述职会至少邀请的选民代表人数"),
        type="int",
        default=10,
        min_value=0,
        max_value=500,
        unit=_("人"),
        group=_GROUP,
        help=_("安排代表述职时须邀请的选民代表最少人数；少于此数不能安排。"),
        feature="dutyreports",
    ),
    SettingDef(
        key=RATING_DAYS_KEY,
        label=_("述职会后满意度测评天数"),
        type="int",
        default=7,
        min_value=0,
        max_value=60,
        unit=_("天"),
        group=_GROUP,
        help=_("述职会当天起可扫码测评，会后再开放的天数（0 表示仅限当天）；截止后公开测评结果。"),
        feature="dutyreports",
    ),
    SettingDef(
        key=CODES_KEY,
        label=_("每场述职的一次性测评码数量"),
        type="int",
        default=60,
        min_value=1,
        max_value=500,
        unit=_("个"),
        group=_GROUP,
        help=_("打印在述职会签到表上，每位到会群众一个，一码只能测评一次。"),
        feature="dutyreports",
    ),
):
    register(_definition)


def min_representatives(region: str) -> int:
    return int(setting_value(key=MIN_REPRESENTATIVES_KEY, region=region))


def rating_days(region: str) -> int:
    return int(setting_value(key=RATING_DAYS_KEY, region=region))


def code_count(region: str) -> int:
    return int(setting_value(key=CODES_KEY, region=region))
