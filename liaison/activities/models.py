"""Duty activities (履职活动): planned, recorded, verified; their participants, attachments and
events; the stations' annual work plans (代表法 art. 43). The registers are export jobs of the
jobs app (`jobs.py`).

Only a VERIFIED activity counts anywhere (selectors say so): duty points, training hours, the
work plan's fulfilment and the public lists read `Status.VERIFIED` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.workflow.models import WorkflowEvent


class ActivityKind(models.TextChoices):
    RESEARCH = "research", _("调研")
    INSPECTION = "inspection", _("视察")
    LAW_CHECK = "law_check", _("执法检查")
    BUDGET_REVIEW = "budget_review", _("预算审查")
    TRAINING = "training", _("学习培训")
    PUBLICITY = "publicity", _("宣传")
    MEDIATION = "mediation", _("纠纷调处")
    PATROL = "patrol", _("安全巡查")
    VOTER_CONTACT = "voter_contact", _("联系选民")
    GROUP = "group", _("小组活动")


class CourseKind(models.TextChoices):
    THEORY = "theory", _("政治理论")
    LAW = "law", _("法律法规")
    DUTY = "duty", _("履职能力")
    TOPIC = "topic", _("专题讲座")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    PLANNED = "planned", _("已计划")  # date, place, invited deputies; not held yet
    DRAFT = "draft", _("待提交")  # recorded (who came, outcome), not yet sent for verification
    SUBMITTED = "submitted", _("待核实")  # waiting for congress staff
    VERIFIED = "verified", _("已核实")  # counts for points, hours and the work plan
    RETURNED = "returned", _("已退回")  # sent back with a reason; recorded again
    CANCELLED = "cancelled", _("已取消")  # a planned activity that did not happen


class Activity(models.Model):
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("联络站"), on_delete=models.PROTECT, related_name="+"
    )
    # The station's region, kept on the row so scopes filter without a join.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    # A national kind (ActivityKind) or one the jurisdiction added (rules.EXTRA_KINDS_KEY).
    kind = models.CharField(_("活动类型"), max_length=24)
    title = models.CharField(_("主题"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    organiser = models.CharField(_("组织者"), max_length=100)
    # The deputy who organised it (may plan and record it like station staff).
    organiser_deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("组织代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agenda = models.TextField(_("议程"), blank=True)
    plan_item = models.ForeignKey(
        "activities.WorkPlanItem",
        verbose_name=_("年度计划事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    # The grid post (网格岗位) the activity was done for: the post's work log (decision 0021).
    post = models.ForeignKey(
        "grids.Post",
        verbose_name=_("网格岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Training: hours of the course and its kind (decision 0020).
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, null=True, blank=True)
    course_kind = models.CharField(
        _("课程类别"), max_length=10, choices=CourseKind.choices, blank=True
    )
    # The outcome, written when the activity is recorded.
    findings = models.TextField(_("发现的问题"), blank=True)
    problems_solved = models.TextField(_("解决的问题"), blank=True)
    suggestions = models.TextField(_("形成的建议"), blank=True)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("关联民意"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("计划人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("计划时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("履职活动")
        verbose_name_plural = _("履职活动")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["station", "starts_at"]),
            models.Index(fields=["region", "starts_at"]),
            models.Index(fields=["status", "region", "starts_at"]),
            models.Index(fields=["kind", "region", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["post", "status", "starts_at"]),
            # The year's verified training with its hours, for the training gaps
            # (selectors.training_gaps; SQLite reads it alone, its rowid is in every index).
            models.Index(
                fields=["kind", "status", "starts_at", "hours"], name="activity_kind_status_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0), name="activity_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_training(self) -> bool:
        return self.kind == ActivityKind.TRAINING

    @property
    def counts(self) -> bool:
        """Only a verified activity counts for points, hours and the work plan."""
        return self.status == Status.VERIFIED


class Participation(models.Model):
    """A deputy invited to an activity and whether they came, confirmed by whom."""

    class Via(models.TextChoices):
        SELF = "self", _("本人确认")
        STAFF = "staff", _("工作人员确认")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+"
    )
    invited = models.BooleanField(_("受邀"), default=True)
    attended = models.BooleanField(_("出席"), default=False)
    confirmed_via = models.CharField(_("确认方式"), max_length=6, choices=Via.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # Leave recorded by staff: an invited deputy who did not come is absent without leave (a
    # points deduction per half day, decision 0030) unless this is set.
    on_leave = models.BooleanField(_("已请假"), default=False)
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参加代表")
        verbose_name_plural = _("参加代表")
        indexes = [
            models.Index(fields=["deputy", "attended"]),
            # Who attended an activity, read from the index alone: the training gaps go from
            # the year's training to its participants (selectors.training_gaps).
            models.Index(
                fields=["activity", "attended", "deputy"], name="participation_attendance_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} @ {self.activity_id}"


class ActivityAttachment(models.Model):
    """A photo or PDF of a recorded activity: checked by content, served by a checked view."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="activities/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class EventKind(models.TextChoices):
    PLANNED = "planned", _("制定计划")
    EDITED = "edited", _("修改计划")
    CANCELLED = "cancelled", _("取消活动")
    RECORDED = "recorded", _("登记活动情况")
    CONFIRMED = "confirmed", _("代表确认出席")
    SUBMITTED = "submitted", _("提交核实")
    VERIFIED = "verified", _("核实通过")
    RETURNED = "returned", _("退回")


class ActivityEvent(WorkflowEvent):
    """One move or note on an activity. Never updated, never deleted (migration 0001)."""

    subject_field = "activity"
    public_kinds = frozenset({EventKind.VERIFIED})
    append_only_name = "activity_event"
    append_only_message = "activity events are append-only"

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        indexes = [models.Index(fields=["activity", "at"])]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.get_kind_display()}"


class WorkPlan(models.Model):
    """A station's annual work plan (年度工作计划), published on its public page."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("联络站"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("年度工作计划")
        verbose_name_plural = _("年度工作计划")
        constraints = [models.UniqueConstraint(fields=["station", "year"], name="work_plan_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.year}"


class WorkPlanItem(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    month = models.PositiveSmallIntegerField(_("计划月份"))
    kind = models.CharField(_("活动类型"), max_length=24)
    title = models.CharField(_("事项"), max_length=100)

    class Meta:
        verbose_name = _("年度计划事项")
        verbose_name_plural = _("年度计划事项")
        ordering = ["month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="work_plan_item_month"
            )
        ]

    def __str__(self) -> str:
        return self.title
