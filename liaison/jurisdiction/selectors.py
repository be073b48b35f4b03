"""Reads of jurisdiction settings: the effective value is the nearest region's, else the default."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from liaison.accounts.scoping import AnyUser
from liaison.common.hotcache import HotCache
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.jurisdiction.permissions import manage_scope
from liaison.jurisdiction.registry import SETTINGS, SettingDef
from liaison.regions.models import Region, ancestor_codes
from liaison.regions.selectors import region_ancestors, region_children, region_subtree_q

logger = logging.getLogger(__name__)

NATIONAL_DEFAULT_LABEL = _("全国默认")


def _code_of(region: Region | str | None) -> str | None:
    if region is None:
        return None
    return region.code if isinstance(region, Region) else region


def _definition(key: str) -> SettingDef:
    try:
        return SETTINGS[key]
    except KeyError:
        raise KeyError(f"unknown jurisdiction setting {key!r}") from None


def _nearest_valid(
    definition: SettingDef, rows: dict[str, Any], codes: list[str]
) -> tuple[str | None, Any]:
    """(source code, value) from the nearest of `codes` (top first) with a valid stored value."""
    for code in reversed(codes):
        if code not in rows:
            continue
        try:
            return code, definition.from_json(rows[code])
        except ValidationError:
            # A row written under older rules: skip it rather than break every page that reads it.
            logger.warning("ignoring invalid setting %s for region %s", definition.key, code)
    return None, definition.clean(definition.default)


def setting_value(*, key: str, region: Region | str | None) -> Any:
    """The effective value of `key` for `region` (a Region or its code), in one query.

    The region's own value wins, then its ancestors' from the nearest up, then the national
    default of the registry. `region=None` gives the national default without a query.
    Raises KeyError for a key nobody registered (a programming error, not user input).
    """
    definition = _definition(key)
    code = _code_of(region)
    if code is None:
        return definition.clean(definition.default)
    value = _values.get((key, code), lambda: _setting_value_uncached(definition, code))
    # Lists and objects are shared by every reader of the cache: hand out a copy.
    return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


# Read on every intake and every page that shows a deadline; changed a few times a year. The
# services that write settings clear it (liaison.common.hotcache explains the expiry).
_values: HotCache[Any] = HotCache("jurisdiction_settings")


def _setting_value_uncached(definition: SettingDef, code: str) -> Any:
    codes = ancestor_codes(code)
    rows = dict(
        JurisdictionSetting.objects.filter(key=definition.key, region_id__in=codes).values_list(
            "region_id", "value"
        )
    )
    return _nearest_valid(definition, rows, codes)[1]


@dataclass(frozen=True)
class EffectiveSetting:
    """What a page shows about one setting in one region."""

    definition: SettingDef
    value: Any
    # The region the value comes from; None for the national default.
    source: Region | None
    # The value this region sets itself (None when it inherits).
    own: JurisdictionSetting | None

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def source_label(self) -> str:
        return self.source.name if self.source is not None else str(NATIONAL_DEFAULT_LABEL)

    @property
    def is_own(self) -> bool:
        return self.own is not None

    @property
    def display(self) -> str:
        return self.definition.display(self.value)


def settings_available() -> list[SettingDef]:
    """The settings people may see and change: those whose feature is installed."""
    return [d for d in SETTINGS.values() if d.available]


def setting_definition_available(key: str) -> SettingDef | None:
    """The definition of `key` if a person may see and change it, else None."""
    definition = SETTINGS.get(key)
    return definition if definition is not None and definition.available else None


def settings_effective(*, region: Region | None) -> list[EffectiveSetting]:
    """Every available setting with its effective value and source for `region`, in one query.

    Settings of features not installed yet are left out (decision 0010): they change nothing.
    """
    if region is None:
        return [EffectiveSetting(d, d.clean(d.default), None, None) for d in settings_available()]
    codes = ancestor_codes(region.code)
    by_key: dict[str, dict[str, JurisdictionSetting]] = {}
    for row in JurisdictionSetting.objects.filter(region_id__in=codes).select_related(
        "region", "updated_by"
    ):
        by_key.setdefault(row.key, {})[row.region_id] = row
    result: list[EffectiveSetting] = []
    for definition in settings_available():
        rows = by_key.get(definition.key, {})
        source_code, value = _nearest_valid(
            definition, {code: row.value for code, row in rows.items()}, codes
        )
        source = rows[source_code].region if source_code is not None else None
        result.append(EffectiveSetting(definition, value, source, rows.get(region.code)))
    return result


def setting_get_own(*, region: Region, key: str) -> JurisdictionSetting | None:
    """The row `region` itself stores for `key`, if any."""
    return JurisdictionSetting.objects.filter(region=region, key=key).first()


# --- regions a user may manage ---------------------------------------------------------------


def regions_manageable_roots(user: AnyUser) -> list[Region]:
    """The top regions of the user's manage scope (a region inside another one is dropped)."""
    regions = sorted(set(manage_scope(user).regions), key=lambda r: (r.depth, r.code))
    roots: list[Region] = []
    for region in regions:
        if not any(root.bounds[0] <= region.code <= root.bounds[1] for root in roots):
            roots.append(region)
    return sorted(roots, key=lambda r: r.code)


def region_get_for_manager(user: AnyUser, code: str | None) -> Region:
    """The region `code` if the user may manage it (404 otherwise); their first root if empty.

    Raises PermissionDenied when the user manages no region at all.
    """
    roots = regions_manageable_roots(user)
    if not roots:
        raise PermissionDenied
    if not code:
        return roots[0]
    region = Region.objects.filter(code=code).first()
    if region is None or not manage_scope(user).covers_region(region.code):
        raise Http404
    return region


def region_navigation(user: AnyUser, region: Region) -> dict[str, Any]:
    """Context for the region picker: the path to `region` (links inside scope), its children."""
    scope = manage_scope(user)
    path = [
        {"region": r, "manageable": scope.covers_region(r.code)} for r in region_ancestors(region)
    ]
    return {
        "region": region,
        "region_path": path,
        "region_children": list(region_children(region).order_by("code")),
        "region_roots": regions_manageable_roots(user),
    }


def calendar_overrides_page(*, region: Region, year: int) -> list[CalendarOverride]:
    """Overrides in `year` that matter on `region`'s calendar page: the nation's, the region's
    ancestors' and its own (they apply here), and those of regions below it (shown for reference).
    """
    return list(
        CalendarOverride.objects.filter(
            Q(region__isnull=True)
            | Q(region_id__in=ancestor_codes(region.code))
            | region_subtree_q(region, "region_id"),
            date__year=year,
        )
        .select_related("region", "created_by")
        .order_by("date", "region_id")
    )
