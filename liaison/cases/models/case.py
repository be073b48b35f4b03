"""The case itself (民意 / 诉求), its co-handling units and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.cases.models.choices import (
    OPEN_STATUSES,
    Channel,
    DeclineReason,
    DueState,
    Kind,
    Rating,
    Status,
)
from liaison.common.crypto import EncryptedTextField
from liaison.taxonomy.models import Category


class Case(models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    # HMAC of the 6-digit PIN; the PIN itself is shown once and sent by SMS, never stored.
    pin_digest = models.CharField(max_length=64)
    # Idempotency key from the submitting client: the same token never makes a second case.
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Covered by the composite index that starts with this column (Meta.indexes).
        db_index=False,
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    # Provenance: the 12345 work-order number, the letter-box batch, the reception record …
    channel_ref = models.CharField(_("来源编号"), max_length=64, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)

    # Where it belongs: the region code carries the jurisdiction (and a future partition key).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="+",
        # Covered by the composite index that starts with this column (Meta.indexes).
        db_index=False,
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        # Covered by the composite index that starts with this column (Meta.indexes).
        db_index=False,
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("反映给代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    # The person (encrypted, masked on every page, purged after the retention period).
    contact_name = EncryptedTextField(_("姓名"), blank=True)
    contact_phone = EncryptedTextField(_("手机号"), blank=True)
    # The title and content as typed, when intake found phone, ID or bank card numbers in them:
    # the plain columns hold the masked text, this the original (JSON {"title", "content"}),
    # revealed only through the audited reveal and purged with the name and phone.
    free_text_private = EncryptedTextField(_("原文（加密）"), blank=True, editable=False)
    # Last four digits, kept in clear so staff can tell callers apart without revealing.
    contact_phone_tail = models.CharField(max_length=4, blank=True)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    allow_publish = models.BooleanField(_("同意在回音墙公开"), default=False)
    consent_at = models.DateTimeField(_("同意个人信息告知书时间"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    # Incremented by every move; forms carry it so that a stale page gets a conflict message.
    version = models.PositiveIntegerField(default=0)

    submitted_at = models.DateTimeField(_("提交时间"))
    accept_due = models.DateField(_("受理期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    relayed_at = models.DateTimeField(_("告知群众时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    due_state = models.CharField(
        _("时限状态"), max_length=6, choices=DueState.choices, default=DueState.NONE, blank=True
    )

    unit = models.ForeignKey(
        "units.HandlingUnit",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        # Covered by the composite index that starts with this column (Meta.indexes).
        db_index=False,
    )
    assigned_deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("交办代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    decline_reason = models.CharField(
        _("不予受理原因"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    reply = models.TextField(_("答复内容"), blank=True)
    # Set when an answer the person allowed to publish is on the echo wall, cleared when the case
    # is reopened; the wall is "published_at IS NOT NULL ORDER BY published_at DESC".
    published_at = models.DateTimeField(_("回音墙公开时间"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    # Five-level 好差评 score when that scale is in use (1 非常不满意 … 5 非常满意).
    rating_score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The classifier's hint, made once per case by the worker shortly after intake
    # (liaison/cases/classification.py, `hint_pending` marks the cases still to do). Kept on
    # the row, not in a side table, so queues show "待人工分类" without a join or an extra query.
    # `category` stays empty until a person confirms; each decision is a ClassificationFeedback.
    hinted_category = models.ForeignKey(
        Category,
        verbose_name=_("系统建议分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hint_label = models.CharField(_("系统建议分类名"), max_length=50, blank=True)
    hint_confidence = models.FloatField(_("建议置信度"), null=True, blank=True)
    hint_needs_review = models.BooleanField(_("建议待人工分类"), default=False)
    hint_model = models.CharField(_("分类模型版本"), max_length=64, blank=True)
    hint_pending = models.BooleanField(_("待生成分类建议"), default=False)

    class Meta:
        verbose_name = _("民意诉求")
        verbose_name_plural = _("民意诉求")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Queues: status within a jurisdiction, oldest first, and the deadline queues.
            models.Index(fields=["region", "status", "submitted_at"]),
            models.Index(fields=["station", "status", "submitted_at"]),
            models.Index(fields=["unit", "status", "reply_due"]),
            models.Index(fields=["status", "due_state", "region"]),
            # The 临期/逾期 tabs of station staff (a liaison officer, a station head): without it
            # SQLite counts them through the index above, i.e. every yellow or red case of every
            # station (55 ms at 1M cases), and keeps only the station's.
            models.Index(fields=["station", "due_state", "status"], name="case_station_due_idx"),
            # A station's 全部 tab, newest first, read from the index alone: through the one
            # above PostgreSQL fetched every case row of the station to sort it (0.5 s for a
            # station with 68,000 cases at 1M; 35 ms with this one).
            models.Index(
                fields=["station", "-submitted_at", "-id"], name="case_station_history_idx"
            ),
            # A handling unit's tabs and their pages: its 临期/逾期/不满意 tabs were counted through
            # (unit, status, reply_due) with a look at every open case's row (20 ms at 1M cases,
            # on every page view); with the deadline state, the reopen count and the sort keys
            # in the index, each count and each page's sorted ids is read from this alone.
            models.Index(
                fields=[
                    "unit",
                    "status",
                    "due_state",
                    "reopen_count",
                    "reply_due",
                    "accept_due",
                    "submitted_at",
                    "id",
                ],
                name="case_unit_queue_idx",
            ),
            # Capped tab counts, and the sorted ids of a tab's page read from the index alone:
            # status first, then the jurisdiction's code range, then what the queues sort by.
            models.Index(
                fields=["status", "region", "accept_due", "reply_due", "submitted_at", "id"],
                name="case_queue_idx",
            ),
            # The 待回访 and 不满意/重办 tabs: their extra condition right after the status.
            models.Index(fields=["status", "relayed_at", "region"], name="case_callback_idx"),
            models.Index(fields=["status", "reopen_count", "region"], name="case_reopened_idx"),
            models.Index(fields=["status", "reply_due"]),
            models.Index(fields=["status", "accept_due"]),
            # The KPIs' overdue unanswered cases (decision 0045): assigned, no reply yet; few at
            # any size (the open cases), and their count reads this index alone.
            models.Index(
                fields=[
                    "reply_due",
                    "region",
                    "station",
                    "status",
                    "submitted_at",
                    "assigned_at",
                    "replied_at",
                ],
                condition=Q(replied_at__isnull=True, assigned_at__isnull=False),
                name="case_unanswered_idx",
            ),
            # The echo wall walks this newest-first on both databases (a partial index on
            # allow_publish/status is not chosen by SQLite for a bound parameter).
            models.Index(F("published_at").desc(), F("id").desc(), name="case_published_idx"),
            models.Index(fields=["channel", "channel_ref"]),
            models.Index(fields=["category", "submitted_at"]),
            models.Index(fields=["submitted_at"]),
            # The worker's sweep finds the few cases still waiting for a category hint.
            models.Index(fields=["hint_pending", "id"], name="case_hint_pending_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "channel_ref"],
                condition=~Q(channel_ref=""),
                name="case_unique_channel_ref",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CoHandling(models.Model):
    """A co-handling unit (协办单位) that sends its view to the lead unit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="co_handlings")
    unit = models.ForeignKey(
        "units.HandlingUnit", on_delete=models.PROTECT, related_name="co_handlings"
    )
    opinion = models.TextField(_("协办意见"), blank=True)
    opinion_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="cohandling_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.unit_id}"


class Attachment(models.Model):
    """An image sent with the case, or a file attached to a reply."""

    class Purpose(models.TextChoices):
        INTAKE = "intake", _("群众上传")
        REPLY = "reply", _("答复附件")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""
