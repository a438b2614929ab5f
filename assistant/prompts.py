"""Load the answer and prompt templates of ``prompts/`` and fill them by name.

Templates use ``string.Template`` placeholders (``$name``). Filling a template
with a variable missing raises ``MissingVariablesError`` naming it, and the
loader checks that each template uses only the variables it is meant to.
"""

from __future__ import annotations

import functools
import logging
import string
from pathlib import Path

logger = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"

#: Variables each template may use; the loader rejects unknown ones.
TEMPLATE_VARIABLES: dict[str, set[str]] = {
    "refuse_fi": set(),
    "refuse_topic_fi": {"topic", "scope"},
    "refuse_entity_fi": {"names"},
    "no_meeting_fi": {"what", "when", "nearest"},
    "nearest_fi": {"meetings"},
    "unknown_words_fi": {"words"},
    "nearest_items_fi": {"items"},
    "nearest_item_fi": {"label", "title"},
    "meeting_intro_fi": {"body", "when"},
    "topic_intro_fi": set(),
    "meeting_header_fi": {"body", "date", "kind"},
    "item_line_fi": {"section", "title", "summary", "citation"},
    "decision_fi": {"body", "date", "title", "summary", "citation"},
    "refuse_other_body_fi": {"bodies"},
    "agenda_fi": {"title", "proposal", "citation"},
    "history_fi": {"label", "summary", "citation"},
    "proposal_fi": {"quote", "citation"},
    "fact_fi": {"quote", "citation"},
    "adopted_fi": {"body", "date", "quote", "citation"},
    "section_fi": {"section", "citation"},
    "role_fi": {"role", "holder", "quote", "citation"},
    "members_fi": {"heading", "body", "date", "names", "citation"},
    "more_entries_fi": {"count", "citation"},
    "earlier_steps_fi": {"steps"},
    "llm_system_fi": {"refusal"},
    "llm_user_fi": {"context", "question"},
    "llm_item_fi": {"key", "citation", "kind", "title", "content", "boundary"},
    "llm_dropped_fi": {"count"},
    "llm_dropped_one_fi": set(),
}


class MissingVariablesError(KeyError):
    """A template was filled without some of its variables."""


@functools.cache
def load(name: str) -> string.Template:
    """The template ``prompts/<name>.txt``.

    Raises:
        ValueError: unknown template name, or the file uses variables not allowed for it.
    """
    if name not in TEMPLATE_VARIABLES:
        raise ValueError(f"unknown template {name!r}; valid: {', '.join(sorted(TEMPLATE_VARIABLES))}")
    text = (PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
    tpl = string.Template(text)
    used = set(variables(tpl))
    unknown = used - TEMPLATE_VARIABLES[name]
    if unknown:
        raise ValueError(f"template {name!r} uses unknown variables: {', '.join(sorted(unknown))}")
    return tpl


def variables(tpl: string.Template) -> list[str]:
    """Placeholder names used in ``tpl``."""
    return [m.group("named") or m.group("braced") for m in tpl.pattern.finditer(tpl.template)
            if m.group("named") or m.group("braced")]


def render(name: str, **values: object) -> str:
    """Fill template ``name``.

    Raises:
        MissingVariablesError: a placeholder of the template has no value.
    """
    tpl = load(name)
    missing = [v for v in variables(tpl) if v not in values]
    if missing:
        raise MissingVariablesError(f"template {name!r} needs: {', '.join(missing)}")
    return tpl.substitute({k: str(v) for k, v in values.items()})


def refusal() -> str:
    """The one refusal sentence (prompt, composer and tests all use this)."""
    return render("refuse_fi")


REFUSAL = refusal()
