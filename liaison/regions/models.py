"""Administrative divisions (行政区划) keyed by the 12-digit 统计用区划代码.

The code is the primary key. Because the statistical code is hierarchical (2 digits province,
4 city, 6 county, 9 township, 12 village), "a region and everything under it" is one range over an
indexed column: `code BETWEEN prefix000… AND prefix999…`. Tables that belong to a region store the
code as their foreign key, so they can filter (and later be partitioned) by jurisdiction without a
join. See docs/decisions/0002-region-codes-as-keys.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_LENGTH = 12


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")
    VILLAGE = "village", _("村级")


# Significant digits of a code at each level.
PREFIX_LENGTH: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_DEPTH: dict[str, int] = {
    Level.PROVINCE: 0,
    Level.CITY: 1,
    Level.COUNTY: 2,
    Level.TOWNSHIP: 3,
    Level.VILLAGE: 4,
}


def code_bounds(code: str, level: str) -> tuple[str, str]:
    """The inclusive range of 12-digit codes inside the region `code` at `level`."""
    prefix = code[: PREFIX_LENGTH[level]]
    pad = CODE_LENGTH - len(prefix)
    return prefix + "0" * pad, prefix + "9" * pad


def ancestor_codes(code: str) -> list[str]:
    """Codes of every possible level above `code` and the code itself, top first.

    Candidates that do not exist (a skipped level) are harmless: callers filter with `IN`.
    """
    codes: list[str] = []
    for length in (2, 4, 6, 9, 12):
        candidate = code[:length].ljust(CODE_LENGTH, "0")
        if candidate not in codes:
            codes.append(candidate)
        if candidate == code:
            break
    return codes


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=CODE_LENGTH, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def short_code(self) -> str:
        return self.code[: PREFIX_LENGTH[self.level]]

    @property
    def bounds(self) -> tuple[str, str]:
        return code_bounds(self.code, self.level)

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]
