"""The receptions' settings per jurisdiction (liaison.jurisdiction.registry), decision 0016."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.registry import SettingDef, register
from liaison.receptions.models.schedules import HolidayMove

HOLIDAY_MOVE: Final = "reception_holiday_move"
NOTICE_DAYS: Final = "reception_notice_days"
REMINDER_DAYS: Final = "reception_reminder_days"
MIN_PER_YEAR: Final = "reception_min_per_year"

_GROUP = _("代表接待日")

for _definition in (
    SettingDef(
        key=HOLIDAY_MOVE,
        label=_("接待日遇法定节假日"),
        type="str",
        default=HolidayMove.NEXT.value,
        choices=tuple((m.value, m.label) for m in HolidayMove),
        group=_GROUP,
        help=_(
            "按规则排定的接待日落在法定节假日（含节假日中的周末）时的处理；调休上班日视为工作日。"
            "普通周末不顺延：规则指定周六、周日的，照常接待。"
        ),
        feature="receptions",
    ),
    SettingDef(
        key=NOTICE_DAYS,
        label=_("接待日提前公告天数"),
        type="int",
        default=3,
        min_value=0,
        max_value=60,
        unit=_("天"),
        group=_GROUP,
        help=_("接待日在公开页面和日历订阅中提前公告的天数。"),
        feature="receptions",
    ),
    SettingDef(
        key=REMINDER_DAYS,
        label=_("值班提醒提前天数"),
        type="int",
        default=1,
        min_value=1,
        max_value=30,
        unit=_("天"),
        group=_GROUP,
        help=_("提前若干天提醒值班代表；接待当天早上另提醒一次。"),
        feature="receptions",
    ),
    SettingDef(
        key=MIN_PER_YEAR,
        label=_("代表每年参加接待日次数下限"),
        type="int",
        default=4,
        min_value=0,
        max_value=100,
        unit=_("次"),
        group=_GROUP,
        help=_("每名代表每年至少参加（到场确认）的接待日次数；低于此数的列入“接待缺勤”名单。"),
        feature="receptions",
    ),
):
    register(_definition)
