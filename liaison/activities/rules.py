"""The jurisdiction settings of duty activities and the kinds an activity may have there.

The national kinds are `ActivityKind`; a jurisdiction adds its own (e.g. 代表议事会) through the
`activity_extra_kinds` setting, a list of {"key", "name"} read for the region of the station.
"""

from __future__ import annotations

import re
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.activities.models import ActivityKind
from liaison.jurisdiction.registry import SettingDef, register
from liaison.jurisdiction.selectors import setting_value

EXTRA_KINDS_KEY: Final = "activity_extra_kinds"
TRAINING_HOURS_KEY: Final = "training_hours_per_year"
_KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]{1,23}$")
_GROUP: Final = _("接待与活动")


def validate_extra_kinds(items: list[Any]) -> None:
    """Each extra kind is {"key": lower-case letters, "name": Chinese label}, keys unique and
    different from the national kinds."""
    seen: set[str] = set(ActivityKind.values)
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValidationError(
                gettext('第 %(i)d 项应为对象，例如 {"key": "council", "name": "代表议事会"}。'),
                code="item",
                params={"i": index},
            )
        key, name = item.get("key"), item.get("name")
        if not isinstance(key, str) or not _KEY_RE.match(key):
            raise ValidationError(
                gettext("第 %(i)d 项的 key 应为 2–24 个小写字母、数字或下划线，以字母开头。"),
                code="key",
                params={"i": index},
            )
        if not isinstance(name, str) or not name.strip() or len(name) > 20:
            raise ValidationError(
                gettext("第 %(i)d 项的 name 应为 1–20 个字。"), code="name", params={"i": index}
            )
        if key in seen:
            raise ValidationError(
                gettext("key “%(key)s”重复或与全国统一的活动类型相同。"),
                code="duplicate",
                params={"key": key},
            )
        seen.add(key)


def _format_extra_kinds(value: list[Any]) -> str:
    return "、".join(str(item.get("name", "")) for item in value) or gettext("（无）")


for _definition in (
    SettingDef(
        key=EXTRA_KINDS_KEY,
        label=_("本地增加的履职活动类型"),
        type="json_list",
        default=[],
        validator=validate_extra_kinds,
        formatter=_format_extra_kinds,
        group=_GROUP,
        help=_(
            "在全国统一的活动类型之外，本辖区增加的类型：每项有英文代码（key，如 council）"
            "和名称（name，如 代表议事会）；已用于活动的代码请勿删除或修改。"
        ),
        feature="activities",
    ),
    SettingDef(
        key=TRAINING_HOURS_KEY,
        label=_("代表年度学习培训学时"),
        type="int",
        default=16,
        min_value=0,
        max_value=200,
        unit=_("学时"),
        group=_GROUP,
        help=_("每位代表每年应完成的学习培训学时；低于此数的代表列入培训缺口名单。"),
        feature="activities",
    ),
):
    register(_definition)


def kind_choices(region: str | None) -> list[tuple[str, str]]:
    """The kinds offered for an activity in `region` (a code): national ones, then local ones."""
    choices = [(str(value), str(label)) for value, label in ActivityKind.choices]
    extra = setting_value(key=EXTRA_KINDS_KEY, region=region) if region else []
    return choices + [(str(item["key"]), str(item["name"])) for item in extra]


def kind_label(kind: str, labels: dict[str, str] | None = None) -> str:
    """The Chinese label of a kind: national, or from `labels` (a region's extra kinds)."""
    if kind in ActivityKind.values:
        return str(ActivityKind(kind).label)
    return (labels or {}).get(kind, kind)


def kind_labels(region: str | None) -> dict[str, str]:
    """Every kind's label in `region` (one settings read)."""
    return dict(kind_choices(region))


def kind_ensure(kind: str, *, region: str) -> None:
    """ValidationError unless `kind` is a kind of activity in `region`."""
    if kind not in kind_labels(region):
        raise ValidationError({"kind": gettext("活动类型不在本辖区的类型之中。")}, code="kind")


def training_hours_required(region: str | None) -> int:
    return int(setting_value(key=TRAINING_HOURS_KEY, region=region))
