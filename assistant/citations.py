"""Citation keys in model output: keep only sentences their cited items support; render citations.

The model cites context items by short keys (``[2]``). A sentence is kept only when

* it carries no link, image or markup (those never come from model output);
* it cites at least one key that was given to the model;
* every §, date, case ID, euro amount and percentage it states occurs in a cited item,
  compared as values (``assistant.facts``);
* its content words (``core.tokens`` base forms) overlap a cited item by at least
  ``MIN_OVERLAP``;
* a decision it claims ("päätti", "hyväksyi", "lakkauttaa" …) is in the cited item's
  decision or proposal text: each specific decision verb occurs there and the content
  words overlap that text by at least ``MIN_DECISION_OVERLAP``.

Shown citations are built from item fields, never from model text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.facts import Facts, facts_in
from assistant.text import sentences
from core import tokens
from core.items import AgendaItem

logger = logging.getLogger(__name__)

# Measured by bench/llm_support.py: each sentence of an item X, paraphrased as a model would
# (a third of its words dropped, two words X does not use added, a framing phrase in front),
# is scored against X (true) and against a random other item (wrong citation).
#                              demo (61 items)         Lapua, 15 PDFs (1018 sentences)
#   whole item, 0.40:          93 % kept, 91 % rej.     94 % kept, 89 % rejected
#   decision text, 0.40:       88 % kept, 86 % rej.     93 % kept, 79 % rejected
# 0.40 is where kept and rejected shares cross on both corpora. A wrongly dropped sentence
# costs little (the notice says so; nothing left → grounded answer), a wrongly kept one
# misinforms, and the decision check runs on top of the whole-item check, so both use 0.40
# rather than a more lenient point (0.30 keeps 96-98 % but rejects only 78-85 %).
MIN_OVERLAP = 0.4
MIN_DECISION_OVERLAP = 0.4
MAX_REPLY_CHARS = 8000  # longer model output is cut before splitting (a reply is a few sentences)

KEY = re.compile(r"\[(\d{1,2})\]")
# "… euroa. [1] Seuraava" → "… euroa [1]. Seuraava"; not "11.3. [1]." where the stop is the date's.
_KEY_AFTER_STOP = re.compile(r"([.!?])[ \t]{0,3}((?:\[\d{1,2}\][ \t]?){1,6})(?=[ \t]*(?:\n|$|[A-ZÄÖÅ]))")
# Links, images and markup: schemes, bare www./domain paths, Markdown links/images, HTML tags.
_MARKUP = re.compile(
    r"[a-z][a-z0-9+.-]{1,15}:/{1,3}\S|\bwww\.\S|!\[|\]\(|<[a-z/!?][^<>]{0,200}>"
    r"|(?<![\w-])[\w-]{1,63}\.(?:fi|com|net|org|io|ru|info|biz|xyz|eu|app|link|ly)(?:/|\b)"
    r"|\b(?:javascript|data|vbscript):",
    re.IGNORECASE,
)
_LIST_MARK = re.compile(r"^(?:[-*•#>]{1,6}[ \t]{0,3}|\d{1,2}[.)][ \t])")
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}|`{1,3}")

#: Base forms that state a decision. ``päättää``/``päätös`` only say that one was made; the
#: others name what was decided and must occur in the cited decision or proposal.
DECISION_WORDS = frozenset("""
päättää päätös hyväksyä hylätä hyljätä lakkauttaa lopettaa perustaa myöntää valita nimetä
erottaa irtisanoa myydä ostaa vuokrata korottaa alentaa leikata kieltää sallia määrätä
vahvistaa siirtää sulkea purkaa yhdistää palauttaa jättää antaa
""".split())
GENERIC_DECISION = frozenset({"päättää", "päätös"})


@dataclass
class Verified:
    """Model text after verification."""

    text: str
    cited: list[AgendaItem] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass
class _Support:
    """What one item can support: its facts, its words, its decision words."""

    facts: Facts
    words: frozenset[str]
    decision_words: frozenset[str]  # body, title, proposal and decision
    decision_verbs: frozenset[str]  # DECISION_WORDS in the proposal and decision text


def content_words(text: str) -> frozenset[str]:
    """Base forms of the words of ``text`` (no stop words, no bare numbers or keys)."""
    return frozenset(t for t in tokens.tokenize(KEY.sub(" ", text)) if any(c.isalpha() for c in t))


def item_support(item: AgendaItem) -> _Support:
    """Every fact an item states and the words it uses, for checking model sentences."""
    year = int(item.date[:4]) if item.date[:4].isdigit() else None
    history = " ".join(f"{h.label()} {h.proposal} {h.decision}" for h in item.history)
    blob = " ".join([item.body, item.title, item.text, item.body_text, item.proposal, item.decision,
                     item.votes, history])
    facts = facts_in(blob, default_year=year)
    facts.sections.add(str(item.section))
    facts.update(facts_in(f"{item.date} " + " ".join(h.date for h in item.history)))
    facts.case_ids.update(c.lower() for c in item.case_ids)
    decided = " ".join([item.proposal, item.decision] + [f"{h.proposal} {h.decision}" for h in item.history])
    # Who decided and on what (body, title) belong to the decision; the verbs must be in its text.
    verbs = content_words(decided) & DECISION_WORDS
    return _Support(facts, content_words(blob), content_words(f"{item.body} {item.title} {decided}"), verbs)


def overlap(words: frozenset[str], known: frozenset[str]) -> float:
    """Share of ``words`` that ``known`` contains (1.0 for a sentence with no content words)."""
    return len(words & known) / len(words) if words else 1.0


def unsupported(sentence: str, items: list[AgendaItem]) -> list[str]:
    """Why ``sentence`` is not supported by ``items`` (empty: supported)."""
    return _unsupported(sentence, [item_support(it) for it in items])


def _unsupported(sentence: str, support: list[_Support]) -> list[str]:
    stated = facts_in(KEY.sub(" ", sentence))
    known = Facts()
    for s in support:
        known.update(s.facts)
    bad = [f"section={v}" for v in sorted(stated.sections - known.sections)]
    bad += [f"case_id={v}" for v in sorted(stated.case_ids - known.case_ids)]
    bad += [f"date={d.day}.{d.month}.{d.year or ''}" for d in stated.dates
            if not any(d.within(k) for k in known.dates)]
    bad += [f"euro={_num(v)}" for v in sorted(stated.euros - known.euros)]
    bad += [f"percent={_num(v)}" for v in sorted(stated.percents - known.percents)]
    words = content_words(sentence)
    best = max(overlap(words, s.words) for s in support)
    if best < MIN_OVERLAP:
        bad.append(f"overlap={best:.2f}")
    claimed = words & DECISION_WORDS
    if claimed:
        specific = claimed - GENERIC_DECISION
        ok = any(specific <= s.decision_verbs and overlap(words, s.decision_words) >= MIN_DECISION_OVERLAP
                 for s in support)
        if not ok:
            bad.append("decision=" + ",".join(sorted(claimed)))
    return bad


def _num(v: Decimal) -> str:
    return format(v, "f")


def has_markup(sentence: str) -> bool:
    """A link, image, or HTML/Markdown markup: never kept from model output."""
    return _MARKUP.search(sentence) is not None


def verify(text: str, keyed: dict[int, AgendaItem]) -> Verified:
    """Keep sentences that cite known keys and that those items support; render citations.

    Args:
        text: model output with ``[n]`` keys.
        keyed: key → context item given to the model.

    Returns:
        The kept text with keys replaced by ``(Body d.m.yyyy § n, dnro)``, the cited items in
        first-cited order, and the dropped sentences.
    """
    kept: list[str] = []
    cited: dict[str, AgendaItem] = {}
    dropped: list[str] = []
    support = {k: item_support(it) for k, it in keyed.items()}
    for sent in _split(text):
        keys = list(dict.fromkeys(int(k) for k in KEY.findall(sent)))
        known = [k for k in keys if k in keyed]
        if has_markup(sent):
            reason = ["markup"]
        elif not known:
            reason = ["no known key"]
        else:
            reason = _unsupported(sent, [support[k] for k in known])
        if reason:
            logger.info("dropping model sentence (%s): %s", "; ".join(reason), sent)
            dropped.append(sent)
            continue
        kept.append(_with_labels(sent, [keyed[k] for k in known]))
        for k in known:
            cited.setdefault(keyed[k].item_id, keyed[k])
    return Verified(" ".join(kept), list(cited.values()), dropped)


def _with_labels(sent: str, items: list[AgendaItem]) -> str:
    body = KEY.sub("", sent).strip()
    body = re.sub(r"[ \t]+([.,;:!?])", r"\1", body)
    labels = "; ".join(dict.fromkeys(it.citation() for it in items))
    if body.endswith((".", "!", "?")):
        return f"{body[:-1]} ({labels}){body[-1]}"
    return f"{body} ({labels})"


def _split(text: str) -> list[str]:
    """Sentences of model output, a key written after the full stop moved before it."""
    text = _KEY_AFTER_STOP.sub(lambda m: f" {m.group(2).strip()}{m.group(1)}", text[:MAX_REPLY_CHARS])
    out = []
    for s in sentences(text):
        s = _EMPHASIS.sub("", _LIST_MARK.sub("", s.strip())).strip()
        if s:
            out.append(s)
    return out
