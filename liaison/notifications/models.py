"""In-app inbox and the outbox log of SMS / e-mail / WeChat messages."""

from __future__ import annotations

from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.notifications.subjects import Subject, subject_fields

_M = TypeVar("_M", bound=models.Model)


class SubjectQuerySet(models.QuerySet[_M]):
    """Messages, filtered by what they are about."""

    def about(self, subject: models.Model | Subject) -> Self:
        """The messages about one row (a model instance or a `Subject`)."""
        return self.filter(**subject_fields(subject))


class AboutSubject(models.Model):
    """A message that may be about one row of an app above this one (subjects.py)."""

    # The model's `label_lower` ("<app_label>.<model_name>"), blank when the message is about
    # nothing in particular; `subject_id` is that row's primary key.
    subject_type = models.CharField(_("关于对象"), max_length=100, blank=True, default="")
    subject_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def subject(self) -> Subject | None:
        """What the message is about, or None."""
        if not self.subject_type or self.subject_id is None:
            return None
        return Subject(self.subject_type, self.subject_id)


def _subject_complete(name: str) -> models.CheckConstraint:
    # Both columns or neither: half a reference would silently match nothing in `.about()`.
    return models.CheckConstraint(
        condition=Q(subject_type="", subject_id__isnull=True)
        | (~Q(subject_type="") & Q(subject_id__isnull=False)),
        name=name,
    )


class Notification(AboutSubject):
    """A message in a staff member's in-app inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"]),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ]
        constraints = [_subject_complete("notification_subject_complete")]

    def __str__(self) -> str:
        return self.title


class OutboundMessage(AboutSubject):
    """Every SMS, e-mail or WeChat message handed to a backend, with its result."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")
        WECHAT = "wechat", _("微信")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    # Masked recipient (138****1234): the outbox is read by staff, never the full number.
    recipient_masked = models.CharField(max_length=100)
    body = models.TextField()
    backend = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField(default=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="outbound_subject_idx"),
        ]
        constraints = [_subject_complete("outbound_subject_complete")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_masked}"
