"""Vietnamese administrative and health abbreviations (BHYT, TTYT, XN …) and their long forms,
and the shorthand people type in questions (`bn`, `vx`); sources in
data/abbreviations.SOURCES.md."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from indexer.tokens import fold, has_diacritics

DATA_FILE = Path(__file__).parent / "data" / "abbreviations.tsv"
VARIANTS_FILE = Path(__file__).parent / "data" / "spelling_variants.tsv"


def _pairs(path: Path) -> dict[str, str]:
    """A two-column TSV file after its header line."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t") for line in lines if line.strip())


def _whole_words(keys: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """Any of `keys` standing as a word of its own (not inside a word or a hyphenated one),
    longest first."""
    ordered = sorted(keys, key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(k) for k in ordered) + r")(?![\w-])", flags
    )


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    return _pairs(DATA_FILE)


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """The abbreviations documents use (written with a capital)."""
    return {short: long for short, long in _table().items() if not short.islower()}


@lru_cache(maxsize=1)
def shorthand() -> dict[str, str]:
    """What people type in chat (`bn` = bao nhiêu): expanded in questions only."""
    return {short: long for short, long in _table().items() if short.islower()}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return _whole_words(abbreviations())


def expansions(text: str) -> list[str]:
    """Long forms of the abbreviations written in `text`, and the usual spelling of the loanwords
    it writes another way ("vaccine" → "vắc xin"), once each, in order of appearance."""
    table = abbreviations()
    found = [table[m.group(1)] for m in _pattern().finditer(text)]
    variants = spelling_variants()
    found += [variants[m.group(1).lower()] for m in _variant_pattern().finditer(text)]
    return list(dict.fromkeys(found))


def written_out(text: str) -> str:
    """`text` with each abbreviation documents use replaced by its long form ("số TYT" →
    "số trạm y tế"), and each loanword by its usual spelling: what a cue written in full words
    must also find."""
    table = abbreviations()
    text = _pattern().sub(lambda m: table[m.group(1)], text)
    variants = spelling_variants()
    return _variant_pattern().sub(lambda m: variants[m.group(1).lower()], text)


@lru_cache(maxsize=1)
def spelling_variants() -> dict[str, str]:
    """Loanwords as documents also write them (lower-case) → their usual Vietnamese spelling."""
    return {written.lower(): usual for written, usual in _pairs(VARIANTS_FILE).items()}


@lru_cache(maxsize=1)
def _variant_pattern() -> re.Pattern[str]:
    return _whole_words(spelling_variants(), re.IGNORECASE)


@lru_cache(maxsize=1)
def _folded_shorthand() -> dict[str, str]:
    """Shorthand as it is typed without accents ("dc" for "đc")."""
    return {fold(short): long for short, long in shorthand().items()}


def expand_shorthand(question: str) -> str:
    """The question with chat shorthand written out ("bn liều" → "bao nhiêu liều", "5-11t" →
    "5-11 tuổi", "đc"/"dc" → "được"), and an abbreviation glued to a number parted from it
    ("CS2" → "CS 2"); abbreviations that documents use are left as written."""
    # an unaccented question gets unaccented long forms: it stays a question matched without
    # accents ("bn" → "bao nhieu"); its shorthand is looked up without accents too
    plain = not has_diacritics(question)
    table = _folded_shorthand() if plain else shorthand()

    def written_out(match: re.Match[str]) -> str:
        word = match.group(0)
        found = table.get(fold(word) if plain else word)
        if found is None:
            return word
        return fold(found) if plain else found

    def parted(match: re.Match[str]) -> str:
        letters, number = match.groups()
        return f"{letters} {number}" if letters in abbreviations() else match.group(0)

    question = re.sub(r"(?<=\d)t\b", " tuoi" if plain else " tuổi", question)
    # not inside a document code ("Luật số 15/2023/QH15")
    question = re.sub(r"(?<![\w/.-])([A-ZĐ]{2,})(\d+)(?![\w/.-])", parted, question)
    return re.sub(r"(?<![\w-])[^\W\d_]+(?![\w-])", written_out, question)
