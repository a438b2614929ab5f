"""Keyboard only, measured contrast, the Content-Security-Policy and the phone layout, in headless Chromium.

Runs ``python app.py`` on the demo corpus (fresh store, indexed on first start)
like ``test_app_browser.py``. Every page records CSP violations from the first
script on, so a policy that broke Gradio would fail here.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_app_browser import QUESTION, driver, start_app, stop_app  # noqa: F401 - driver is a fixture
from test_app_contrast import TEXT, UI, composite, parse_colour, ratio

pytestmark = [pytest.mark.slow, pytest.mark.browser]

RECORD_CSP = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
              "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
FOCUS_INFO = """const e = document.activeElement; const cs = getComputedStyle(e);
return {tag: e.tagName, id: e.id, cls: String(e.className), text: (e.innerText || e.value || '').slice(0, 60),
        label: e.getAttribute('aria-label') || '', outline: cs.outlineStyle !== 'none'
        && parseFloat(cs.outlineWidth) > 0, shadow: cs.boxShadow !== 'none', visible: !!e.offsetParent,
        box: e.closest('#pk-question') !== null, inChat: e.closest('#pk-chat') !== null};"""
# Text colour and the colours behind it: translucent backgrounds composited up the tree, gradient stops kept.
COLOURS = """const out = [];
for (const sel of arguments[0]) {
  for (const el of Array.from(document.querySelectorAll(sel)).slice(0, 3)) {
    if (!el.offsetParent || !(el.innerText || el.value || '').trim()) continue;
    const cs = getComputedStyle(el); const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const s = getComputedStyle(n);
      const stops = (s.backgroundImage.match(/rgba?\\([^)]*\\)/g) || []);
      if (stops.length) { layers.push(stops); break; }
      layers.push([s.backgroundColor]);
      if (!/rgba\\(.*,\\s*0\\)$/.test(s.backgroundColor) && !s.backgroundColor.startsWith('rgba')) break;
    }
    out.push({sel, fg: cs.color, layers, size: parseFloat(cs.fontSize), weight: parseInt(cs.fontWeight)});
  }
}
return out;"""
MEASURED = ["#pk-chat .pk-answer p", "#pk-chat button.pk-cite", "#pk-panel .pk-item h2", "#pk-panel .pk-kicker",
            "#pk-panel .pk-decision p", "#pk-panel .pk-decision h3", "#pk-panel button.pk-link",
            "#pk-panel a.pk-open", "#pk-panel .pk-cited", "#pk-panel .pk-badge", "#pk-status .pk-status",
            ".pk-header h1", ".pk-header .pk-tagline", ".pk-header .pk-disclaimer", ".pk-hint",
            "#pk-sources label span", "#pk-question textarea", "#pk-footer .pk-footer"]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("a11y")
    proc, url = start_app(root / "store", root / "app.log")
    try:
        yield url, root / "app.log"
    finally:
        stop_app(proc)


def _open(d, url: str, *, phone: bool = False) -> object:  # noqa: ANN001 - selenium objects
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CSP})
    if phone:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    d.get(url)
    wait = WebDriverWait(d, 600, poll_frequency=0.3)
    wait.until(lambda d: "Hakemistossa on" in d.find_element(By.ID, "pk-status").text)
    return wait


def _keys(d, *keys: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(d).send_keys(*keys).perform()


def _tab_until(d, match, *, back: bool = False, limit: int = 120) -> list[dict]:  # noqa: ANN001
    """Press Tab (Shift+Tab) until ``match(focus info)``; every visited element is returned."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    seen = []
    for _ in range(limit):
        chain = ActionChains(d)
        if back:
            chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            chain.send_keys(Keys.TAB)
        chain.perform()
        info = d.execute_script(FOCUS_INFO)
        seen.append(info)
        if match(info):
            return seen
    pytest.fail(f"Tab never reached the target; visited: {[(i['tag'], i['id'], i['text']) for i in seen]}")


def _assert_focus_visible(seen: list[dict]) -> None:
    hidden = [i for i in seen if i["visible"] and i["tag"] != "BODY" and not (i["outline"] or i["shadow"])]
    assert not hidden, hidden


def test_keyboard_only_question_marker_panel_case_feedback_export(app_url, driver) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, _ = app_url
    d = driver
    wait = _open(d, url)
    assert d.execute_script(FOCUS_INFO)["box"], "the question box has the focus on load"
    _keys(d, QUESTION, Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-sources label"))
    time.sleep(0.5)  # the final answer replaces the streamed one

    # back from the question box into the answer: its [n] markers are buttons in the tab order
    seen = _tab_until(d, lambda i: "pk-cite" in i["cls"], back=True)
    _assert_focus_visible(seen)
    marker = d.execute_script(FOCUS_INFO)["text"]
    _keys(d, Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-cited"))
    assert d.find_element(By.CSS_SELECTOR, "#pk-panel .pk-cited").text.startswith(marker)
    wait.until(lambda d: "pk-item" in d.execute_script(FOCUS_INFO)["cls"])
    _assert_focus_visible([d.execute_script(FOCUS_INFO)])

    # on from the opened § to "Asian käsittely", which opens with Enter too
    seen = _tab_until(d, lambda i: i["text"] == "Asian käsittely", limit=20)
    _assert_focus_visible(seen)
    _keys(d, Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-case tbody tr"))

    # no trap: Tab goes round the whole page back to the question box, passing feedback and export
    seen = _tab_until(d, lambda i: i["box"], limit=200)
    seen += _tab_until(d, lambda i: i["label"] == "Dislike", limit=200)
    _assert_focus_visible(seen)
    labels = {i["label"] for i in seen} | {i["text"] for i in seen}
    assert {"Like", "Dislike"} <= labels and "Kopioi tai vie" in " ".join(labels), labels
    _keys(d, Keys.ENTER)  # 👎 by keyboard opens the comment box
    wait.until(lambda d: any(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, "#pk-comment textarea")))
    seen = _tab_until(d, lambda i: i["tag"] == "BUTTON" and i["text"].strip().startswith("Kopioi tai vie"),
                      limit=60)
    _keys(d, Keys.ENTER)  # opens the accordion
    wait.until(lambda d: d.find_element(By.ID, "pk-export").is_displayed())
    seen += _tab_until(d, lambda i: i["id"] == "pk-export" or "Vie keskustelu" in i["text"], limit=30)
    _assert_focus_visible(seen)
    assert d.execute_script("return window.__csp") == []


def test_csp_headers_and_gradio_works_under_them(app_url, driver) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, _ = app_url
    with urllib.request.urlopen(url, timeout=10) as r:
        csp = r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Referrer-Policy"] == "no-referrer"
    for part in ("object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'", "form-action 'self'",
                 "img-src 'self' data: blob:"):
        assert part in csp
    d = driver
    wait = _open(d, url)
    box = d.find_element(By.CSS_SELECTOR, "#pk-question textarea")
    box.send_keys(QUESTION, Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-sources label"))
    assert "§" in d.find_element(By.ID, "pk-chat").text
    assert d.execute_script("return window.__csp") == []


def _measure(d) -> list[tuple[str, float, float]]:  # noqa: ANN001
    """``(selector, worst ratio, needed)`` for the rendered main elements."""
    out = []
    for m in d.execute_script(COLOURS, MEASURED):
        fg = parse_colour(m["fg"])
        behind = [(255.0, 255.0, 255.0, 1.0)]  # the canvas
        for layer in reversed(m["layers"]):
            behind = [composite(c, b) if c[3] < 1 else c for c in map(parse_colour, layer) for b in behind]
        worst = min(ratio(composite(fg, b) if fg[3] < 1 else fg, b) for b in behind)
        large = m["size"] >= 24 or (m["size"] >= 18.66 and m["weight"] >= 700)
        out.append((m["sel"], round(worst, 2), UI if large else TEXT))
    return out


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_rendered_contrast_meets_aa(app_url, driver, theme: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, _ = app_url
    d = driver
    wait = _open(d, f"{url}?__theme={theme}")
    assert d.execute_script("return document.body.classList.contains('dark')") == (theme == "dark")
    d.find_element(By.CSS_SELECTOR, "#pk-question textarea").send_keys(QUESTION, Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-sources label"))
    btn = d.find_elements(By.CSS_SELECTOR, "#pk-chat button.pk-cite")[0]
    d.execute_script("arguments[0].click()", btn)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-decision"))
    measured = _measure(d)
    print(theme, measured)  # noqa: T201 - the figures
    assert {m[0] for m in measured} >= {"#pk-chat .pk-answer p", "#pk-chat button.pk-cite", "#pk-panel .pk-kicker",
                                        "#pk-panel .pk-decision p", ".pk-header h1"}
    failing = [m for m in measured if m[1] < m[2]]
    assert not failing, failing


def test_phone_layout_has_no_sideways_scroll_and_reaches_the_panel(app_url, driver) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, _ = app_url
    d = driver
    wait = _open(d, url, phone=True)
    width = d.execute_script("return window.innerWidth")
    assert width == 390
    d.find_element(By.CSS_SELECTOR, "#pk-question textarea").send_keys(QUESTION, Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-sources label"))
    time.sleep(0.5)
    overflow = "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert d.execute_script(overflow) <= 0
    answer = d.find_elements(By.CSS_SELECTOR, "#pk-chat .pk-answer")[-1]
    box = d.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", answer)
    assert box[0] >= 0 and box[1] <= width, box
    btn = d.find_elements(By.CSS_SELECTOR, "#pk-chat button.pk-cite")[0]
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", btn)
    time.sleep(0.3)
    btn.click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-cited"))
    panel = d.find_element(By.CSS_SELECTOR, "#pk-panel .pk-item")
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})", panel)
    rect = d.execute_script("const r = arguments[0].getBoundingClientRect(); "
                            "return [r.left, r.right, r.top, window.innerHeight]", panel)
    assert rect[0] >= 0 and rect[1] <= width and 0 <= rect[2] < rect[3], rect
    assert panel.is_displayed() and d.execute_script(overflow) <= 0
    assert d.execute_script("return window.__csp") == []
