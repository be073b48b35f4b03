"""Suggested follow-ups of the monthly report (研判建议), from rules with jurisdiction settings.

- a hot topic with at least `report_topic_min_messages` messages from at least two stations:
  建议代表就此形成代表建议;
- a first-level category up at least `report_category_rise_percent` % on last month (and at least
  `report_category_min_cases` cases this month, so 1 → 2 is not a trend): 建议专题调研;

No follow-up comes from the reply-quality score: it recommended 督办 against units on scores that
disagreed with people's judgement (a concrete reply scored 51). The score is shown as a hint with
its reasons until its agreement with hand ratings meets the bar of decision 0007
(`liaison.nlp.agreement`). Snapshots made before keep a "supervise" item; pages and
documents leave it out (`SCORE_DRIVEN_KINDS`).
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


#: Kinds of follow-up that older snapshots may hold and that are no longer shown (see above).
SCORE_DRIVEN_KINDS = frozenset({"supervise"})


def shown_follow_ups(data: dict[str, Any]) -> list[dict[str, str]]:
    """The follow-ups of a snapshot that may be shown (old score-driven ones left out)."""
    return [s for s in data.get("suggestions", []) if s.get("kind") not in SCORE_DRIVEN_KINDS]


def follow_ups(
    *,
    topics: list[dict[str, Any]],
    categories: list[dict[str, Any]],
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
    return result
