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

from indexer.abbreviations import expansions
from indexer.models import Document, Figure, Passage
from indexer.scope import QueryScope, years_in
from indexer.tokens import fold, is_stopword, syllables

# Words that frame a question rather than name an indicator.
QUESTION_FRAME = frozenset(
    (
        "bao nhiêu mấy là của ở tại năm tỉnh huyện thành phố chỉ tiêu mục tiêu kế hoạch đạt "
        "được thực hiện theo về đến còn thì sao hỏi cho biết ngành y tế"
    ).split()
)
FOLDED_FRAME = frozenset(fold(word) for word in QUESTION_FRAME)
TARGET_CUES = re.compile(r"\b(chi tieu|ke hoach|muc tieu|phan dau|target|plan(?:ned)?|goal)\b")
RESULT_CUES = re.compile(
    r"\b(dat duoc|ket qua|thuc hien duoc|da |were|was|did|achieved|performed|given|actual)\b"
)
# Sub-units that make a figure narrower than its document: "cơ sở 2", "các TYT xã".
NARROWER_UNIT = re.compile(r"\b(co so \d+|tyt xa|tram y te xa|cac tram|xa|phuong)\b")
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class FigureChoice:
    figure: Figure
    passage: Passage | None  # the retrieved passage it was read in
    score: float
    coverage: float  # share of the question's indicator words the figure's words cover


Alternative = tuple[str, ...]  # folded syllables
TermGroup = tuple[Alternative, ...]  # any one alternative expresses the term


def indicator_groups(
    vietnamese: str, english_groups: Sequence[Sequence[str]], scope: QueryScope
) -> list[TermGroup]:
    """What is measured, as groups of alternatives: each Vietnamese syllable is its own group;
    each glossary term of an English question is a group of its renderings. Places, years
    and question words are left out."""
    place_syllables = {s for place in scope.places for s in syllables(place)}
    place_syllables |= {fold(s) for s in place_syllables}

    def keep(text: str) -> Alternative:
        return tuple(
            s
            for s in dict.fromkeys(syllables(text))
            if not is_frame(s) and s not in place_syllables and not s.isdigit()
        )

    groups: list[TermGroup] = [((s,),) for s in keep(vietnamese)]
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
    """Syllables with and without accents, so that accented and unaccented terms both match."""
    raw = set(syllables(text))
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
        choices = []
        for order, (figure, passage, document, retrieval) in enumerate(candidates):
            if not self._in_scope(figure, document, scope, passage):
                continue
            label_words, around_words = figure_words(figure, passage, document)
            coverage = self.coverage(groups, label_words | document_words(document), around_words)
            score = coverage + 0.25 * retrieval - 0.001 * order
            if wants_target and figure.kind == "target":
                score += 0.05
            if wants_result and figure.kind == "result":
                score += 0.05
            if scope.years and figure.year in scope.years:
                score += 0.05
            score -= 0.1 * self._narrower_than_asked(figure, document, folded_question)
            choices.append(FigureChoice(figure, passage, score=score, coverage=coverage))
        return sorted(choices, key=lambda c: -c.score)

    def coverage(
        self, groups: Sequence[TermGroup], label_words: set[str], around_words: set[str]
    ) -> float:
        """Weighted share of the term groups the figure's words express (its label and its
        document's name count fully, its surroundings 0.6)."""

        def match(term: str) -> float:
            return 1.0 if term in label_words else 0.6 if term in around_words else 0.0

        covered = total = 0.0
        for group in groups:
            best_cover, best_weight = 0.0, 0.0
            for alternative in group:
                weights = [self.weight(t) for t in alternative]
                weight = sum(weights) / len(weights)
                cover = sum(w * match(t) for w, t in zip(weights, alternative, strict=True))
                cover /= sum(weights)
                if cover > best_cover or (cover == best_cover and weight > best_weight):
                    best_cover, best_weight = cover, weight
            covered += best_weight * best_cover
            total += best_weight
        return covered / total if total else 0.0

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


def confident(choice: FigureChoice | None) -> bool:
    return choice is not None and choice.coverage >= MIN_COVERAGE
