"""Schedules (the recurring rule of a station), the reception days they materialise, the rota."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.common.models import TimeStampedModel


class Frequency(models.TextChoices):
    NTH_WEEKDAY = "nth_weekday", _("每月第几个星期几")  # 每月第一个周三
    WEEKLY = "weekly", _("每周")
    MONTH_DAYS = "month_days", _("每月固定日期")  # 每月 5 日、20 日
    ONCE = "once", _("指定日期")  # one-off dates listed by hand


class MonthParity(models.TextChoices):
    ALL = "all", _("每月")
    ODD = "odd", _("单月")
    EVEN = "even", _("双月")


class HolidayMove(models.TextChoices):
    """What happens to an occurrence that falls on a statutory holiday (decision 0016)."""

    NEXT = "next", _("顺延至下一个工作日")
    PREVIOUS = "previous", _("提前至上一个工作日")
    SKIP = "skip", _("当期取消")


class ReceptionSchedule(TimeStampedModel):
    """A station's recurring reception rule (or a list of one-off dates) with time and place."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        on_delete=models.PROTECT,
        related_name="reception_schedules",
    )
    title = models.CharField(_("名称"), max_length=100)
    frequency = models.CharField(_("重复方式"), max_length=12, choices=Frequency.choices)
    # 0 = Monday … 6 = Sunday (Python's weekday()).
    weekday = models.PositiveSmallIntegerField(_("星期"), null=True, blank=True)
    # 1..4, or -1 for the last one of the month.
    week_of_month = models.SmallIntegerField(_("第几个"), null=True, blank=True)
    month_days = models.JSONField(_("每月日期"), default=list, blank=True)
    months = models.CharField(
        _("月份"), max_length=4, choices=MonthParity.choices, default=MonthParity.ALL
    )
    dates = models.JSONField(_("指定日期"), default=list, blank=True)  # ISO dates, ONCE only
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    is_active = models.BooleanField(_("启用"), default=True)
    # Occurrences up to this date exist as ReceptionDay rows (the worker extends it).
    materialised_until = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("接待日安排")
        verbose_name_plural = _("接待日安排")
        ordering = ["station_id", "-is_active", "starts_on", "id"]
        indexes = [
            models.Index(fields=["station", "is_active"]),
            models.Index(fields=["is_active", "materialised_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="schedule_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.title}"


class DayStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待接待")
    HELD = "held", _("已接待")  # the record is saved
    CANCELLED = "cancelled", _("已取消")


class ReceptionDay(models.Model):
    """One reception at a station on one date: pages and reminders read these rows, not rules."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        on_delete=models.PROTECT,
        related_name="reception_days",
        db_index=False,  # the (station, date) index leads with it
    )
    # Copied from the station: scope filters and the register need no join (and a future
    # partition by jurisdiction has its key).
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    schedule = models.ForeignKey(
        ReceptionSchedule,
        verbose_name=_("所属安排"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="days",
        db_index=False,  # covered by the unique (schedule, planned_on)
    )
    date = models.DateField(_("日期"))
    # The date the rule gave before a holiday moved it (equal to `date` when nothing moved).
    planned_on = models.DateField(_("原定日期"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    # Public from this date on (date minus the notice days in force when it was made).
    notice_on = models.DateField(_("公告日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=DayStatus.choices, default=DayStatus.SCHEDULED
    )
    # Opens the public sign-in page from the QR code shown at the reception.
    signin_code = models.CharField(max_length=16, unique=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("代表接待日")
        verbose_name_plural = _("代表接待日")
        ordering = ["date", "starts_at", "id"]
        indexes = [
            models.Index(fields=["station", "date"]),
            models.Index(fields=["region", "date"]),
            models.Index(fields=["date", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="reception_day_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["schedule", "planned_on"],
                condition=Q(schedule__isnull=False),
                name="reception_day_once_per_planned_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"

    def is_published(self, today: datetime.date) -> bool:
        return self.status != DayStatus.CANCELLED and self.notice_on <= today

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()


class DutyStatus(models.TextChoices):
    ON_DUTY = "on_duty", _("值班")
    RELEASED = "released", _("已调出")  # swapped away or given up with approval


class ReceptionDuty(models.Model):
    """A deputy on duty at a reception day (the rota), and whether they came."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="duties")
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="reception_duties",
        db_index=False,  # the (deputy, starts_at) index leads with it
    )
    # Copied from the day, so that "is this deputy already busy then" is one index range.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        _("状态"), max_length=10, choices=DutyStatus.choices, default=DutyStatus.ON_DUTY
    )
    present = models.BooleanField(_("到场"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("接待值班")
        verbose_name_plural = _("接待值班")
        ordering = ["day_id", "id"]
        indexes = [models.Index(fields=["deputy", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "deputy"],
                condition=Q(status="on_duty"),
                name="reception_duty_once_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.deputy_id}"
