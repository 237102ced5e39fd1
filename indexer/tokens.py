"""Lexical tokens of Vietnamese text: syllables, underthesea words and accent-folded syllables."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SYLLABLE = re.compile(r"\w+", re.UNICODE)
WORD_SEPARATOR = "_"


@dataclass(frozen=True)
class LexicalFields:
    """The three views of a text that the lexical index keeps, each space-separated."""

    syllables: str
    words: str
    folded: str


def fold(text: str) -> str:
    """Lower-case text without diacritics: `Thạnh Phú` → `thanh phu`."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# "hoá"/"hóa", "khoẻ"/"khỏe", "thuỷ"/"thủy": the old and the new rule for where the tone of an
# open oa/oe/uy syllable goes; documents mix both.
OPEN_GLIDE = re.compile(r"(?<![qQ])[oOuU][aAeEyY]$")


def canonical_tone(syllable: str) -> str:
    """The syllable with its tone mark where the old rule puts it (on o/u of an open oa, oe,
    uy), so both spellings compare equal."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(tones) != 1:
        return syllable
    bare = "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    if OPEN_GLIDE.search(bare) is None:  # (decomposed: "oă", "uơ" end in a mark, not a letter)
        return syllable
    position = len(bare) - 1  # the tone goes right after the o/u
    return unicodedata.normalize("NFC", bare[:position] + tones[0] + bare[position:])


# "sĩ"/"sỹ", "kĩ"/"kỹ", "tỉ"/"tỷ", "lí"/"lý": i or y as the whole rhyme after a consonant, the
# two spellings the orthography rule of 1984 (Quyết định 240/QĐ) left in use; documents mix both
I_OR_Y = re.compile(r"^(b|ch|c|d|đ|gh|g|h|kh|k|l|m|ngh|ng|nh|n|ph|p|qu|r|s|th|tr|t|v|x)y$")


def canonical_syllable(syllable: str) -> str:
    """A lower-case syllable spelled one way where Vietnamese writes it two: the tone where the
    old rule puts it (canonical_tone), and a lone i/y after a consonant written i ("tỷ" → "tỉ")."""
    syllable = canonical_tone(syllable)
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = "".join(ch for ch in decomposed if ch in TONE_MARKS)
    bare = "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    if I_OR_Y.match(unicodedata.normalize("NFC", bare)) is None:
        return syllable
    return unicodedata.normalize("NFC", bare[:-1] + "i" + tones)


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def syllables(text: str) -> list[str]:
    return SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


def words(text: str) -> list[str]:
    """underthesea word segmentation; multi-syllable words joined by `_` (`bảo_hiểm_y_tế`)."""
    from underthesea import word_tokenize

    tokens = word_tokenize(unicodedata.normalize("NFC", text))
    out = []
    for token in tokens:
        parts = SYLLABLE.findall(token.lower())
        if parts:
            out.append(WORD_SEPARATOR.join(parts))
    return out


def lexical_fields(text: str) -> LexicalFields:
    return LexicalFields(
        syllables=" ".join(syllables(text)),
        words=" ".join(word for word in words(text) if WORD_SEPARATOR in word),
        folded=" ".join(syllables(fold(text))),
    )


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Vietnamese question and function words, as written (with their accents)."""
    lines = (DATA_DIR / "stopwords_vi.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def _folded_stopwords() -> frozenset[str]:
    return frozenset(fold(word) for word in stopwords())


def is_stopword(syllable: str) -> bool:
    """Accents decide when present: "bao" (of "bao nhiêu") is a stopword, "bảo" is not; an
    unaccented syllable is one when any accented stopword folds to it."""
    syllable = syllable.lower()
    return syllable in stopwords() or (syllable.isascii() and syllable in _folded_stopwords())
