"""Choosing the figure that answers a question: indicator words, place, year, kind and scope.

A figure about another place or another year than the one asked for is never chosen; a district
figure does not answer a province question.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.abbreviations import abbreviations, expansions
from indexer.models import Document, Figure, Passage
from indexer.scope import QueryScope, years_in
from indexer.tokens import fold, is_stopword, syllables, words

# Words that frame a question rather than name an indicator.
QUESTION_FRAME = frozenset(
    (
        "bao nhiêu mấy là của ở tại năm tỉnh huyện thành phố chỉ tiêu mục tiêu kế hoạch đạt "
        "được thực hiện theo về đến còn thì sao hỏi cho biết ngành y tế"
    ).split()
)
FOLDED_FRAME = frozenset(fold(word) for word in QUESTION_FRAME)
# Words that say how an indicator is measured, which documents leave out as often as they write:
# "tỷ lệ bao phủ BHYT" is the "tỷ lệ bảo hiểm y tế toàn dân" of a plan.
MEASURE_WORDS = frozenset({"bao phủ", "độ bao phủ", "mức độ bao phủ"})
MEASURE_WORDS_FOLDED = frozenset(fold(word) for word in MEASURE_WORDS)
TARGET_CUES = re.compile(r"\b(chi tieu|ke hoach|muc tieu|phan dau|target|plan(?:ned)?|goal)\b")
RESULT_CUES = re.compile(
    r"\b(dat duoc|ket qua|thuc hien duoc|da |were|was|did|achieved|performed|given|actual)\b"
)
RATE_CUES = re.compile(
    r"\b(ty le|ty suat|ty so|phan tram|rate|ratio|percent(?:age)?|proportion|per)\b"
)
COUNT_CUES = re.compile(
    r"\b(so (?:ca|nguoi|lan|luot|xa|tram|co so|benh nhan|lieu)|tong so|how many)\b"
)
# Sub-units that make a figure narrower than its document: "cơ sở 2", "các TYT xã".
NARROWER_UNIT = re.compile(r"\b(co so \d+|tyt xa|tram y te xa|cac tram|xa|phuong)\b")
MIN_COVERAGE = 0.5
MIN_CORE = 0.5


@dataclass(frozen=True)
class FigureChoice:
    figure: Figure
    passage: Passage | None  # the retrieved passage it was read in
    score: float
    coverage: float  # share of the question's indicator words the figure's words cover
    core: float  # how well it covers the least covered of the question's important terms


@dataclass(frozen=True)
class Alternative:
    """One way to say a term: its syllables, and the pairs of them the question wrote side by
    side ("giường bệnh" must appear as such, not as "giường" here and "bệnh" there)."""

    syllables: tuple[str, ...]
    pairs: tuple[str, ...] = ()


TermGroup = tuple[Alternative, ...]  # any one alternative expresses the term


def indicator_groups(
    vietnamese: str, english_groups: Sequence[Sequence[str]], scope: QueryScope
) -> list[TermGroup]:
    """What is measured, as groups of alternatives: each Vietnamese word (underthesea) is its
    own group; each glossary term of an English question is a group of its renderings. Places,
    years and question words are left out."""
    place_syllables = {s for place in scope.places for s in syllables(place)}
    place_syllables |= {fold(s) for s in place_syllables}

    def keep(text: str) -> Alternative | None:
        kept: list[str] = []
        pairs: list[str] = []
        previous: str | None = None
        for syllable in syllables(text):
            if is_frame(syllable) or syllable in place_syllables or syllable.isdigit():
                previous = None
                continue
            if previous is not None:
                pairs.append(f"{previous} {syllable}")
            if syllable not in kept:
                kept.append(syllable)
            previous = syllable
        return Alternative(tuple(kept), tuple(pairs)) if kept else None

    long_forms = {short.lower(): long for short, long in abbreviations().items()}
    groups: list[TermGroup] = []
    for word in words(vietnamese) if vietnamese.strip() else []:
        written = word.replace("_", " ")
        if written.lower() in MEASURE_WORDS or written.lower() in MEASURE_WORDS_FOLDED:
            continue
        # "TTYT" is also "trung tâm y tế": either way of writing it covers the term
        candidates = (keep(written), keep(long_forms[written]) if written in long_forms else None)
        group = tuple(alternative for alternative in candidates if alternative)
        if group and group not in groups:
            groups.append(group)
    for renderings in english_groups:
        alternatives = tuple(alt for alt in (keep(r) for r in renderings) if alt)
        if alternatives and alternatives not in groups:
            groups.append(alternatives)
    return groups


def is_frame(syllable: str) -> bool:
    """A question word; compared with accents unless the question was typed without them
    ("bao" of "bao nhiêu" is not "bảo" of "bảo hiểm")."""
    if syllable in QUESTION_FRAME or is_stopword(syllable):
        return True
    return syllable.isascii() and syllable in FOLDED_FRAME


def words_of(text: str) -> set[str]:
    """Syllables and adjacent syllable pairs, with and without accents, so that accented and
    unaccented terms both match."""
    sequence = syllables(text)
    raw = set(sequence) | {f"{a} {b}" for a, b in zip(sequence, sequence[1:], strict=False)}
    return raw | {fold(s) for s in raw}


def figure_words(
    figure: Figure, passage: Passage | None, document: Document
) -> tuple[set[str], set[str]]:
    """(label words, surrounding words) of a figure, with and without accents, abbreviations
    spelled out. The surroundings are its line, section and column header."""
    label = f"{figure.label} {' '.join(expansions(figure.label))}"
    text = document.text
    line_start = text.rfind("\n", 0, figure.start) + 1
    line_end = text.find("\n", figure.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    around = [line]
    if passage is not None:
        around += [passage.section_label, passage.context]
    around.append(" ".join(expansions(" ".join(around))))
    return words_of(label), words_of(" ".join(around))


def document_words(document: Document) -> set[str]:
    """The words a question may use to name the document itself ("Chương trình của Ban
    Thường vụ Tỉnh ủy")."""
    attributes = document.attributes
    names = [attributes.title, attributes.issuing_body, attributes.doc_type, attributes.number]
    return words_of(" ".join(name for name in names if name))


class FigureChooser:
    def __init__(self, figures: Sequence[Figure]) -> None:
        # Rare words say more about an indicator than common ones ("thấp còi" vs "tỷ lệ").
        frequency: Counter[str] = Counter()
        for figure in figures:
            frequency.update(words_of(figure.label))
        self._frequency = frequency
        self._count = max(len(figures), 1)

    def weight(self, term: str) -> float:
        return math.log(1 + self._count / (1 + self._frequency.get(term, 0)))

    def choose(
        self,
        question: str,
        groups: Sequence[TermGroup],
        scope: QueryScope,
        candidates: Sequence[tuple[Figure, Passage | None, Document, float]],
    ) -> list[FigureChoice]:
        """Candidates (figure, its passage, its document, retrieval score in 0..1) ranked."""
        folded_question = fold(question)
        wants_target = TARGET_CUES.search(folded_question) is not None
        wants_result = RESULT_CUES.search(folded_question) is not None
        measures = measure_asked(folded_question)
        choices = []
        for order, (figure, passage, document, retrieval) in enumerate(candidates):
            if not self._in_scope(figure, document, scope, passage):
                continue
            label_words, around_words = figure_words(figure, passage, document)
            coverage, core = self.coverage(
                groups, label_words | document_words(document), around_words
            )
            score = coverage + 0.25 * retrieval - 0.001 * order
            if wants_target and figure.kind == "target":
                score += 0.05
            if figure.kind == "result" and (wants_result or not wants_target):
                score += 0.05  # what happened, unless a target is asked for
            if measures == "rate" and not is_rate(figure):
                score -= 0.1
            if measures == "count" and is_rate(figure, per_capita_only=True):
                score -= 0.1  # "số ca mắc" is not "ca/100.000 dân"; a share may still answer
            if scope.years and figure.year in scope.years:
                score += 0.05
            score -= 0.1 * self._narrower_than_asked(figure, document, folded_question)
            choices.append(FigureChoice(figure, passage, score, coverage, core))
        return sorted(choices, key=lambda c: -c.score)

    def coverage(
        self, groups: Sequence[TermGroup], label_words: set[str], around_words: set[str]
    ) -> tuple[float, float]:
        """(weighted share of the term groups the figure's words express, how well the least
        expressed of its important groups is). Its label and its document's name count fully, its
        surroundings 0.6; a multi-syllable term counts half by its syllables, half by keeping
        them side by side."""

        def match(term: str) -> float:
            return 1.0 if term in label_words else 0.6 if term in around_words else 0.0

        covered = total = 0.0
        per_group: list[tuple[float, float]] = []
        for group in groups:
            best_cover, best_weight = 0.0, 0.0
            for alternative in group:
                weights = [self.weight(t) for t in alternative.syllables]
                weight = max(weights)  # a term is as specific as its rarest syllable
                cover = sum(
                    w * match(t) for w, t in zip(weights, alternative.syllables, strict=True)
                ) / sum(weights)
                if alternative.pairs:
                    together = sum(match(p) for p in alternative.pairs) / len(alternative.pairs)
                    cover = (cover + together) / 2
                if cover > best_cover or (cover == best_cover and weight > best_weight):
                    best_cover, best_weight = cover, weight
            covered += best_weight * best_cover
            total += best_weight
            per_group.append((best_weight, best_cover))
        if not per_group:
            return 0.0, 0.0
        # The weakest of the terms that matter (weight at least average): a figure about
        # "bác sĩ trên vạn dân" does not answer "giường bệnh trên vạn dân".
        average = total / len(per_group)
        weakest = min(cover for weight, cover in per_group if weight >= average)
        return covered / total, weakest

    @staticmethod
    def _in_scope(
        figure: Figure, document: Document, scope: QueryScope, passage: Passage | None
    ) -> bool:
        attributes = document.attributes
        if scope.places:
            asked = {fold(p) for p in scope.places}
            district = fold(attributes.district) if attributes.district else None
            province = fold(attributes.province) if attributes.province else None
            figure_scope = fold(figure.scope or "")
            if district and district not in asked:
                return False  # a district's figure does not answer a province question
            if not ({district, province} & asked or any(a in figure_scope for a in asked)):
                return False
        if scope.years:
            if figure.year is not None and figure.year not in scope.years:
                return False
            if figure.year is None:
                section_years = years_in(passage.section_label if passage else "")
                known = section_years or attributes.plan_years
                if known and not set(known) & set(scope.years):
                    return False
        return True

    @staticmethod
    def _narrower_than_asked(figure: Figure, document: Document, folded_question: str) -> int:
        figure_scope = fold(figure.scope or "")
        units = {m.group(1) for m in NARROWER_UNIT.finditer(figure_scope)}
        return sum(1 for unit in units if unit not in folded_question)


def measure_asked(folded_question: str) -> str | None:
    """ "rate" for tỷ lệ / rate questions, "count" for số ca / how many, else None."""
    if RATE_CUES.search(folded_question):
        return "rate"
    if COUNT_CUES.search(folded_question):
        return "count"
    return None


def is_rate(figure: Figure, *, per_capita_only: bool = False) -> bool:
    unit = figure.unit or ""
    marks = ("‰", "/") if per_capita_only else ("%", "‰", "/")
    return any(mark in unit for mark in marks) and figure.denominator is None


def confident(choice: FigureChoice | None) -> bool:
    """Enough of the indicator, and at least half of each of its important terms."""
    return choice is not None and choice.coverage >= MIN_COVERAGE and choice.core >= MIN_CORE
