"""The construction checklist (建设标准, "七有" by default) stations are assessed against.

The checklist and the result thresholds are jurisdiction settings (`liaison.jurisdiction`); the
constants here are the defaults used when that module or the setting is not available.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypedDict, cast

from liaison.regions.models import Region
from liaison.stations.models import AssessmentResult

logger = logging.getLogger(__name__)

STANDARD_ITEMS_KEY: Final = "station_standard_items"
THRESHOLDS_KEY: Final = "station_assessment_thresholds"


class StandardItem(TypedDict):
    key: str
    name: str
    max_score: int


# 七有: 有场所、有牌子、有制度、有人员、有经费、有活动、有台账.
DEFAULT_STANDARD_ITEMS: Final[tuple[StandardItem, ...]] = (
    {"key": "place", "name": "场所", "max_score": 15},
    {"key": "sign", "name": "牌子", "max_score": 10},
    {"key": "rules", "name": "制度", "max_score": 15},
    {"key": "staff", "name": "人员", "max_score": 15},
    {"key": "funds", "name": "经费", "max_score": 15},
    {"key": "activities", "name": "活动", "max_score": 15},
    {"key": "ledger", "name": "台账", "max_score": 15},
)

# Lowest percentage of the full score for each result, best first.
DEFAULT_THRESHOLDS: Final[dict[str, int]] = {
    AssessmentResult.EXCELLENT: 90,
    AssessmentResult.PASSED: 80,
    AssessmentResult.BASIC: 60,
}


def _setting_reader() -> Callable[..., Any] | None:
    """`setting_value(*, key, region)` of the jurisdiction app, if it is installed."""
    for module in ("liaison.jurisdiction.selectors", "liaison.jurisdiction.services"):
        try:
            reader = getattr(importlib.import_module(module), "setting_value", None)
        except ImportError:
            continue
        if callable(reader):
            return cast("Callable[..., Any]", reader)
    return None


def _jurisdiction_value(key: str, region: Region | None) -> Any:
    """The jurisdiction setting `key` for `region`, or None when unavailable."""
    reader = _setting_reader()
    if reader is None:
        return None
    try:
        return reader(key=key, region=region)
    except (KeyError, LookupError, ValueError) as error:
        logger.warning("jurisdiction setting %s unavailable: %s", key, error)
        return None


def _valid_items(value: Any) -> list[StandardItem] | None:
    if not isinstance(value, list | tuple) or not value:
        return None
    items: list[StandardItem] = []
    seen: set[str] = set()
    for raw in value:
        if not isinstance(raw, dict):
            return None
        key, name, max_score = raw.get("key"), raw.get("name"), raw.get("max_score")
        if not isinstance(key, str) or not key or key in seen or not isinstance(name, str):
            return None
        try:
            # Whatever the JSON held (typed object): int() refuses what is unusable, caught below.
            max_int = int(max_score)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        if max_int <= 0:
            return None
        seen.add(key)
        items.append({"key": key, "name": name, "max_score": max_int})
    return items


def standard_items_for(region: Region | None) -> list[StandardItem]:
    """The checklist that applies in `region`: the jurisdiction setting, else the default."""
    items = _valid_items(_jurisdiction_value(STANDARD_ITEMS_KEY, region))
    if items is None:
        return [item.copy() for item in DEFAULT_STANDARD_ITEMS]
    return items


def thresholds_for(region: Region | None) -> dict[str, Decimal]:
    """Percent thresholds per result in `region` ({"excellent": 90, "passed": 80, "basic": 60})."""
    value = _jurisdiction_value(THRESHOLDS_KEY, region)
    thresholds = {k: Decimal(v) for k, v in DEFAULT_THRESHOLDS.items()}
    if isinstance(value, dict):
        for result in thresholds:
            raw = value.get(str(result), value.get(str(AssessmentResult(result).label)))
            try:
                thresholds[result] = Decimal(str(raw)) if raw is not None else thresholds[result]
            except ArithmeticError:
                continue
    return thresholds


def result_for(*, score: Decimal, max_score: Decimal, thresholds: dict[str, Decimal]) -> str:
    """The assessment result of `score` out of `max_score` under percentage `thresholds`."""
    percent = score * 100 / max_score if max_score else Decimal(0)
    for result in (AssessmentResult.EXCELLENT, AssessmentResult.PASSED, AssessmentResult.BASIC):
        if percent >= thresholds[result]:
            return result
    return AssessmentResult.FAILED
