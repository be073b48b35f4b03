"""Deputies' duty reports (代表述职): a deputy reports their work to voters at a meeting, the
text and photos are published on the deputy's public page, and the people present rate it.

A rating window is a start and an end on the row (`rating_opens_at` … `rating_closes_at`), not
a status someone must flip (decision 0034). One rating per person: each person present gets a
one-time code printed on the meeting's sign-in sheet; only its hash is stored.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.common.crypto import EncryptedTextField
from liaison.workflow.models import WorkflowEvent


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")  # date, place, invited representatives; not held yet
    HELD = "held", _("已述职")  # text, attendance and photos recorded; not yet public
    PUBLISHED = "published", _("已公开")  # on the deputy's public page
    CANCELLED = "cancelled", _("已取消")  # a scheduled report that did not happen


# Reports that took place: they count for the term rule, duty points and the deputy's file.
HELD_STATUSES = (Status.HELD, Status.PUBLISHED)


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class DutyReport(models.Model):
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("述职代表"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("联络站"), on_delete=models.PROTECT, related_name="+"
    )
    # The station's region, kept on the row so scopes filter without a join.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("述职主题"), max_length=100)
    starts_at = models.DateTimeField(_("述职时间"))
    place = models.CharField(_("地点"), max_length=200)
    # The random part of the QR page's URL (/dr/rate/<token>/): not guessable from the id.
    token = models.CharField(max_length=32, unique=True)
    # Ratings are accepted from the start of the meeting until this moment (decision 0034).
    rating_closes_at = models.DateTimeField(_("测评截止"))
    # Recorded when held.
    text = models.TextField(_("述职报告"), blank=True)
    attendance = models.PositiveIntegerField(_("到会人数"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("安排人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("安排时间"), auto_now_add=True)
    held_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("代表述职")
        verbose_name_plural = _("代表述职")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["deputy", "status", "starts_at"]),
            models.Index(fields=["region", "starts_at"]),
            models.Index(fields=["station", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_closes_at__gt=models.F("starts_at")),
                name="duty_report_window_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def rating_open(self, now: datetime.datetime) -> bool:
        """Ratings are taken from the start of the meeting until the window closes."""
        return self.status != Status.CANCELLED and self.starts_at <= now < self.rating_closes_at

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED


class Representative(models.Model):
    """A voters' representative (选民代表) invited to the meeting: personal data, encrypted."""

    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="invited")
    name = EncryptedTextField(_("姓名"))
    phone = EncryptedTextField(_("联系电话"), blank=True)

    class Meta:
        verbose_name = _("受邀选民代表")
        verbose_name_plural = _("受邀选民代表")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.pk}"


class DutyReportPhoto(models.Model):
    """A photo of the meeting, re-encoded on upload; served only by checked views."""

    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="dutyreports/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("述职照片")
        verbose_name_plural = _("述职照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class RatingCode(models.Model):
    """One line of the sign-in sheet: a one-time code, stored as a keyed hash only."""

    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="codes")
    number = models.PositiveSmallIntegerField(_("序号"))
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("测评码")
        verbose_name_plural = _("测评码")
        constraints = [
            models.UniqueConstraint(fields=["report", "code_hash"], name="rating_code_unique"),
            models.UniqueConstraint(fields=["report", "number"], name="rating_code_number"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.number}"


class Rating(models.Model):
    """One person's rating. The one-to-one on the code makes a second rating impossible even if
    two requests race past the conditional update."""

    report = models.ForeignKey(DutyReport, on_delete=models.PROTECT, related_name="ratings")
    code = models.OneToOneField(RatingCode, on_delete=models.PROTECT, related_name="rating")
    verdict = models.CharField(_("测评结果"), max_length=12, choices=Verdict.choices)
    # Free text from the public may name people or numbers: encrypted, shown masked.
    comment = EncryptedTextField(_("意见"), blank=True)
    at = models.DateTimeField(_("测评时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        indexes = [models.Index(fields=["report", "verdict"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.verdict}"


class EventKind(models.TextChoices):
    SCHEDULED = "scheduled", _("安排述职")
    HELD = "held", _("登记述职情况")
    PUBLISHED = "published", _("公开述职")
    CANCELLED = "cancelled", _("取消述职")
    CODES_PRINTED = "codes_printed", _("打印签到表")


class DutyReportEvent(WorkflowEvent):
    """One move or note on a duty report. Never updated, never deleted (migration 0002)."""

    subject_field = "report"
    public_kinds = frozenset({EventKind.PUBLISHED})
    append_only_name = "duty_report_event"
    append_only_message = "duty report events are append-only"

    report = models.ForeignKey(DutyReport, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("述职记录")
        verbose_name_plural = _("述职记录")
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_kind_display()}"
