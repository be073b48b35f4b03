"""Public phone pages: home, station directory, station page and the QR scan entry."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from liaison.common.hotcache import HotCache
from liaison.common.pagecache import fragment_digest, fragment_seconds, public_page
from liaison.common.paging import paginate
from liaison.regions.selectors import region_path_label
from liaison.stations import public_picker, selectors
from liaison.stations.models import Station, StationStatus
from liaison.stations.services import scan_count_increment

NOT_FOUND_TEMPLATE = "h5/stations/not_found.html"
# Marks a visit that began with a scan of a QR code (`scan`), so that an opinion sent from there
# is recorded as 扫码 and one sent from a page reached otherwise as 网站.
VIA_QR = "qr"


def not_found(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """A friendly 404 page in the public site's style."""
    context = {"message": message or _("二维码无效或站点已停用")}
    return render(request, NOT_FOUND_TEMPLATE, context, status=404)


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    region_select = public_picker.region_select(
        value="",
        empty_label=_("选择市、县（区）"),
        attrs={"id": "home-region", "aria-label": _("所在地区")},
    )
    return render(request, "h5/stations/home.html", {"region_select": region_select})


@require_GET
@public_page
def directory(request: HttpRequest) -> HttpResponse:
    raw_region = request.GET.get("region", "").strip()
    text = request.GET.get("q", "").strip()[:100]
    region = selectors.region_by_code(raw_region) if raw_region else None
    unknown_region = bool(raw_region) and region is None
    if unknown_region:
        stations = selectors.stations_public().none()
    else:
        # The columns a row shows; its region label comes from a cache (no join).
        stations = (
            selectors.stations_public_directory(region=region, text=text)
            .select_related(None)
            .only("code", "name", "kind", "address", "region_id")
        )
    context = paginate(request, stations, per_page=20)
    page_items = list(context["page_obj"].object_list)
    labels = selectors.region_labels_cached({s.region_id for s in page_items})
    rows = [(station, labels.get(station.region_id, "")) for station in page_items]
    context.update(
        {
            "rows": rows,
            # The list is a cached fragment keyed by what it shows (20 links, kinds, addresses).
            "rows_key": fragment_digest(
                [(s.code, s.name, s.kind, s.address, label) for s, label in rows]
            ),
            "fragment_seconds": fragment_seconds(),
            "region": region,
            "region_label": region_path_label(region) if region else "",
            "unknown_region": unknown_region,
            "q": text,
            "raw_region": raw_region,
        }
    )
    return render(request, "h5/stations/directory.html", context)


def out_of_service(request: HttpRequest, station: Station) -> HttpResponse:
    """A paused or closed station's page: why, and the open stations nearby."""
    context = {
        "station": station,
        "paused": station.status == StationStatus.SUSPENDED,
        "nearby": selectors.stations_open_nearby(station),
    }
    # A pause is temporary: the page is there. A closed station is gone.
    status = 200 if station.status == StationStatus.SUSPENDED else 404
    return render(request, "h5/stations/out_of_service.html", context, status=status)


def _not_public(request: HttpRequest, code: str) -> HttpResponse:
    inactive = selectors.station_out_of_service_get(code)
    if inactive is not None:
        return out_of_service(request, inactive)
    return not_found(request)


# What a station's page shows, by code and date: it changes with a write (the station, its
# deputies, plan, reception days, pop-up dates: the station and deputy services clear it in their
# process at once) or with the day; other processes see a change within HOT_CACHE_SECONDS, and the
# page itself may be kept PUBLIC_PAGE_CACHE_SECONDS more (decision 0048). Six queries and the
# rows built from them, on the page people open from a QR code.
_station_parts: HotCache[dict[str, Any] | None] = HotCache("station_public_pages", 2_000)


def _station_page_parts(code: str) -> dict[str, Any] | None:
    today = timezone.localdate()

    def build() -> dict[str, Any] | None:
        try:
            item = selectors.station_public_get(code)
        except Http404:
            return None
        return {
            "station": item,
            "region_label": selectors.region_label_cached(item.region_id),
            "appearances": selectors.station_upcoming_appearances(item),
            "deputies": selectors.station_deputies(item, today=today),
            "work_plan": selectors.station_work_plan(item, today=today),
            "receptions": selectors.station_receptions(item, today=today),
            "children": selectors.station_public_children(item),
            "parent": item.parent if item.parent and item.parent.is_public else None,
        }

    return _station_parts.get((code, today), build)


@require_GET
@public_page
def station(request: HttpRequest, code: str) -> HttpResponse:
    code = code.strip().upper()
    parts = _station_page_parts(code)
    if parts is None:
        return _not_public(request, code)
    context = {**parts, "via": VIA_QR if request.GET.get("via") == VIA_QR else ""}
    return render(request, "h5/stations/station.html", context)


@never_cache
@require_GET
def scan(request: HttpRequest, code: str) -> HttpResponse:
    """Count a QR scan and send the visitor to the station's or deputy's page."""
    code = code.strip().upper()
    kind = selectors.public_code_kind(code)
    if not kind:
        return _not_public(request, code)
    scan_count_increment(code=code)
    target = selectors.public_code_url(code)
    return HttpResponseRedirect(f"{target}?via={VIA_QR}")
