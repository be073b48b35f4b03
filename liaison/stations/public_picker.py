"""The region `<select>` of the public pages and the station options of the intake form's picker.

The home page, the echo wall and the intake form (for visitors who came without a QR code) each
offer every city and county of the province (about 150 options), and the form up to 300 stations.
Reading and rendering them per view cost more than the rest of these pages. They change with a
division import or a station's status: the lists are kept per process (`HotCache`, cleared by the
station services on commit, elsewhere stale for at most HOT_CACHE_SECONDS) and rendered as one
string (`FastSelect`). Keys: the language (a label is translated), and for stations the
normalized region code, the name filter and the limit, so no two filters share an entry.
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from liaison.common.hotcache import HotCache
from liaison.common.widgets import FastSelect
from liaison.stations import selectors

Groups = list[tuple[str, list[tuple[str, str]]]]

_region_groups: HotCache[Groups] = HotCache("public_region_groups", max_entries=16)
_station_options: HotCache[list[tuple[str, str]]] = HotCache("public_station_options", 500)
# The rendered selects, by language, value as typed, empty label and attributes (a visitor may
# type any value: the cache is bounded and a refill is one rendering).
_region_selects: HotCache[SafeString] = HotCache("public_region_selects", max_entries=200)


def region_groups() -> Groups:
    """Cities as option groups, each with its whole-city option and its counties."""

    def build() -> Groups:
        return [
            (
                city.name,
                [
                    (city.code, _("%(name)s（全市）") % {"name": city.name}),
                    *((county.code, county.name) for county in counties),
                ],
            )
            for city, counties in selectors.home_region_choices()
        ]

    return _region_groups.get(get_language() or "", build)


def region_select(*, value: str, empty_label: str, attrs: dict[str, str]) -> SafeString:
    """The `<select name="region">` with `value` marked (as typed: an unknown code marks none)."""
    label, marks = str(empty_label), {k: str(v) for k, v in attrs.items()}

    def build() -> SafeString:
        choices = [("", label), *region_groups()]
        return FastSelect(attrs=marks, choices=choices).render("region", value)

    # Every part of the key is its own element: no two selects share an entry.
    key = (get_language() or "", value, label, tuple(sorted(marks.items())))
    return _region_selects.get(key, build)


def station_options(*, raw_region: str, text: str, limit: int) -> list[tuple[str, str]]:
    """(code, name) of up to `limit` open stations in a region (all for an unknown one) by name."""
    code = selectors.normalize_region_code(raw_region)

    def build() -> list[tuple[str, str]]:
        region = selectors.region_by_code(code) if code else None
        stations = selectors.stations_public_directory(region=region, text=text)
        return list(stations.values_list("code", "name")[:limit])

    return _station_options.get((code, text, limit), build)
