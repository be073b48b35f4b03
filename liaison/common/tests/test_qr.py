"""common/qr.py: the inline SVG carries no text of the data, so templates need no |safe."""

from __future__ import annotations

from django.template import Context, Template
from django.utils.safestring import SafeString

from liaison.common.qr import qr_svg


def test_the_inline_svg_is_safe_markup_holding_none_of_the_data() -> None:
    hostile = 'https://example.org/q/S1?x="><script>alert(1)</script>'
    svg = qr_svg(hostile, scale=3, border=4)
    assert isinstance(svg, SafeString)
    assert svg.startswith("<svg")
    assert "script" not in svg
    assert "example.org" not in svg


def test_a_template_renders_it_without_escaping_and_without_safe() -> None:
    rendered = Template("<div>{{ qr }}</div>").render(Context({"qr": qr_svg("https://x/q/S1")}))
    assert rendered.startswith("<div><svg")
    assert "&lt;" not in rendered
