"""Query-side lexical normalisation: accent-less typing and unknown compounds.

Residents type "paatos uimahallista" for "päätös uimahallista" and coin compounds
the minutes never use ("tyovoimapalvelut", "päiväkotiverkosto"). The index keeps the
tokens of :func:`core.tokens.tokenize`; this module only adds *query* tokens, so no
re-ingest is needed and the index's tokenizer signature is unchanged.

For every word of the question, besides its ordinary tokens:

1. **Diacritic restoration** — a word typed without ä/ö/å whose tokens the index does
   not hold is tried with a→ä, o→ö (and a→å) at every combination of its vowel
   positions; every variant the morphological analyser knows adds its tokens.
2. **Compound fallback** — a word still unknown is split into a known head and a known
   (or indexed) left part, each possibly restored as in 1; the parts and the joined base
   form ("työvoima" + "palvelu" → ``työvoimapalvelu``) are added.
3. **Folded vocabulary match** — a remaining token that is not in the index but equals an
   index token after folding ä→a, ö→o, å→a (names and other words the analyser does
   not know, whose index token is a stem) adds that index token.
4. **Spelling suggestion** — a word none of whose tokens is indexed yet takes the tokens of
   Voikko's likeliest spelling suggestion that has indexed ones: a typo ("urheiljoiden" →
   urheilija) is a word the minutes use, not a topic they never mention.
5. **Compound left part** — otherwise, a token that begins indexed compounds
   ("monistamo" in ``monistamopalvelu``: the index holds a compound's base form and its
   head, not its left part) adds the shortest few of them.

Steps 1, 2 and 4 need the Voikko backend; 3 and 5 need only the index vocabulary.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from core import tokens as tk

__all__ = ["QueryNormalizer", "fold_accents", "restorations", "split_compound"]

_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "A", "Ö": "O", "Å": "A"})
#: Vowel positions tried exhaustively; a longer word gets all-or-nothing plus single swaps.
MAX_EXHAUSTIVE = 7
#: Shortest compound part considered ("työ", "tie").
MIN_PART = 3
#: Step 4: a left part this long at least, and at most this many compounds it begins (the shortest).
MIN_LEFT_PART = 5
MAX_LEFT_PART_EXPANSIONS = 5
#: Step 4: words this long at least (a short unknown word is more often an abbreviation than a
#: typo), and Voikko's first few suggestions (its order is its likelihood).
MIN_SPELLED = 5
#: A capitalised word (a name) matched to a close index token: this long at least, and two edits allowed
#: from the second length (one typo in a short name is as likely another name).
MIN_CLOSE = 8
MIN_CLOSE_TWO = 12
MAX_SUGGESTIONS = 3
MAX_EDITS = 2


def edits(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions ("rehtroi" ~ "rehtori" is one edit)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


_WORD = re.compile(r"[^\W\d_]+")


def fold_accents(text: str) -> str:
    """``päätös`` → ``paatos``: the form a question typed without diacritics has."""
    return text.translate(_FOLD)


def _name_like(token: str) -> bool:
    """An index token that can be a name: unknown to the analyser (a name's stem, "lankilant") or a proper
    noun; not a common word ("esimerkkiä" is no spelling of the place "Esimerkkilä")."""
    a = tk.analyze_word(token)
    return not a.known or set(a.classes) <= tk.PROPER_CLASSES


def _has_diacritics(word: str) -> bool:
    return fold_accents(word) != word


def _variants(word: str) -> Iterable[str]:
    """Forms of ``word`` with some a→ä/å and o→ö (not the word itself)."""
    pos = [i for i, ch in enumerate(word) if ch in "ao"]
    if not pos:
        return []
    if len(pos) <= MAX_EXHAUSTIVE:
        subsets: Iterable[tuple[int, ...]] = itertools.chain.from_iterable(
            itertools.combinations(pos, k) for k in range(1, len(pos) + 1))
    else:
        subsets = [tuple(pos), *((p,) for p in pos)]
    out = []
    for sub in subsets:
        chars = list(word)
        for i in sub:
            chars[i] = "ä" if chars[i] == "a" else "ö"
        out.append("".join(chars))
    return out


@lru_cache(maxsize=1 << 14)
def restorations(word: str) -> tuple[str, ...]:
    """Variants of a lowercase diacritic-free ``word`` that the analyser knows (``hyvaksyi`` → ``hyväksyi``).

    Empty without the Voikko backend (no way to tell a real word from a made-up one).
    """
    if tk.BACKEND != "voikko" or _has_diacritics(word):
        return ()
    return tuple(v for v in _variants(word) if tk.analyze_word(v).known)


def _known_forms(piece: str, folded_vocab: Collection[str]) -> list[str]:
    """``piece`` and its restorations, when known to the analyser or indexed (compared accent-folded)."""
    out = []
    for form in (piece, *restorations(piece)):
        toks = tk.tokenize(form)
        if tk.analyze_word(form).known or (toks and all(fold_accents(t) in folded_vocab for t in toks)):
            out.append(form)
    return out


@lru_cache(maxsize=1 << 12)
def _split_cached(word: str, folded_vocab: frozenset[str] | None) -> tuple[str, ...]:
    vocab: Collection[str] = folded_vocab or ()
    best: tuple[str, ...] = ()
    # Longest head first: the right-hand part carries the meaning of a Finnish compound.
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = word[:i], word[i:]
        heads = [f for f in _known_forms(right, vocab) if tk.analyze_word(f).known]
        if not heads:
            continue
        lefts = _known_forms(left, vocab)
        if not lefts and len(left) >= 2 * MIN_PART:
            sub = _split_cached(left, folded_vocab)
            lefts = ["".join(sub[:-1]) + sub[-1]] if sub else []
        if lefts:
            best = (lefts[0], heads[0])
            break
    return best


def split_compound(word: str, vocabulary: Collection[str] | None = None) -> tuple[str, ...]:
    """Split an unknown lowercase compound into (left surface, head surface), each known.

    ``tyovoimapalvelut`` → ``("työvoima", "palvelut")``. A left part may also be an index
    token (``vocabulary``, compared accent-folded) or itself a compound. Returns ``()`` when
    no split is found.
    """
    folded = None if vocabulary is None else frozenset(fold_accents(t) for t in vocabulary)
    return _split_cached(word.lower(), folded)


class QueryNormalizer:
    """Question tokens for the lexical index, with accent and compound fallbacks.

    Args:
        vocabulary: the index's tokens (e.g. the BM25 vocabulary). ``None``: every word
            is expanded as if the index lacked it (tests, no index at hand).
    """

    def __init__(self, vocabulary: Collection[str] | None = None) -> None:
        self._vocab: frozenset[str] | None = None if vocabulary is None else frozenset(vocabulary)
        self._folded_vocab = None if self._vocab is None else frozenset(fold_accents(t) for t in self._vocab)
        self._sorted = sorted(self._vocab or ())
        self._folded: dict[str, list[str]] = {}
        for tok in self._vocab or ():
            if _has_diacritics(tok):
                self._folded.setdefault(fold_accents(tok), []).append(tok)

    def _indexed(self, tok: str) -> bool:
        return self._vocab is not None and tok in self._vocab

    def word_tokens(self, word: str) -> list[str]:
        """Ordinary tokens of one word plus the fallbacks (see module docstring), no duplicates."""
        word = word.lower()
        out = list(tk.tokenize(word))
        if not out or all(self._indexed(t) for t in out):
            return out
        if not _has_diacritics(word):
            for v in restorations(word):
                out += tk.tokenize(v)
        if not tk.analyze_word(word).known and not restorations(word):
            out += self._compound_tokens(word)
        for t in list(out):
            if not self._indexed(t):
                out += self._folded.get(fold_accents(t), [])
        if not any(self._indexed(t) for t in out):
            out += self._spelled(word) or [c for t in out for c in self._compounds_starting(t)]
        return list(dict.fromkeys(out))

    def respelled(self, text: str) -> str:
        """``text`` with each word that neither the analyser nor the index knows replaced by its
        accent restoration or spelling suggestion whose tokens the index holds ("Saako kaupungin
        tyontekijat tyosuhdepyoran?" → "… työntekijät työsuhdepyörän?"): what the embedder should
        read, since it never saw the misspelt forms."""
        return _WORD.sub(lambda m: self._respelled_word(m.group()), text)

    def _respelled_word(self, word: str) -> str:
        low = word.lower()
        if self._vocab is None or len(low) < MIN_PART or self._whole_indexed(low):
            return word
        restored = [o for o in restorations(low) if self._whole_indexed(o)]
        # A capitalised word is read as a name: the one indexed name a letter off ("Simpsiövuori",
        # "Lankilatien"), when ä/ö restored give none.
        name = self._close_name(low) if word[:1].isupper() and not restored else []
        if tk.analyze_word(low).known:
            # A real word the minutes never use, whose ä/ö form they do: "paatti" (a boat) for "päätti".
            options = restored or name
        else:
            # A name the analyser does not know: ä/ö restored or a close name; no other guesses.
            options = restored or name or list(restorations(low)) or ([] if word[:1].isupper() else self._mended(low))
        if not options:
            return word
        best = options[0]
        return best[:1].upper() + best[1:] if word[:1].isupper() else best

    def _close_name(self, word: str) -> list[str]:
        """A name typed one letter off ("Simpsiövuori", "Lankilatien"): the one name-like index token
        (``_name_like``) about as long as it, within one edit of it (two from ``MIN_CLOSE_TWO`` letters),
        ä/ö folded, sharing its first two letters. Two or more such tokens are a guess, so none is taken."""
        if len(word) < MIN_CLOSE:
            return []
        limit = 2 if len(word) >= MIN_CLOSE_TWO else 1
        close: dict[str, int] = {}
        # The index holds a name's base form or stem ("lankilant" of "Lankilantien"): the word's own base
        # or stem is compared, and the rest of the word follows the found token ("Lankilatien" → "Lankilantien").
        for form in dict.fromkeys((word, *tk.analyze_word(word).bases)):
            if not word.startswith(form) or len(form) < MIN_CLOSE - 1:
                continue
            folded, i = fold_accents(form), bisect.bisect_left(self._sorted, form[:2])
            while i < len(self._sorted) and self._sorted[i].startswith(form[:2]):
                tok = self._sorted[i]
                if abs(len(tok) - len(form)) <= limit and (d := edits(fold_accents(tok), folded)) <= limit \
                        and _name_like(tok):
                    spelled = tok + word[len(form):]
                    close[spelled] = min(d, close.get(spelled, d))
                i += 1
        best = min(close.values(), default=None)
        found = [t for t, d in close.items() if d == best]
        return found if len(found) == 1 and found[0] != word else []

    def _suggested(self, word: str) -> list[str]:
        """Voikko's first suggestions that are the word with its accents restored or one typo
        mended (at most ``MAX_EDITS`` edits apart once ä/ö are folded); longer ones are guesses."""
        if len(word) < MIN_SPELLED:
            return []
        return [s for s in tk.suggestions(word)[:MAX_SUGGESTIONS] if edits(fold_accents(s), fold_accents(word)) <= MAX_EDITS]

    def _mended(self, word: str) -> list[str]:
        """The likeliest close suggestion (``_suggested``) that the index holds whole, or that only
        restores ä/ö: a typo ("urheiljoiden") or an accent-less word the restorations do not reach.
        A suggestion that is another word ("skeittiparkin" → "seittiparkin") and is indexed only
        through a part (parkki) is a guess: the question's word stays as typed, and unknown."""
        if self._vocab is None:
            return []
        return [s for s in self._suggested(word)
                if self._whole_indexed(s) or fold_accents(s) == fold_accents(word)][:1]

    def _spelled(self, word: str) -> list[str]:
        """The indexed tokens of the mended word (``_mended``)."""
        return [t for s in self._mended(word) for t in tk.tokenize(s) if self._indexed(t)]

    def _whole_indexed(self, word: str) -> bool:
        return any(self._indexed(b) for b in tk.analyze_word(word).bases)
        for s in tk.suggestions(word)[:MAX_SUGGESTIONS]:
            got = [t for t in tk.tokenize(s) if self._indexed(t)]
            if got:
                return got
        return []

    def _compounds_starting(self, left: str) -> list[str]:
        """Indexed compounds that begin with ``left`` (a real left part: the rest is a word of its own)."""
        if self._vocab is None or len(left) < MIN_LEFT_PART:
            return []
        i = bisect.bisect_left(self._sorted, left)
        found: list[str] = []
        while i < len(self._sorted) and self._sorted[i].startswith(left):
            if len(self._sorted[i]) - len(left) >= MIN_PART + 1:
                found.append(self._sorted[i])
            i += 1
        return sorted(found, key=len)[:MAX_LEFT_PART_EXPANSIONS]

    def _compound_tokens(self, word: str) -> list[str]:
        parts = _split_cached(word, self._folded_vocab)
        if not parts:
            return []
        left, head = parts
        head_bases = tk.analyze_word(head).bases
        joined = [left + b for b in head_bases]  # the compound's base form, as the index would hold it
        return [*joined, *tk.tokenize(head), *tk.tokenize(left)]

    def tokens(self, text: str) -> list[str]:
        """Query tokens of ``text``: :func:`core.tokens.tokenize` order, fallbacks after each word."""
        out: list[str] = []
        for kind, tok in tk.token_matches(text):
            out += self.word_tokens(tok) if kind == "word" else tk.tokenize(tok)
        return out
