"""The conversation as a Markdown document (every text Markdown-escaped: no links or images from minutes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ui.render import md_escape

PRODUCT = "Pöytäkirja-avustaja"


def conversation_markdown(turns: dict, *, today: date | None = None) -> str:
    """``turns`` (chat index → question, plain answer, numbered citations) → Markdown, in chat order."""
    out = [f"# Keskustelu – {PRODUCT}", "", f"Viety {(today or date.today()).strftime('%-d.%-m.%Y')}. "
           "Vastaukset perustuvat hakemiston pöytäkirjoihin; tarkista tärkeät asiat alkuperäisistä.", ""]
    for i, key in enumerate(sorted(turns, key=int), 1):
        t = turns[key]
        answer = t["plain"].split("\n\nLähteet:\n", 1)[0]
        out += [f"## {i}. {md_escape(t['question'])}", ""]
        out += [md_escape(line) if line.strip() else "" for line in answer.splitlines()]
        if t["citations"]:
            out += ["", "**Lähteet**", ""]
            for c in t["citations"]:
                title = f" – {c['title']}" if c.get("title") else ""
                where = f" ({Path(c['source']).name}, s. {c['page']})" if c.get("source") else ""
                out.append(f"{c['n']}\\. {md_escape(c['label'] + title + where)}")
                out.append("")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
