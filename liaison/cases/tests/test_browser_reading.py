"""Age-friendly reading on a phone (issue 11): every visible text is at least 14px with WCAG AA
contrast, the PIN warning stands out, the 大字 mode is remembered, and the long-text counter
speaks before the server has to refuse."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.common.tests.browser import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every rendered text node: its font size, its colour's contrast with the background it sits
# on (walking up to the first opaque background, blending translucent ones), and a sample.
MEASURE = """
() => {
  function rgba(text) {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(",").map(s => parseFloat(s));
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function background(el) {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];
    for (let i = layers.length - 1; i >= 0; i--) {
      const [r, g, b, a] = layers[i];
      out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    }
    return out;
  }
  function luminance([r, g, b]) {
    const f = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || parseFloat(style.opacity) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 1 && r.height > 1);
    if (!rects.length) continue;  // not rendered (closed <details>, display:none, clipped)
    const fg = rgba(style.color);
    const bg = background(el);
    const a = fg[3];
    const blended = [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
    const [l1, l2] = [luminance(blended), luminance(bg)].sort((x, y) => y - x);
    out.push({size: parseFloat(style.fontSize), contrast: (l1 + 0.05) / (l2 + 0.05),
              tag: el.tagName, cls: el.className, text: text.slice(0, 24)});
  }
  const controls = "input:not([type=hidden]), select, textarea, button";
  for (const el of document.querySelectorAll(controls)) {
    if (!el.getClientRects().length) continue;
    out.push({size: parseFloat(getComputedStyle(el).fontSize), contrast: 21, tag: el.tagName,
              cls: el.className, text: el.name || el.textContent.trim().slice(0, 24)});
  }
  return out;
}
"""


def _check_reading(page: Any, where: str) -> None:
    found = page.evaluate(MEASURE)
    assert found, where
    small = [f for f in found if f["size"] < 14]
    assert not small, f"{where}: text under 14px: {small[:5]}"
    faint = [f for f in found if f["contrast"] < 4.5]
    assert not faint, f"{where}: contrast under 4.5:1: {faint[:5]}"
    # Against the device width: a mobile browser widens innerWidth to fit too-wide content.
    overflow = page.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
    assert overflow <= 0, f"{where}: page scrolls sideways by {overflow}px"


def _phone(browser: Any, **extra: Any) -> Any:
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, **extra
    )
    return context.new_page()


def test_every_public_page_reads_at_14px_and_aa_contrast(
    browser: Any, live_server: Any, station: Any
) -> None:
    page = _phone(browser)
    for path in ("/", f"/s/{station.code}/", f"/cases/new/?station={station.code}",
                 "/cases/track/", "/cases/echo/", "/stations/"):  # fmt: skip
        page.goto(live_server.url + path)
        _check_reading(page, path)
    # The page a person must not skim: the PIN, shown once.
    page.goto(f"{live_server.url}/cases/new/?station={station.code}")
    page.get_by_label("求助").check()
    page.get_by_label("标题").fill("楼道灯坏了")
    page.get_by_label("具体内容").fill("3 栋楼道灯坏了一周。")
    page.locator("#id_consent").check()
    page.get_by_text("提交", exact=True).click()
    page.wait_for_url("**/cases/new/done/")
    _check_reading(page, "submitted")
    warning = page.locator(".warn-strong", has_text="查询密码只显示这一次")
    assert warning.is_visible()
    assert float(warning.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 16
    assert warning.evaluate("e => getComputedStyle(e).fontWeight") in ("700", "bold")
    screenshot(page, "reading-pin-warning")


def test_large_text_mode_is_remembered_across_reloads_and_pages(
    browser: Any, live_server: Any, station: Any
) -> None:
    page = _phone(browser)
    page.goto(f"{live_server.url}/s/{station.code}/")

    def base_size() -> float:
        return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))

    normal = base_size()
    assert normal == 16
    toggle = page.locator("[data-text-size]")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert base_size() == pytest.approx(normal * 1.25)
    page.reload()
    assert base_size() == pytest.approx(normal * 1.25)
    page.goto(f"{live_server.url}/cases/new/?station={station.code}")
    assert base_size() == pytest.approx(normal * 1.25)
    _check_reading(page, "large text form")
    screenshot(page, "reading-large-text")
    page.locator("[data-text-size]").click()
    page.reload()
    assert base_size() == normal


def test_without_javascript_the_page_is_normal_and_shows_no_dead_button(
    browser: Any, live_server: Any, station: Any
) -> None:
    page = _phone(browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/s/{station.code}/")
    assert not page.locator("[data-text-size]").is_visible()
    assert page.locator("body").evaluate("e => getComputedStyle(e).fontSize") == "16px"


def test_the_counter_counts_and_warns_past_the_limit(
    browser: Any, live_server: Any, station: Any
) -> None:
    page = _phone(browser)
    page.goto(f"{live_server.url}/cases/new/?station={station.code}")
    content = page.locator("#id_content")
    counter = page.locator("#id_content-count")
    assert counter.inner_text() == "已输入 0 / 5000 字"
    content.fill("路灯\n坏了")
    assert counter.inner_text() == "已输入 5 / 5000 字"
    content.fill("长" * 5003)  # a paste: kept whole, no maxlength cuts it
    assert len(content.input_value()) == 5003
    assert counter.inner_text() == "已输入 5003 / 5000 字，超出 3 字，请精简后再提交"
    assert "over" in (counter.get_attribute("class") or "")
    page.get_by_label("求助").check()
    page.get_by_label("标题").fill("路灯")
    page.locator("#id_consent").check()
    page.get_by_text("提交", exact=True).click()
    page.wait_for_load_state()
    assert "意见内容最多 5000 字，您输入了 5003 字，请精简后再提交" in page.inner_text("body")
    assert len(page.locator("#id_content").input_value()) == 5003
