"""The kinds of duty a post may have (职责类型): a jurisdiction setting, since places differ.

Keys follow the activity kinds of the glossary where one exists (publicity, mediation, patrol), so
that a post's work log can be the duty activities of the same kind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.registry import SettingDef, register
from liaison.jurisdiction.selectors import setting_value
from liaison.regions.models import CODE_LENGTH, PREFIX_LENGTH, Level, Region

SETTING_KEY = "grid_duty_kinds"

DEFAULT_DUTY_KINDS: list[dict[str, str]] = [
    {"key": "publicity", "name": "政策宣传"},
    {"key": "mediation", "name": "矛盾纠纷调处"},
    {"key": "patrol", "name": "安全巡查"},
    {"key": "environment", "name": "生态环境"},
    {"key": "elderly_care", "name": "养老服务"},
]


def validate_duty_kinds(items: list[Any]) -> None:
    """Objects with a unique non-empty "key" and a "name"; at least one."""
    if not items:
        raise ValidationError(gettext("列表不能为空。"), code="empty")
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        key = item.get("key") if isinstance(item, dict) else None
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(key, str) or not key.strip() or len(key) > 40:
            raise ValidationError(
                gettext("第 %(i)d 项缺少 key（不超过 40 个字符）。"),
                code="key",
                params={"i": index},
            )
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(
                gettext("第 %(i)d 项缺少 name。"), code="name", params={"i": index}
            )
        if key in seen:
            raise ValidationError(
                gettext("key “%(key)s”重复。"), code="duplicate", params={"key": key}
            )
        seen.add(key)


def format_duty_kinds(items: list[Any]) -> str:
    """ "政策宣传、矛盾纠纷调处 …（共 5 项）" for the settings list."""
    names = "、".join(str(item.get("name", "")) for item in items)
    return gettext("%(items)s（共 %(n)d 项）") % {"items": names, "n": len(items)}


DUTY_KINDS = register(
    SettingDef(
        key=SETTING_KEY,
        label=_("网格岗位职责类型"),
        type="json_list",
        default=DEFAULT_DUTY_KINDS,
        validator=validate_duty_kinds,
        formatter=format_duty_kinds,
        group=_("网格岗位"),
        help=_(
            "代表在网格中可担任的岗位职责：每项有内部代码（英文，岗位按它记录）和名称；"
            "已用于岗位的代码请勿删除或修改。"
        ),
        feature="grids",
    )
)


def duty_kind_choices(region: Region | str | None) -> list[tuple[str, str]]:
    """(key, name) of the duty kinds in force in `region` (one query; national default if None)."""
    items = setting_value(key=SETTING_KEY, region=region)
    return [(item["key"], item["name"]) for item in items]


def duty_kind_labels(region: Region | str | None) -> dict[str, str]:
    """Key → name; a key no longer in the setting shows as itself (old posts keep their kind)."""
    return dict(duty_kind_choices(region))


class DutyKindNames:
    """Names of duty kinds for rows of many regions, read once per county.

    Counties set the list (a township rarely differs), so a page or an export of one county costs
    one settings query however many rows it has.
    """

    def __init__(self) -> None:
        self._by_county: dict[str, dict[str, str]] = {}

    def name(self, key: str, region_code: str) -> str:
        county = region_code[: PREFIX_LENGTH[Level.COUNTY]].ljust(CODE_LENGTH, "0")
        labels = self._by_county.get(county)
        if labels is None:
            labels = self._by_county[county] = duty_kind_labels(county)
        return labels.get(key, key)
