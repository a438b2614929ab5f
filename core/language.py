"""Which language an item is written in (Finnish or Swedish), and Swedish lexical tokens.

Finland-Swedish organisations publish protokoll in Swedish. The Finnish
analyser (Voikko) knows no Swedish, so on the lexical side a Swedish item is
stemmed with the Snowball Swedish stemmer instead.

Detection is a cheap count of very frequent function words of each language
in the text: Swedish when its function words outnumber the Finnish ones. The
same Swedish function words are the Swedish stopwords (one list, one home).

Swedish word stems carry the prefix ``sv:`` so they live in their own part
of the vocabulary: a Swedish stem never collides with a Finnish base form of
another word ("tulo"), and a Finnish-only store is searched exactly as before.
Numbers, dates and case IDs are the same tokens in both languages.

A Finnish question still finds a Swedish item through the multilingual
embedder (the dense side); a Swedish question meets Swedish items here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal

Language = Literal["fi", "sv"]

#: Part of ``core.tokens.signature()``: change it whenever Swedish tokens change.
SIGNATURE = "sv1"
SV_PREFIX = "sv:"

# The most frequent function words of each language (no topic words): the detection signal
# and, for Swedish, the stopwords. Words shared by both languages are left out.
SV_FUNCTION_WORDS: frozenset[str] = frozenset("""
och att det som är av för med till den på har inte om ett de från vid ska skall enligt
""".split())
FI_FUNCTION_WORDS: frozenset[str] = frozenset("""
ja on ei että tai sekä kun joka jonka ovat oli myös tämä mukaan kanssa jos se sen olla
""".split())

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_local = threading.local()  # PyStemmer objects are not thread-safe: one per thread


def function_word_counts(text: str) -> tuple[int, int]:
    """``(Swedish, Finnish)`` function-word occurrences in ``text``."""
    sv = fi = 0
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if w in SV_FUNCTION_WORDS:
            sv += 1
        elif w in FI_FUNCTION_WORDS:
            fi += 1
    return sv, fi


def detect(text: str) -> Language:
    """``"sv"`` when Swedish function words outnumber Finnish ones in ``text``, else ``"fi"``.

    Finnish is the default: a text with no function words at all (a title, a
    list of names) is tokenized as today.
    """
    sv, fi = function_word_counts(text)
    return "sv" if sv > fi else "fi"


def _stemmer() -> Any:
    st = getattr(_local, "stemmer", None)
    if st is None:
        import Stemmer  # PyStemmer

        st = _local.stemmer = Stemmer.Stemmer("swedish")
    return st


@lru_cache(maxsize=1 << 16)
def swedish_word(word: str) -> tuple[str, ...]:
    """Lexical tokens of one lowercase Swedish word: its prefixed stem, none for a function word."""
    if word in SV_FUNCTION_WORDS:
        return ()
    parts = [p for p in re.split(r"[-:'’]", word) if p]
    if len(parts) > 1:  # "social-" / "EU-stöd": each part on its own
        return tuple(t for p in parts for t in swedish_word(p))
    if len(word) < 2:
        return ()
    return (SV_PREFIX + _stemmer().stemWord(word),)


def word_analyser(lang: Language) -> Callable[[str], tuple[str, ...]] | None:
    """The per-word tokenizer for ``lang``; None means the Finnish analyser of ``core.tokens``."""
    return swedish_word if lang == "sv" else None


def query_tokens(text: str) -> list[str]:
    """Tokens of a question in both languages: Finnish ones, then Swedish stems not already there.

    A question's language is not guessed (questions are short): each analyser's
    tokens meet the items written in its language, and ``sv:`` stems never meet
    Finnish items.
    """
    from core.tokens import tokenize

    fi = tokenize(text)
    have = set(fi)
    extra = [t for t in tokenize(text, "sv") if t not in have]
    return fi + list(dict.fromkeys(extra))
