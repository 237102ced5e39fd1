"""The directive look-up: what an official types ("Chỉ thị 31", "chi thi 31", "CT 31", "31/CT-TW")
resolved to every code the index holds that fits it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from indexer.abbreviations import abbreviations
from indexer.references import (
    CODE,
    DOC_TYPE_BY_ABBREVIATION,
    TYPE_WORDS,
    canonical_type,
    document_type_for_code,
    normalize_code,
)
from indexer.tokens import fold

# A normalised key (normalize_code): 31-CT/TW, 17/2022/QĐ-UBND, 46/NQ-HĐND, 58/2022/QH15, 215/SYT.
_KEY = re.compile(r"(?P<number>\d+)(?:/(?P<year>\d{4}))?[-/](?P<rest>.+)")
# Letters glued to a number or to each other by - or / are code material ("31/ct", "ct-tw").
_CODE_LIKE = re.compile(r"\w+(?:[ ]*[-/][ ]*\w+)+")
_NUMBER = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER_WORDS = frozenset({"so"})  # "chỉ thị số 31"


@dataclass(frozen=True)
class HeldCode:
    """A key the index holds, in the parts a typed look-up is matched against."""

    key: str
    number: str  # no leading zeros
    year: str | None
    segments: frozenset[str]  # folded letter groups: {"ct", "tw"}, {"qd", "ubnd"}
    doc_type: str | None  # from the code's letters; None when they name no type ("215/SYT")


@dataclass(frozen=True)
class TypedLookUp:
    """What a typed look-up says about the code it wants."""

    number: str | None  # the serial number, no leading zeros
    years: frozenset[str]
    doc_types: frozenset[str]  # canonical types named by a word or an abbreviation
    segments: frozenset[str]  # folded letter groups every fitting code must have


def held_code(key: str) -> HeldCode | None:
    match = _KEY.fullmatch(key)
    if match is None:
        return None
    segments = frozenset(fold(s) for s in re.split(r"[-/]", match["rest"]) if s)
    return HeldCode(
        key=key,
        number=match["number"].lstrip("0") or "0",
        year=match["year"],
        segments=segments,
        doc_type=document_type_for_code(key),
    )


@lru_cache(maxsize=1)
def _type_words() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Folded type words, longest first ("chuong trinh hanh dong" before "chuong trinh")."""
    words = sorted(TYPE_WORDS.items(), key=lambda item: -len(item[0]))
    return tuple(
        (re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, fold(w).split())) + r"(?!\w)"), t)
        for w, t in words
    )


@lru_cache(maxsize=1)
def type_abbreviations() -> dict[str, str]:
    """Folded abbreviation → canonical type: the abbreviations file's (CT = chỉ thị, NQ, QĐ, KH,
    Ctr, TTr) and the letters a code carries for its type (NĐ, TT, HD, …)."""
    table = {
        fold(short): doc_type
        for short, long in abbreviations().items()
        if (doc_type := canonical_type(long)) is not None
    }
    table.update({fold(short): doc_type for short, doc_type in DOC_TYPE_BY_ABBREVIATION.items()})
    return table


def typed_look_up(typed: str, known_segments: frozenset[str]) -> TypedLookUp:
    """Read a typed look-up: its serial number, years, types and the letter groups it names.

    A free-standing word counts only when it is a type ("chỉ thị", "CT") or a letter group some
    held code has ("TW", "UBND"); other words ("của", "Ban Bí thư") are ignored. Letters glued
    into a code ("31/CT-XYZ") all count, so a code the index lacks fits nothing."""
    text = fold(typed)
    doc_types: set[str] = set()
    for pattern, doc_type in _type_words():
        if pattern.search(text):
            doc_types.add(doc_type)
            text = pattern.sub(" ", text)
    glued = {
        letters for match in _CODE_LIKE.finditer(text) for letters in _LETTERS.findall(match[0])
    }
    abbreviated = type_abbreviations()
    segments: set[str] = set()
    for letters in _LETTERS.findall(text):
        if letters in abbreviated:
            doc_types.add(abbreviated[letters])
        elif letters in glued or letters in known_segments:
            segments.add(letters)
    numbers = list(_NUMBER.finditer(text))
    number = (numbers[0][0].lstrip("0") or "0") if numbers else None
    years = frozenset(m[0] for m in numbers[1:] if _YEAR.fullmatch(m[0]))
    return TypedLookUp(
        number=number,
        years=years,
        doc_types=frozenset(doc_types),
        segments=frozenset(segments - _NUMBER_WORDS),
    )


def fits(code: HeldCode, wanted: TypedLookUp) -> bool:
    if wanted.number is None or code.number != wanted.number:
        return False
    if wanted.doc_types and code.doc_type is not None and code.doc_type not in wanted.doc_types:
        return False
    if wanted.years and code.year is not None and code.year not in wanted.years:
        return False
    return wanted.segments <= code.segments


def resolve_codes(typed: str, held: Iterable[str]) -> list[str]:
    """Every held code that fits what was typed, in the order `held` gives them.

    A code written in full ("31/CT-TW", "Chỉ thị 31-CT/TW") that the index holds is the answer on
    its own. Otherwise the typed serial number must equal the code's (leading zeros aside), a
    typed type (word or abbreviation, accents optional) must be the code's, a typed year its
    year, and typed letter groups must be among its own: "chỉ thị 31" and "CT 31" find 31-CT/TW.
    """
    codes = list(dict.fromkeys(held))
    held_keys = set(codes)
    exact = [normalize_code(typed.strip())] + [normalize_code(m[0]) for m in CODE.finditer(typed)]
    if found := [key for key in dict.fromkeys(exact) if key in held_keys]:
        return found
    parsed = [code for key in codes if (code := held_code(key)) is not None]
    known_segments = frozenset(s for code in parsed for s in code.segments)
    wanted = typed_look_up(typed, known_segments)
    return [code.key for code in parsed if fits(code, wanted)]
