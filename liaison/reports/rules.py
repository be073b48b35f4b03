"""Suggested follow-ups of the monthly report (研判建议), from rules with jurisdiction settings.

- a hot topic with at least `report_topic_min_messages` messages from at least two stations:
  建议代表就此形成代表建议;
- a first-level category up at least `report_category_rise_percent` % on last month (and at least
  `report_category_min_cases` cases this month, so 1 → 2 is not a trend): 建议专题调研;
- a handling unit whose mean reply quality is under `reply_quality_low_score`: 建议督办.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.jurisdiction.registry import SettingDef, register

_GROUP = gettext_lazy("研判分析")

for _definition in (
    SettingDef(
        key="report_topic_min_messages",
        label=gettext_lazy("研判：形成代表建议的热点件数"),
        type="int",
        default=5,
        min_value=2,
        max_value=1000,
        group=_GROUP,
        help=gettext_lazy("一个热点至少有这么多件、且来自两个以上联络站时，建议代表形成代表建议。"),
    ),
    SettingDef(
        key="report_category_rise_percent",
        label=gettext_lazy("研判：专题调研的环比增幅"),
        type="int",
        default=50,
        min_value=1,
        max_value=1000,
        unit="%",
        group=_GROUP,
        help=gettext_lazy("某一类诉求环比增长达到此比例时，建议开展专题调研。"),
    ),
    SettingDef(
        key="report_category_min_cases",
        label=gettext_lazy("研判：专题调研的最少件数"),
        type="int",
        default=5,
        min_value=1,
        max_value=10000,
        group=_GROUP,
        help=gettext_lazy("本月件数少于此数的分类不提示专题调研。"),
    ),
):
    register(_definition)


def follow_ups(
    *,
    topics: list[dict[str, Any]],
    categories: list[dict[str, Any]],
    units: list[dict[str, Any]],
    thresholds: dict[str, int],
) -> list[dict[str, str]]:
    """The suggestions, each {"kind", "text"}; pure, for the data snapshot."""
    result: list[dict[str, str]] = []
    for topic in topics:
        if topic["size"] >= thresholds["topic_min"] and len(topic["stations"]) >= 2:
            result.append(
                {
                    "kind": "suggestion",
                    "text": _(
                        "热点“%(label)s”本月 %(n)d 件，涉及 %(s)d 个联络站："
                        "建议代表就此形成代表建议。"
                    )
                    % {"label": topic["label"], "n": topic["size"], "s": len(topic["stations"])},
                }
            )
    for row in categories:
        mom = row.get("mom")
        if (
            mom is not None
            and mom >= thresholds["rise_percent"]
            and row["current"] >= thresholds["category_min"]
        ):
            result.append(
                {
                    "kind": "research",
                    "text": _("“%(c)s”类诉求 %(n)d 件，环比上升 %(p)s%%：建议专题调研。")
                    % {"c": row["label"], "n": row["current"], "p": f"{mom:g}"},
                }
            )
    for unit in units:
        score = unit.get("mean_score")
        if score is not None and score < thresholds["low_score"]:
            result.append(
                {
                    "kind": "supervise",
                    "text": _("%(u)s答复质量平均 %(s)s 分（%(n)d 件）：建议督办。")
                    % {"u": unit["unit"], "s": f"{score:g}", "n": unit["replies"]},
                }
            )
    return result
