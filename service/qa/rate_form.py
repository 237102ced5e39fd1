"""What a rate is of and per: its base (per 100, 1,000, 10,000 or 100,000), who the base counts
(people or live births) and what it counts ("giường bệnh" in "giường bệnh/vạn dân"), as a
question asks it and as a figure states it.

Two rates of different bases or populations, or of one population base but different numerators,
are different indicators however many words they share: a question about deaths "trên 100.000
trẻ đẻ sống" is not answered by a percentage or by a rate per 100,000 people, nor one about
"giường bệnh/vạn dân" by "bác sĩ/vạn dân". A ratio ("tỷ số", "ratio") is not a percentage, a
rate per mille or a count unless its own label calls it a ratio: statistics name a share "tỷ
lệ", a rate per 1,000 "tỷ suất" and a ratio of two populations "tỷ số"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.figure_keys import syllable_keys
from indexer.tokens import fold, is_stopword, syllables

# Numbers of a population base, as written folded: "1.000", "10,000", "100000", "vạn" (10,000);
# "100" only after "/" or "per" ("ca/100 trẻ"): "trên 100" is "more than 100".
BASES = {"100": 100, "1000": 1_000, "10000": 10_000, "100000": 100_000, "van": 10_000}
# "/100.000 dân", "trên vạn dân", "per 10,000 population", "mỗi 1.000 trẻ đẻ sống". After "trên"
# ("above") a number is a per-population base only when a population follows it: "trên 1.000
# ca" is "more than 1,000 cases".
POPULATION = r"(?:dan|nguoi|tre|population|people|inhabitants|residents|live births?|births?)"
PER_BASE = re.compile(
    r"(?:(?P<slash>/|\bper\b|\bmoi\b)|\btren\b)\s*(?P<base>1[.,]?000|10[.,]?000|100[.,]?000|van)\b"
    r"(?(slash)|(?=\s*" + POPULATION + r"))"
    r"|(?:/|\bper\b)\s*(?P<hundred>100)\b(?![.,]\d)"
    r"|\b(?P<bare>van) dan\b"
)
BASE_GROUPS = ("base", "hundred", "bare")
# Who a base counts: people ("dân", "population") or live births ("trẻ đẻ sống"). A rate per
# 100,000 live births is not one per 100,000 people. "trẻ" alone (children of some age) says
# neither.
POPULATIONS = (
    ("births", re.compile(r"\s*(?:tre (?:de|sinh)(?: ra)? song|live births?|births?)\b")),
    ("people", re.compile(r"\s*(?:dan|nguoi|population|people|inhabitants|residents)\b")),
)
PER_MILLE = re.compile(r"‰|%o|\bphan (?:nghin|ngan)\b|\bper (?:mille|thousand)\b")
PERCENT = re.compile(r"%(?!o)|\bphan tram\b|\bpercent\b")
RATIO = re.compile(r"\b(?:t[iy] so|ratios?)\b")
# Words before a base that say how the rate is asked, not what it counts.
FRAME = frozenset({"so", "tong", "ti", "ty", "le", "suat", "muc", "dat", "chi", "tieu"})
NUMERATOR_SYLLABLES = 3  # what a rate counts is named by the few syllables before its base


@dataclass(frozen=True)
class RateForm:
    base: int | None = None  # 100 for a percentage, 1,000 per mille, 10,000 per "vạn", …
    numerator: frozenset[str] = frozenset()  # folded syllables naming what is counted
    ratio: bool = False  # called a ratio ("tỷ số")
    quotient: bool = False  # written as one quantity per another ("bác sĩ/vạn dân", "‰")
    population: str | None = None  # who the base counts: "people" or "births"
    share: bool = False  # a percentage or a rate per mille ("%", "‰", "/1000")

    def conflicts_with(self, given: RateForm, given_words: frozenset[str]) -> bool:
        """Whether a figure of rate form `given`, whose label and unit hold `given_words`
        (folded syllables), answers another indicator than the one asked with this form."""
        if self.base and given.base and self.base != given.base:
            return True
        if self.population and given.population and self.population != given.population:
            return True  # per 100,000 live births is not per 100,000 people
        if self.ratio and not given.ratio and (given.share or not given.quotient):
            return True  # a ratio is neither a share, a rate per mille nor a count
        return bool(
            self.numerator
            and self.base
            and given.base == self.base
            and given.base >= 1_000
            and not self.numerator & given_words
        )


def asked_rate(question: str, renderings: Sequence[str] = (), *, english: bool = False) -> RateForm:
    """The rate form a question states, read from its words and their Vietnamese renderings (of
    English terms): the first base found, and what any Vietnamese text counts per that base,
    which is compared with the documents' words. A percentage asked is no constraint: "bao
    nhiêu %" is also how a rate per mille is asked loosely."""
    base = population = None
    numerator: set[str] = set()
    ratio = False
    for n, text in enumerate((question, *renderings)):
        folded = fold(text)
        ratio = ratio or bool(RATIO.search(folded))
        found, counted, counts = _per_population(folded)
        if found is None and PER_MILLE.search(folded):
            found = 1_000
        if found is not None and base in (None, found):
            base = found
            population = population or counts
            if n or not english:
                numerator |= counted
    return RateForm(base, frozenset(numerator), ratio, population=population)


def stated_rate(label: str, unit: str | None, denominator: float | None = None) -> RateForm:
    """The rate form a figure states by its unit, its label and the denominator it is written
    with ("107/100": per 100)."""
    text = f"{label} {unit or ''}"
    folded = fold(text)
    base, counted, population = _per_population(folded)
    if base is None and denominator in BASES.values():
        base = int(denominator)
    if base is None and unit:
        if PER_MILLE.search(unit.lower()):
            base = 1_000
        elif PERCENT.search(unit.lower()):
            base = 100
    quotient = base is not None or "/" in (unit or "")
    share = base == 1_000 or bool(unit and PERCENT.search(unit.lower()))
    return RateForm(base, counted, bool(RATIO.search(folded)), quotient, population, share)


def words_of(*texts: str | None) -> frozenset[str]:
    """Folded syllable keys of texts (None where a figure has no unit), as rate numerators are
    compared."""
    return frozenset(syllable_keys(s)[1] for text in texts if text for s in syllables(text))


def _per_population(folded: str) -> tuple[int | None, frozenset[str], str | None]:
    """(base, what is counted, who the base counts) of the first per-population base."""
    match = PER_BASE.search(folded)
    if match is None:
        return None, frozenset(), None
    group = next(name for name in BASE_GROUPS if match[name])
    written = match[group].replace(".", "").replace(",", "")
    # what is counted is written right before its base ("giường bệnh trên 10.000 dân"); after
    # "bao nhiêu" or a number it is not named there
    counted: list[str] = []
    for syllable in reversed(syllables(folded[: match.start()])):
        if is_stopword(syllable) or syllable.isdigit() or len(counted) == NUMERATOR_SYLLABLES:
            break
        counted.append(syllable_keys(syllable)[1])
    after = folded[match.end(group) :]
    population = next((name for name, pattern in POPULATIONS if pattern.match(after)), None)
    return BASES[written], frozenset(s for s in counted if s not in FRAME), population
