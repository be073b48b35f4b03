"""Charts of the monthly report, drawn by the platform (matplotlib, the installed CJK font).

The same figures become inline SVG for the web page (text drawn as paths: nothing to load) and
PNG for the Word and PDF files. Without a CJK font `CJKFontMissing` propagates: the report fails
with that message instead of printing boxes.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from liaison.common.fonts import find_cjk_font

CHARTS: tuple[tuple[str, str], ...] = (
    ("channel", "按渠道"),
    ("category", "按分类"),
    ("region", "按区域"),
)
MAX_BARS = 10
COLORS = ("#b71c1c", "#9e9e9e", "#e0b0b0")


def _figure(rows: list[dict[str, Any]], title: str) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(find_cjk_font().path), size=9)
    rows = rows[:MAX_BARS]
    labels = [str(r["label"])[:8] for r in rows]
    figure = Figure(figsize=(7.0, 2.8), dpi=110)
    axes = figure.add_subplot()
    width = 0.27
    positions = list(range(len(rows)))
    series = (("current", "本月"), ("prev", "上月"), ("last_year", "去年同月"))
    for offset, ((key, name), color) in enumerate(zip(series, COLORS, strict=True)):
        values = [r[key] for r in rows]
        xs = [p + (offset - 1) * width for p in positions]
        bars = axes.bar(xs, values, width, label=name, color=color)
        if key == "current":
            axes.bar_label(bars, fontproperties=font, fontsize=7, padding=1)
    axes.set_xticks(positions)
    axes.set_xticklabels(labels, fontproperties=font)
    axes.set_title(title, fontproperties=font, fontsize=11)
    axes.legend(prop=font, frameon=False, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def chart_images(data: dict[str, Any], fmt: str) -> dict[str, bytes]:
    """{dimension: image bytes} for every non-empty breakdown; fmt "svg" or "png"."""
    result: dict[str, bytes] = {}
    for key, title in CHARTS:
        rows = data.get(key) or []
        if not rows:
            continue
        figure = _figure(rows, f"{title}（{data['month_label']}）")
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else None)
        result[key] = buffer.getvalue()
    return result


def chart_svgs(data: dict[str, Any]) -> dict[str, str]:
    """Inline SVG (the XML prolog removed) for the web page."""
    svgs = {}
    for key, image in chart_images(data, "svg").items():
        text = image.decode("utf-8")
        svgs[key] = text[text.index("<svg") :]
    return svgs


def svg_data_uri(svg: str) -> str:
    """An inline SVG document as a data: URI for an <img> (the page's CSP allows data: images)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
