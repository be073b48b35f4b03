"""Deputies (代表), their seats at the five levels, and their assignment to stations."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.common.crypto import EncryptedTextField
from liaison.common.models import TimeStampedModel


class DeputyLevel(models.TextChoices):
    NATIONAL = "national", _("全国人大代表")
    PROVINCIAL = "provincial", _("省人大代表")
    CITY = "city", _("市人大代表")
    COUNTY = "county", _("县（区）人大代表")
    TOWNSHIP = "township", _("乡镇人大代表")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Deputy(TimeStampedModel):
    code = models.CharField(_("代表码"), max_length=12, unique=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )
    # Public fields (亮身份).
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    photo = models.ImageField(_("照片"), upload_to="deputies/", blank=True)
    occupation = models.CharField(_("职业"), max_length=100, blank=True)
    affiliation = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    bio = models.TextField(_("简介"), blank=True)
    public_contact = models.CharField(
        _("公开联系方式"), max_length=200, blank=True, help_text=_("例如：联络站电话或工作邮箱")
    )
    # Private fields: encrypted at rest, masked in lists, every view audited.
    mobile = EncryptedTextField(_("手机号"), blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    home_address = EncryptedTextField(_("家庭住址"), blank=True)
    is_active = models.BooleanField(_("在任"), default=True)
    # Denormalized for scoping without a join: the congress region of the deputy's lowest seat.
    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["home_region", "is_active"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A seat in one congress (级别 + 区划 + 届次)."""

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="seats"
    )
    level = models.CharField(_("级别"), max_length=10, choices=DeputyLevel.choices)
    congress = models.ForeignKey(
        "regions.Region", verbose_name=_("所属人大"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("届次"))
    constituency = models.CharField(_("选区/选举单位"), max_length=100, blank=True)
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("代表职务")
        verbose_name_plural = _("代表职务")
        ordering = ["deputy", "level"]
        indexes = [models.Index(fields=["congress", "level"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "level", "congress", "term"], name="seat_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="seat_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.congress}第{self.term}届{self.get_level_display()}"


class AssignmentKind(models.TextChoices):
    RESIDENT = "resident", _("驻站")
    ROTA = "rota", _("轮值")


class StationDeputy(models.Model):
    """A deputy assigned to a station (驻站代表), resident or on a rota."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        on_delete=models.CASCADE,
        related_name="deputy_assignments",
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(
        _("方式"), max_length=10, choices=AssignmentKind.choices, default=AssignmentKind.RESIDENT
    )
    rota = models.CharField(_("轮值安排"), max_length=100, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("驻站代表")
        verbose_name_plural = _("驻站代表")
        indexes = [models.Index(fields=["station", "ends_on"]), models.Index(fields=["deputy"])]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "deputy"],
                condition=Q(ends_on__isnull=True),
                name="station_deputy_one_open_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.station}"
