"""English→Vietnamese health-policy glossary, used to expand English questions.

The glossary is a data file (``data/glossary.tsv``): a header line ``english<TAB>vietnamese``,
then one English term per line (lower-case, possibly multi-word) with one or more Vietnamese
renderings separated by ``|``. Blank lines are ignored; anything else that does not fit raises
:class:`GlossaryError` naming the line. The file takes no comments; its sources are listed in
``data/glossary.SOURCES.md``.

Matching is on canonical word sequences, computed the same way for glossary terms and
questions: lower-case, apostrophe-s dropped ("Bến Tre's" → "bến tre"), punctuation and hyphens
as word breaks ("X-ray" → "x ray"), thousands separators removed ("100,000" → "100000"), small
number words as digits ("five" → "5"), simple plurals singular ("beds" → "bed"), British
spellings American ("centre" → "center"), and the filler words "the", "and", "of" skipped.
Questions are scanned left to right taking the longest term at each position, so
"primary health care" wins over "health".

:func:`is_english` tells English questions from Vietnamese ones, including Vietnamese typed
without diacritics, by counting English function words against Vietnamese syllables (both kept
as data files next to the glossary).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_GLOSSARY_PATH = DATA_DIR / "glossary.tsv"
HEADER = ("english", "vietnamese")
RENDERING_SEPARATOR = "|"

_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b|(?<=s)['’](?!\w)")
_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_FILLER = frozenset({"the", "and", "of"})
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}  # fmt: skip
_IRREGULAR = {
    "children": "child", "women": "woman", "men": "man", "criteria": "criterion",
    "aids": "aids", "diabetes": "diabetes", "measles": "measles", "rabies": "rabies",
    "mumps": "mumps", "series": "series", "species": "species",
}  # fmt: skip
_BRITISH_TO_AMERICAN = {
    "centre": "center", "programme": "program", "anaemia": "anemia", "labour": "labor",
    "diarrhoea": "diarrhea", "haemorrhagic": "hemorrhagic", "haemodialysis": "hemodialysis",
    "caesarean": "cesarean", "paediatric": "pediatric", "gynaecology": "gynecology",
    "foetus": "fetus", "ageing": "aging", "counselling": "counseling", "tumour": "tumor",
    "behaviour": "behavior", "orthopaedic": "orthopedic", "anaesthesia": "anesthesia",
}  # fmt: skip
# A year, optionally after "by"/"until" ("by 2025" → "đến năm 2025"), or a period "2016-2020".
_YEAR = re.compile(
    r"\b(?:(?P<by>by|until|till)\s+)?(?P<year>(?:19|20)\d{2})"
    r"(?:\s*[-–—]\s*(?P<end>(?:19|20)\d{2}))?\b",
    re.IGNORECASE,
)
# An unaccented Vietnamese syllable: optional onset, one to three vowels, optional coda.
_VIETNAMESE_SHAPE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


class GlossaryError(ValueError):
    """A malformed glossary file; the message names the file and line number."""

    def __init__(self, path: Path, line_number: int, problem: str) -> None:
        super().__init__(f"{path}, line {line_number}: {problem}")
        self.path = path
        self.line_number = line_number


@dataclass(frozen=True)
class Glossary:
    """English terms with their Vietnamese renderings, matched longest-first in questions."""

    entries: tuple[tuple[str, tuple[str, ...]], ...]
    _index: dict[tuple[str, ...], tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _longest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, ...], tuple[str, ...]] = {}
        for english, vietnamese in self.entries:
            key = canonical_words(english)
            if key:
                index.setdefault(key, vietnamese)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_longest", max(map(len, index), default=0))

    def __len__(self) -> int:
        return len(self.entries)

    def expand(self, question: str) -> tuple[str, ...]:
        """Vietnamese renderings of the glossary terms and years in ``question``, in order.

        Glossary terms come first, in the order they appear, then one term per year mentioned
        ("năm 2022", "đến năm 2025", "giai đoạn 2016-2020"). Duplicates are dropped.
        """
        found = [rendering for group in self.expand_groups(question) for rendering in group]
        found.extend(_year_terms(question))
        return tuple(dict.fromkeys(found))

    def expand_groups(self, question: str) -> tuple[tuple[str, ...], ...]:
        """One tuple of alternative renderings per glossary term found, in question order."""
        words = canonical_words(question)
        groups: list[tuple[str, ...]] = []
        start = 0
        while start < len(words):
            for size in range(min(self._longest, len(words) - start), 0, -1):
                renderings = self._index.get(words[start : start + size])
                if renderings is not None:
                    groups.append(tuple(renderings))
                    start += size
                    break
            else:
                start += 1
        return tuple(groups)

    def unrendered(self, question: str) -> tuple[str, ...]:
        """Content words of an English question that no glossary term covers (function words,
        numbers and acronyms left out): what an answer found through the glossary cannot
        vouch for."""
        acronyms = {t.lower() for t in _LETTERS.findall(question) if len(t) > 1 and t.isupper()}
        words = canonical_words(question)
        covered = [False] * len(words)
        start = 0
        while start < len(words):
            for size in range(min(self._longest, len(words) - start), 0, -1):
                if words[start : start + size] in self._index:
                    covered[start : start + size] = [True] * size
                    start += size
                    break
            else:
                start += 1
        stopwords = english_stopwords()
        stopwords |= {_canonical_word(word) for word in stopwords}  # "does" reads as "doe"
        return tuple(
            dict.fromkeys(
                word
                for word, done in zip(words, covered, strict=True)
                if not done
                and len(word) > 2
                and word.isalpha()
                and word not in stopwords
                and word not in acronyms
            )
        )


def load_glossary(path: Path | None = None) -> Glossary:
    """Read a glossary TSV file; the packaged ``data/glossary.tsv`` by default."""
    path = DEFAULT_GLOSSARY_PATH if path is None else path
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise GlossaryError(path, 1, f"expected the header {'<TAB>'.join(HEADER)!r}")
    entries: list[tuple[str, tuple[str, ...]]] = []
    first_seen: dict[tuple[str, ...], int] = {}
    for line_number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        english, vietnamese = _parse_line(path, line_number, line)
        key = canonical_words(english)
        if key in first_seen:
            raise GlossaryError(
                path, line_number, f"{english!r} repeats the term on line {first_seen[key]}"
            )
        first_seen[key] = line_number
        entries.append((english, vietnamese))
    return Glossary(tuple(entries))


def _parse_line(path: Path, line_number: int, line: str) -> tuple[str, tuple[str, ...]]:
    fields = line.split("\t")
    if len(fields) != 2:
        raise GlossaryError(
            path, line_number, f"expected 2 tab-separated fields, found {len(fields)}"
        )
    english = unicodedata.normalize("NFC", fields[0].strip())
    if not english or english != english.lower() or not canonical_words(english):
        raise GlossaryError(path, line_number, f"bad English term {fields[0]!r}")
    vietnamese = tuple(
        unicodedata.normalize("NFC", rendering.strip())
        for rendering in fields[1].split(RENDERING_SEPARATOR)
    )
    if not all(vietnamese):
        raise GlossaryError(path, line_number, f"empty Vietnamese rendering in {fields[1]!r}")
    return english, vietnamese


def canonical_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` in the canonical form used to match glossary terms."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _THOUSANDS_SEPARATOR.sub("", _POSSESSIVE.sub("", text))
    words: list[str] = []
    for word in _WORD.findall(text):
        word = _NUMBER_WORDS.get(word, word)
        if word == "thousand" and words and words[-1].isdigit():
            words[-1] = str(int(words[-1]) * 1000)
        elif word not in _FILLER:
            words.append(_canonical_word(word))
    return tuple(words)


def _canonical_word(word: str) -> str:
    word = _IRREGULAR.get(word) or _singular(word)
    if word.endswith("isation"):
        word = word.removesuffix("isation") + "ization"
    return _BRITISH_TO_AMERICAN.get(word, word)


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def _year_terms(question: str) -> list[str]:
    terms: list[str] = []
    for match in _YEAR.finditer(question):
        if match["end"]:
            terms.append(f"giai đoạn {match['year']}-{match['end']}")
        elif match["by"]:
            terms.append(f"đến năm {match['year']}")
        else:
            terms.append(f"năm {match['year']}")
    return terms


def is_english(question: str) -> bool:
    """Whether ``question`` reads as English rather than Vietnamese (with or without accents).

    English evidence: English function words, and other plain-ASCII words that cannot be a
    Vietnamese syllable ("doctors", "coverage"). Vietnamese evidence: words with Vietnamese
    letters or tone marks, and common Vietnamese syllables typed without them ("ty", "le",
    "duoc"). Acronyms (BHYT, HIV) and numbers count for neither. English wins only outright.
    """
    stopwords = _word_list("english_stopwords.txt")
    syllables = _word_list("vietnamese_syllables.txt")
    english = vietnamese = 0
    for token in _LETTERS.findall(unicodedata.normalize("NFC", question)):
        word = token.lower()
        if not word.isascii():
            vietnamese += 1
            continue
        if len(token) > 1 and token.isupper():
            continue
        known = False
        if word in stopwords:
            english += 1
            known = True
        if word in syllables:
            vietnamese += 1
            known = True
        if not known and not _VIETNAMESE_SHAPE.fullmatch(word):
            english += 1
    return english > vietnamese


def english_stopwords() -> frozenset[str]:
    return _word_list("english_stopwords.txt")


@cache
def _word_list(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )
