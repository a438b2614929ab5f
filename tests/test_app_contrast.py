"""WCAG 2.x contrast of the colours ui/style.py actually uses, light and dark, measured.

Every rule of ``APP_CSS`` that sets a text colour and a background is checked
with the relative-luminance formula (variables resolved per theme, ``.dark``
overrides applied, every stop of a gradient); text colours without their own
background are checked against the theme's page background; the focus ring and
the source-card borders are UI components (3:1). The browser test
(``test_app_a11y.py``) measures the rendered page with ``getComputedStyle``.
"""

from __future__ import annotations

import re

import gradio as gr
import pytest

from ui.style import APP_CSS

TEXT, UI = 4.5, 3.0  # WCAG AA: normal text; large text and UI components
# Page backgrounds of the app theme (Gradio Default, neutral hue slate): white / neutral_950.
PAGE = {"light": "#ffffff", "dark": gr.themes.colors.slate.c950}

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def parse_colour(value: str) -> tuple[float, float, float, float] | None:
    """``#rgb``, ``#rrggbb``, ``rgb()`` or ``rgba()`` → (r, g, b, alpha) with r, g, b in 0–255."""
    value = value.strip().lower()
    if value.startswith("#"):
        h = value[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
    m = re.match(r"rgba?\(([^)]*)\)", value)
    if not m:
        return None
    parts = [p for p in re.split(r"[\s,/]+", m.group(1)) if p]
    r, g, b = (float(x) for x in parts[:3])
    return r, g, b, float(parts[3]) if len(parts) > 3 else 1.0


def luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0–255 channels)."""
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(fg: str | tuple, bg: str | tuple) -> float:
    """Contrast ratio (1–21) of two opaque colours."""
    a = luminance(parse_colour(fg) if isinstance(fg, str) else fg)
    b = luminance(parse_colour(bg) if isinstance(bg, str) else bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """``(selector, {property: value})`` for every plain rule (media blocks are read as plain rules)."""
    out = []
    for sel, body in _RULE.findall(css.replace("\n", " ")):
        sel = sel.split("}")[-1].strip()
        if sel.startswith("@media"):
            sel = sel.split("{")[-1].strip()
        decls = {}
        for d in body.split(";"):
            if ":" in d:
                k, v = d.split(":", 1)
                decls[k.strip().lower()] = v.replace("!important", "").strip()
        out.append((sel, decls))
    return out


def theme_vars(rules: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    light = next(d for s, d in rules if s == ":root")
    dark = {**light, **next(d for s, d in rules if s == ".dark")}
    return {"light": light, "dark": dark}


def colours(value: str, variables: dict[str, str]) -> list[str]:
    """Every colour a ``color``/``background`` value can show (each gradient stop), variables resolved."""
    value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables.get(m.group(1), m.group(0)), value)
    return _HEX.findall(value)


def composite(fg: tuple, bg: tuple) -> tuple:
    """A translucent colour over an opaque one."""
    a = fg[3]
    return tuple(fg[i] * a + bg[i] * (1 - a) for i in range(3)) + (1.0,)


def backgrounds(sel: str, decls: dict[str, str], rules: list, variables: dict[str, str], page: str) -> list:
    """The colours behind a rule's text: its own background, else its ancestor's in the selector, else the page.

    A translucent background (``rgba``) is composited over what lies behind it.
    """
    behind = [parse_colour(page)]
    ancestor = sel.rsplit(" ", 1)[0] if " " in sel else ""
    if ancestor:
        parent = next((d for s, d in rules if s == ancestor and "background" in d), None)
        if parent:
            behind = [parse_colour(c) for c in colours(parent["background"], variables)] or behind
    value = decls.get("background", decls.get("background-color", ""))
    own = [parse_colour(c) for c in colours(value, variables)]
    own += [parse_colour(m) for m in re.findall(r"rgba?\([^)]*\)", value)]
    if not own:  # transparent or a Gradio variable: what is behind shows through
        return behind
    return [composite(c, b) if c[3] < 1 else c for c in own for b in behind]


def text_pairs() -> list[tuple[str, str, str, str, float]]:
    """``(theme, selector, fg, bg, needed)`` for every rule's text colour on its background."""
    rules = css_rules(APP_CSS)
    variables = theme_vars(rules)
    dark_rules = {s[len(".dark "):]: d for s, d in rules if s.startswith(".dark ")}
    pairs = []
    for sel, decls in rules:
        if sel.startswith((".dark", ":root")) or "color" not in decls:
            continue
        for theme in ("light", "dark"):
            d = {**decls, **dark_rules.get(sel, {})} if theme == "dark" else decls
            bgs = backgrounds(sel, d, rules, variables[theme], PAGE[theme])
            needed = UI if "h1" in sel else TEXT  # the header title is large text (1.3rem bold)
            pairs += [(theme, sel, fg, bg, needed) for fg in colours(d["color"], variables[theme]) for bg in bgs]
    return pairs


def test_colour_parsing_and_formula() -> None:
    assert ratio("#000", "#fff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert parse_colour("rgba(1, 2, 3, 0.5)") == (1, 2, 3, 0.5)
    rules = css_rules(".a { color:#fff; background: linear-gradient(135deg,#1e3a8a,#1d4ed8); }")
    assert colours(rules[0][1]["background"], {}) == ["#1e3a8a", "#1d4ed8"]


def test_every_text_colour_meets_aa_on_its_background_in_both_themes() -> None:
    pairs = text_pairs()
    assert len(pairs) > 40  # the parser really found the stylesheet's rules
    assert {p[1] for p in pairs} >= {"button.pk-cite", "button.pk-link", ".pk-open", ".pk-status-ok",
                                     ".pk-badge-warn", ".pk-muted", ".pk-kicker"}
    failing = [(t, s, fg, bg, round(ratio(fg, bg), 2)) for t, s, fg, bg, need in pairs if ratio(fg, bg) < need]
    assert any(s == ".pk-header .pk-disclaimer" for _, s, *_ in pairs)  # translucent box over the gradient
    assert not failing, failing


def test_tinted_boxes_keep_aa_for_the_text_inside_them() -> None:
    """Text inside a tinted box (decision, cited label, current row) is read on the box's colour."""
    variables = theme_vars(css_rules(APP_CSS))
    inside = [("--pk-ok", "--pk-ok-bg"), ("--pk-ink", "--pk-ok-bg"), ("--pk-ink", "--pk-accent-soft"),
              ("--pk-muted", "--pk-soft"), ("--pk-accent", "--pk-soft"), ("--pk-ink", "--pk-soft"),
              ("--pk-muted", "--pk-accent-soft")]
    for theme, v in variables.items():
        for fg, bg in inside:
            assert ratio(v[fg], v[bg]) >= TEXT, (theme, fg, bg, ratio(v[fg], v[bg]))


def test_focus_ring_and_component_borders_meet_3_to_1() -> None:
    rules = css_rules(APP_CSS)
    variables = theme_vars(rules)
    for theme in ("light", "dark"):
        rings = {c for s, d in rules if ":focus" in s for c in colours(d.get("outline", ""), variables[theme])}
        assert rings, "no focus outline colour found"
        for ring in rings:
            for bg in (PAGE[theme], variables[theme]["--pk-soft"], variables[theme]["--pk-accent-soft"]):
                assert ratio(ring, bg) >= UI, (theme, ring, bg, ratio(ring, bg))
        # the selected source card is marked by its accent border alone
        assert ratio(variables[theme]["--pk-accent"], PAGE[theme]) >= UI
