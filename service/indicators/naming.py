"""What an indicator's name says: its content words (abbreviations written out, one spelling of
each word and measure, function syllables set aside) and which way is better (higher or lower),
read from the class of indicator its wording names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from indexer.abbreviations import abbreviations
from indexer.tokens import canonical_tone, syllables

DATA_DIR = Path(__file__).parent / "data"
Direction = Literal["higher", "lower"]

# "10.000" → "10000": a thousands separator is not a word break.
THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
# "3.1.2. Sốt rét", "1. Mục tiêu chung", "II. Nhiệm vụ": the numbering of a heading or item.
NUMBERING = re.compile(r"^\s*(?:[IVX]+|\d+(?:\.\d+)*)[.)]\s+")
YEAR = re.compile(r"^(?:19|20)\d{2}$")
MAX_NUMBER_DIGITS = 5  # "dưới 5 tuổi", "10.000 dân" name a measure; longer numbers are values
QUALIFIER_SEPARATOR = " – "  # how figure records join a lead-in or line topic to the label


class LexiconFileError(ValueError):
    """A data file of this package that cannot be read as documented in its header."""


def _data_lines(name: str) -> list[str]:
    path = DATA_DIR / name
    return [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def label_stopwords() -> frozenset[str]:
    return frozenset(_syllable(line.strip()) for line in _data_lines("label_stopwords.txt"))


@lru_cache(maxsize=1)
def word_forms() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(form, usual form) as syllables, longest form first."""
    rows = _data_lines("word_forms.tsv")
    forms = []
    for number, row in enumerate(rows[1:], start=2):
        parts = row.split("\t")
        if len(parts) != 2:
            raise LexiconFileError(f"word_forms.tsv data row {number}: two columns expected")
        forms.append((_syllables(parts[0]), _syllables(parts[1])))
    return tuple(sorted(forms, key=lambda pair: -len(pair[0])))


def _syllable(text: str) -> str:
    return canonical_tone(text.lower())


def _syllables(text: str) -> tuple[str, ...]:
    return tuple(canonical_tone(s) for s in syllables(text))


@dataclass(frozen=True)
class DirectionCue:
    words: tuple[str, ...]  # syllables
    direction: Direction
    at_start: bool


@lru_cache(maxsize=1)
def direction_cues() -> tuple[DirectionCue, ...]:
    rows = _data_lines("direction_cues.tsv")
    cues = []
    for number, row in enumerate(rows[1:], start=2):
        parts = [part.strip() for part in row.split("\t")]
        if (
            len(parts) != 3
            or parts[1] not in ("higher", "lower")
            or parts[2]
            not in (
                "start",
                "anywhere",
            )
        ):
            raise LexiconFileError(
                f"direction_cues.tsv data row {number}: expected cue, higher|lower, start|anywhere"
            )
        direction: Direction = "higher" if parts[1] == "higher" else "lower"
        cues.append(DirectionCue(_syllables(parts[0]), direction, parts[2] == "start"))
    return tuple(cues)


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> re.Pattern[str]:
    keys = sorted(abbreviations(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")


def written_out(text: str) -> str:
    """The text with each abbreviation replaced by its long form ("BHYT" → "bảo hiểm y tế")."""
    table = abbreviations()
    return _abbreviation_pattern().sub(lambda m: table[m.group(1)], text)


def name_syllables(text: str) -> list[str]:
    """Every syllable of the written-out text, lower-case with one tone placement, each form in
    word_forms.tsv made usual. Accents stay: folded, "sởi" (measles) would be "soi" (scopy)."""
    text = THOUSANDS.sub("", written_out(NUMBERING.sub("", text)))
    written = list(_syllables(text))
    out: list[str] = []
    position = 0
    while position < len(written):
        for form, usual in word_forms():
            if tuple(written[position : position + len(form)]) == form:
                out.extend(usual)
                position += len(form)
                break
        else:
            out.append(written[position])
            position += 1
    return out


def content_words(text: str, *, numbers: bool = True) -> tuple[str, ...]:
    """The syllables that name what is measured, in order, once each: function syllables,
    years and values dropped; small numbers kept ("dưới 1 tuổi" is not "dưới 5 tuổi") unless
    `numbers` is false."""
    stop = label_stopwords()
    kept = []
    for syllable in name_syllables(text):
        if syllable in stop or YEAR.match(syllable):
            continue
        if syllable.isdigit() and (not numbers or len(syllable) > MAX_NUMBER_DIGITS):
            continue
        kept.append(syllable)
    return tuple(dict.fromkeys(kept))


def qualifier_of(indicator: str, label: str) -> str:
    """What a figure record's indicator adds to its label: the lead-in or line topic it hangs
    from ("Sốt rét" of "3.1.2. Sốt rét – số ca mắc")."""
    parts = [part for part in indicator.split(QUALIFIER_SEPARATOR) if part.strip()]
    return QUALIFIER_SEPARATOR.join(part for part in parts if part.strip() != label.strip())


def direction_of(label: str) -> Direction | None:
    """Higher or lower is better, from the verb that opens the name ("Giảm …", "Tăng …") or
    else the class of indicator it names (deaths and malnutrition lower, coverage higher);
    None when the wording does not say (the comparator of a plan still does)."""
    words = [w for w in name_syllables(label) if w not in ("phấn", "đấu")]
    cues = direction_cues()
    for cue in cues:
        if cue.at_start and tuple(words[: len(cue.words)]) == cue.words:
            return cue.direction
    found = {cue.direction for cue in cues if not cue.at_start and _contains(words, cue.words)}
    if "lower" in found:
        return "lower"
    return "higher" if "higher" in found else None


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))
