"""A constituent's opinion or appeal (民意 / 诉求, `Case`) and its append-only history.

Milestones live on the row (accepted_at, reply_due, replied_at …) so queues and reports never
replay events; `CaseEvent` is the history, the public timeline and the audit trail of every move.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.common.crypto import EncryptedTextField


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")


class Channel(models.TextChoices):
    QR = "qr", _("扫码")
    WEB = "web", _("网站")
    RECEPTION = "reception", _("代表接待")
    HOTLINE = "hotline_12345", _("12345 热线")
    LETTER_BOX = "letter_box", _("意见箱")
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    PAPER = "paper", _("纸质表单")
    API = "api", _("系统接口")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")  # waiting for a station to accept or decline
    ACCEPTED = "accepted", _("已受理")  # accepted, waiting to be assigned or answered
    FORWARDED = "forwarded", _("已转上级")  # handed up to a higher congress, awaiting acceptance
    ASSIGNED = "assigned", _("办理中")  # with a handling unit or deputy, reply due
    REPLIED = "replied", _("已答复")  # answered; the station relays it and asks for a rating
    EVALUATED = "evaluated", _("已评价")  # rated satisfied / basically satisfied
    CLOSED = "closed", _("已办结")  # the loop is finished
    DECLINED = "declined", _("不予受理")  # with a reason told to the person
    MERGED = "merged", _("已合并")  # a duplicate, followed through its primary case
    WITHDRAWN = "withdrawn", _("已撤回")  # withdrawn by the person


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.ACCEPTED, Status.FORWARDED, Status.ASSIGNED, Status.REPLIED}
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.DECLINED, Status.MERGED, Status.WITHDRAWN})


class DeclineReason(models.TextChoices):
    LITIGATION = "litigation", _("已进入诉讼、仲裁等法定程序")
    OUTSIDE_REMIT = "outside_remit", _("不属于人大代表联络站受理范围")
    REPEAT = "repeat", _("重复反映且无新的事实和理由")
    INSUFFICIENT = "insufficient", _("内容不明确，无法办理")
    OTHER = "other", _("其他")


class Rating(models.TextChoices):
    # Three-level scale (默认); five-level 好差评 maps onto it for the KPIs.
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class DueState(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("逾期")


class Category(models.Model):
    """A node of a jurisdiction's category tree (three levels); region null = national default."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("层级"))
    # "城乡建设/安全生产/事故处理": stable across imports, used as the natural key.
    path = models.CharField(_("路径"), max_length=200)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("意见分类")
        verbose_name_plural = _("意见分类")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "path"], name="category_unique_path"),
            models.UniqueConstraint(
                fields=["path"], condition=Q(region__isnull=True), name="category_unique_national"
            ),
        ]

    def __str__(self) -> str:
        return self.path.replace("/", " / ")

    @property
    def top_name(self) -> str:
        return self.path.split("/", 1)[0]


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
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    # Provenance: the 12345 work-order number, the letter-box batch, the reception record …
    channel_ref = models.CharField(_("来源编号"), max_length=64, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)

    # Where it belongs: the region code carries the jurisdiction (and a future partition key).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
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
    # The classifier's suggestion, made once at intake (liaison/cases/classification.py). Kept on
    # the row, not in a side table, so queues show "待人工分类" without a join or an extra query.
    # `category` stays empty until a person confirms; each decision is a ClassificationFeedback.
    suggested_category = models.ForeignKey(
        Category,
        verbose_name=_("系统建议分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggestion_label = models.CharField(_("系统建议分类名"), max_length=50, blank=True)
    suggestion_confidence = models.FloatField(_("建议置信度"), null=True, blank=True)
    suggestion_needs_review = models.BooleanField(_("建议待人工分类"), default=False)
    suggestion_model = models.CharField(_("分类模型版本"), max_length=64, blank=True)

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
            models.Index(fields=["status", "reply_due"]),
            models.Index(fields=["status", "accept_due"]),
            # Echo wall: published answers by recency.
            models.Index(
                fields=["region", "replied_at"],
                name="case_echo_wall_idx",
                condition=Q(allow_publish=True, status__in=["replied", "evaluated", "closed"]),
            ),
            # The unfiltered wall, newest answer first: PostgreSQL walks this instead of sorting
            # every published case (213 ms → 0.8 ms at 261k cases, docs/benchmarks.md).
            models.Index(
                F("replied_at").desc(),
                F("id").desc(),
                name="case_echo_recent_idx",
                condition=Q(allow_publish=True, status__in=["replied", "evaluated", "closed"]),
            ),
            models.Index(fields=["channel", "channel_ref"]),
            models.Index(fields=["category", "submitted_at"]),
            models.Index(fields=["submitted_at"]),
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


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    ACCEPTED = "accepted", _("受理")
    DECLINED = "declined", _("不予受理")
    ANSWERED_ON_SPOT = "answered_on_spot", _("当场答复")
    ASSIGNED = "assigned", _("交办")
    REASSIGNED = "reassigned", _("重新交办")
    FORWARDED = "forwarded", _("转上级人大")
    CO_OPINION = "co_opinion", _("协办意见")
    REPLIED = "replied", _("答复")
    RELAYED = "relayed", _("告知群众")
    EVALUATED = "evaluated", _("评价")
    REOPENED = "reopened", _("不满意重办")
    CLOSED = "closed", _("办结")
    MERGED = "merged", _("合并")
    WITHDRAWN = "withdrawn", _("撤回")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_DECIDED = "extension_decided", _("延期审批")
    SUPERVISED = "supervised", _("督办")
    DUE_WARNING = "due_warning", _("临期预警")
    OVERDUE = "overdue", _("逾期")
    CATEGORIZED = "categorized", _("调整分类")
    NOTE = "note", _("备注")
    PERSONAL_DATA_VIEWED = "personal_data_viewed", _("查看个人信息")


# Events the constituent sees on the tracking page; the rest are internal.
PUBLIC_EVENT_KINDS = frozenset(
    {
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.DECLINED,
        EventKind.ANSWERED_ON_SPOT,
        EventKind.ASSIGNED,
        EventKind.REASSIGNED,
        EventKind.FORWARDED,
        EventKind.REPLIED,
        EventKind.EVALUATED,
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.MERGED,
        EventKind.WITHDRAWN,
    }
)


class CaseEvent(models.Model):
    """One move or note on a case. Never updated, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)
    # A default rather than auto_now_add, so that imports and seeded history keep their times.
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "constituent", "system" or a staff role: who acted, for the timeline and the KPIs.
    actor_role = models.CharField(_("身份"), max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    # Text shown on the timeline (for public events: what the constituent may read).
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


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


class Supervision(models.Model):
    """督办: pressing an overdue or important case (yellow, red, or opened by hand)."""

    class Level(models.TextChoices):
        YELLOW = "yellow", _("黄牌督办")
        RED = "red", _("红牌督办")
        MANUAL = "manual", _("人工督办")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions")
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices)
    note = models.TextField(_("督办意见"), blank=True)
    new_due = models.DateField(_("新的期限"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-opened_at"]
        constraints = [
            # The scheduled job opens at most one automatic yellow and one red per case.
            models.UniqueConstraint(
                fields=["case", "level"],
                condition=Q(level__in=["yellow", "red"], resolved_at__isnull=True),
                name="supervision_one_open_auto_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_level_display()}"


class ExtensionRequest(models.Model):
    """A handling unit asks for more time; congress staff approve or refuse."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    requested_days = models.PositiveSmallIntegerField(_("申请延长工作日"))
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.requested_days}"


# --- workbench jobs: bulk imports and ledger exports ------------------------------------------


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")  # for imports: the file had errors, nothing was imported


class CaseImport(models.Model):
    """One upload of a 12345/Excel work-order file and its row-by-row result."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    skipped_count = models.PositiveIntegerField(_("已存在跳过"), default=0)
    # [{"line": 3, "field": "联系电话", "message": "…", "level": "error" | "skipped"}]
    report = models.JSONField(_("逐行报告"), default=list, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工单导入")
        verbose_name_plural = _("工单导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class LedgerExport(models.Model):
    """A 民意台账 xlsx produced in the background for a period and a scope."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    date_from = models.DateField(_("自"))
    date_to = models.DateField(_("至"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mask_person = models.BooleanField(_("反映人脱敏"), default=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("民意台账导出")
        verbose_name_plural = _("民意台账导出")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.date_from}–{self.date_to}"


# --- classifier feedback ----------------------------------------------------------------------


class ClassificationFeedback(models.Model):
    """A staff category decision next to what the classifier had suggested. Never updated.

    One row per decision (`case_set_category`); the metrics and `train_classifier --from-cases`
    use the latest row of each case. Labels are first-level names, the classifier's vocabulary.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="classification_feedback")
    # The case's region at the time, so jurisdiction filters need no join (see regions.models).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    predicted_label = models.CharField(_("系统建议"), max_length=50, blank=True)  # "" = none
    confidence = models.FloatField(_("置信度"), null=True, blank=True)
    needs_review = models.BooleanField(_("低置信度"), default=False)
    model_version = models.CharField(_("模型版本"), max_length=64, blank=True)
    chosen_category = models.ForeignKey(
        Category,
        verbose_name=_("确认分类"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_label = models.CharField(_("确认一级分类"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("分类反馈")
        verbose_name_plural = _("分类反馈")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["region", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.predicted_label or '—'} → {self.chosen_label}"

    @property
    def agrees(self) -> bool:
        return bool(self.predicted_label) and self.predicted_label == self.chosen_label
