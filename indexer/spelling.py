"""Spelling correction of questions against the corpus's own vocabulary: a syllable the documents
never use is replaced by one they do that is one edit away, accents aside ("nghiên cúu" →
"nghiên cứu"), chosen by the syllables around it; a real syllable the documents never write
beside its neighbours is replaced by one they write there often when the two differ only by a
spelling confusion of Vietnamese dialects (ch/tr, s/x, d/gi/r, l/n at the start; n/ng, c/t at
the end): "nội chú" → "nội trú"."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from indexer.scope import national_places
from indexer.tokens import canonical_tone, fold, is_stopword, syllables

TOKEN = re.compile(r"[^\W_]+")
NUMBER = "<số>"  # numbers stand for one another: "năm 2023" and "năm 2025" are one context
LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_LENGTH = 3  # shorter tokens are shorthand or acronyms, not typos
# An acronym this long that the documents never write is taken for a typo of the one they do
# write one edit away ("PKDKV" for "PKĐKKV"); shorter acronyms lie too close to one another.
ACRONYM_MIN_LENGTH = 5
# Onsets and codas that speakers of one dialect write for another's.
CONFUSED_ONSETS = (("ch", "tr"), ("s", "x"), ("d", "gi"), ("d", "r"), ("gi", "r"), ("l", "n"))
CONFUSED_CODAS = (("n", "ng"), ("c", "t"))
# A real syllable is taken for a typo only when a near one stands beside its neighbours this often
# in the documents, and it never does.
REAL_WORD_SUPPORT = 3


class Speller:
    def __init__(self, texts: Iterable[str]) -> None:
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        acronyms: set[str] = set()
        for text in texts:
            sequence = [_token(s) for s in syllables(text)]
            unigrams.update(sequence)
            bigrams.update(zip(sequence, sequence[1:], strict=False))
            acronyms.update(
                _token(t.lower())
                for t in TOKEN.findall(text)
                if t.isupper() and len(t) >= ACRONYM_MIN_LENGTH
            )
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.acronyms = acronyms
        by_fold: dict[str, list[str]] = {}
        for word in unigrams:
            by_fold.setdefault(fold(word), []).append(word)
        self.by_fold = by_fold

    def correct(self, question: str) -> str:
        """The question with each unknown syllable replaced by its best-supported neighbour in
        the vocabulary; known syllables, acronyms, numbers and short tokens are kept."""
        tokens = list(TOKEN.finditer(question))
        words = [_token(t.group(0).lower()) for t in tokens]
        names = _place_name_positions(words)
        out = []
        last = 0
        for index, token in enumerate(tokens):
            written = token.group(0)
            replacement = None if index in names else self._replacement(written, words, index)
            out.append(question[last : token.start()])
            out.append(replacement or written)
            last = token.end()
        out.append(question[last:])
        return "".join(out)

    def _replacement(self, written: str, words: list[str], index: int) -> str | None:
        word = words[index]
        if written.isupper() and len(written) > 1:
            return self._acronym(word)
        if len(word) < MIN_LENGTH or word == NUMBER or not written.isalpha() or is_stopword(word):
            return None
        previous = words[index - 1] if index > 0 else None
        following = words[index + 1] if index + 1 < len(words) else None

        def context(candidate: str) -> int:
            return self.bigrams[(previous, candidate)] + self.bigrams[(candidate, following)]

        if self._known(word):
            # a real syllable: only a dialect confusion, accents kept ("chú" → "trú")
            candidates = [c for c in _confusions(word) if c in self.unigrams]
            neighbours_known = all(
                n is None or n in self.unigrams for n in (previous, following)
            ) and (previous, following) != (None, None)
            if not candidates or context(word) or not neighbours_known:
                return None
            best = max(candidates, key=context)
            if context(best) < REAL_WORD_SUPPORT:
                return None
        else:
            candidates = [c for c in self._candidates(word) if c != word]
            if not candidates:
                return None
            best = max(
                candidates,
                key=lambda c: 3 * math.log1p(context(c)) + math.log1p(self.unigrams[c]),
            )
            if not context(best) and self.unigrams[best] < 2:
                return None  # seen once and never beside these words: not worth the risk
        return best.capitalize() if written[:1].isupper() else best

    def _known(self, word: str) -> bool:
        """Whether the documents write the word, or it is one of theirs typed without accents."""
        return word in self.unigrams or (word.isascii() and word in self.by_fold)

    def _acronym(self, word: str) -> str | None:
        """The documents' one acronym one edit from an acronym they never write, else None."""
        if len(word) < ACRONYM_MIN_LENGTH or self._known(word):
            return None
        candidates = [c for c in self._candidates(word) if c in self.acronyms]
        return candidates[0].upper() if len(candidates) == 1 else None

    def _candidates(self, word: str) -> list[str]:
        """Vocabulary syllables whose unaccented form is the word's, or one edit from it."""
        folded = fold(word)
        found = set(self.by_fold.get(folded, ()))
        for edited in _one_edit(folded) | _confusions(folded):
            found.update(self.by_fold.get(edited, ()))
        return sorted(found)


@lru_cache(maxsize=1)
def _place_names() -> frozenset[tuple[str, ...]]:
    """Every province's name and alias as folded syllables."""
    return frozenset(tuple(syllables(form)) for form in national_places())


def _place_name_positions(words: list[str]) -> set[int]:
    """Positions of the tokens that spell a province's name: a province the documents never
    name is still no typo ("Sóc Trăng" is not "Sóc Trong")."""
    folded = [fold(word) for word in words]
    positions: set[int] = set()
    for name in _place_names():
        for start in range(len(folded) - len(name) + 1):
            if tuple(folded[start : start + len(name)]) == name:
                positions.update(range(start, start + len(name)))
    return positions


def _token(syllable: str) -> str:
    return NUMBER if syllable.isdigit() else canonical_tone(syllable)


def _confusions(word: str) -> set[str]:
    variants = set()
    for a, b in CONFUSED_ONSETS:
        for this, that in ((a, b), (b, a)):
            if word.startswith(this) and not (this == "d" and word.startswith("gi")):
                variants.add(that + word[len(this) :])
    for a, b in CONFUSED_CODAS:
        for this, that in ((a, b), (b, a)):
            if word.endswith(this) and not (this == "n" and word.endswith("ng")):
                variants.add(word[: -len(this)] + that)
    return variants


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return deletes | swaps | replaces | inserts
