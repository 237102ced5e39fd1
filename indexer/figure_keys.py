"""The words a figure record is found and scored by: its fields, each with the long forms of
the abbreviations it writes, cut into syllable keys (tone-normalised and accent-folded). Index
time keys the stored candidate index with them (figure_index.py); the service scores records
with the same keys (service/qa/figure_ranker.py), so both always agree."""

from __future__ import annotations

from functools import lru_cache
from sys import intern

from indexer.abbreviations import expansions
from indexer.figure_records import FigureRecord
from indexer.tokens import canonical_syllable, fold, syllables

FIELDS = ("indicator", "local", "line", "context")


def field_texts(record: FigureRecord) -> dict[str, str]:
    """Each field's text with its abbreviations written out."""
    return {field: expanded(getattr(record, field)) for field in FIELDS}


@lru_cache(maxsize=1 << 14)
def expanded(text: str) -> str:
    # an abbreviation counts as its long form in the field that writes it ("TYT có YS" is
    # "trạm y tế có y sĩ" in the indicator, not only somewhere in the record); records of one
    # passage share their line and context, so each is expanded once
    return " ".join((text, *expansions(text)))


@lru_cache(maxsize=1 << 17)
def syllable_keys(syllable: str) -> tuple[str, str]:
    """A syllable's keys, spelled one way (canonical_syllable) and folded; interned, so that
    records share one string per syllable instead of each holding copies."""
    tone = intern(canonical_syllable(syllable))
    return tone, intern(fold(tone))


def record_keys(record: FigureRecord) -> frozenset[str]:
    """Every syllable key of the record, as written and folded: what IDF and candidates count."""
    return frozenset(
        key
        for text in field_texts(record).values()
        for s in syllables(text)
        for key in syllable_keys(s)
    )
