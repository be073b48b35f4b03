"""Reads of the region tree."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.regions.models import Region, ancestor_codes


def region_subtree_q(region: Region, field: str = "code") -> Q:
    """A filter for rows whose region code `field` lies in `region` or below it."""
    low, high = region.bounds
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def region_subtree(region: Region) -> QuerySet[Region]:
    """The region and everything under it, in one indexed range query."""
    return Region.objects.filter(region_subtree_q(region))


def region_ancestors(region: Region) -> list[Region]:
    """The region's ancestors from the top, the region itself last."""
    by_code = Region.objects.in_bulk(ancestor_codes(region.code))
    return [by_code[c] for c in ancestor_codes(region.code) if c in by_code]


def region_children(region: Region | None) -> QuerySet[Region]:
    if region is None:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(parent=region)


def region_path_label(region: Region) -> str:
    """'湖南省 / 长沙市 / 岳麓区' for display."""
    return " / ".join(r.name for r in region_ancestors(region))
