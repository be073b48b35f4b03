"""What happened at a reception: the record, its photos, the items raised, visitors' sign-ins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.common.crypto import EncryptedTextField
from liaison.receptions.models.schedules import ReceptionDay


class Reception(models.Model):
    """The record of a held reception day (接待记录); one per day."""

    day = models.OneToOneField(ReceptionDay, on_delete=models.PROTECT, related_name="record")
    visitor_count = models.PositiveIntegerField(_("来访人数"))
    minutes = models.TextField(_("接待纪要"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")

    def __str__(self) -> str:
        return str(self.day)


class ReceptionPhoto(models.Model):
    """A photo of the reception, re-encoded on upload; served only by a checked view."""

    reception = models.ForeignKey(Reception, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="receptions/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("接待照片")
        verbose_name_plural = _("接待照片")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class ReceptionItem(models.Model):
    """An item raised at a reception; it became `case` (channel "reception") when recorded.

    The link lives here, pointing down at the case, so the case loop needs no migration."""

    reception = models.ForeignKey(Reception, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="reception_item"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("接待代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("反映事项")
        verbose_name_plural = _("反映事项")
        ordering = ["reception_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["reception", "number"], name="reception_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.reception_id}-{self.number}"


class VisitorSignIn(models.Model):
    """A visitor who scanned the day's QR code and signed in (by name or anonymously)."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="signins")
    name = EncryptedTextField(_("姓名"), blank=True)  # personal data: encrypted, masked on screen
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    at = models.DateTimeField(_("签到时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("来访签到")
        verbose_name_plural = _("来访签到")
        ordering = ["day_id", "at", "id"]
        indexes = [models.Index(fields=["day", "at"])]

    def __str__(self) -> str:
        return f"{self.day_id} {self.at:%H:%M}"
