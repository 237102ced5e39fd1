"""Figure answers: the best-ranked figure record when its confidence clears the calibrated
threshold; with a plan-against-actual question, the result, its plan and whether it was met; with
a comparison, one figure for each place asked about."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from indexer.figure_records import FigureRecord, line_span
from indexer.models import Figure, Hit
from indexer.scope import QueryScope, years_in
from indexer.tokens import fold, syllables
from service.qa import wording
from service.qa.figure_question import Extreme, FigureQuestion, wanted_in
from service.qa.figure_ranker import FigureRanker
from service.qa.intent import Intent
from service.qa.quotes import sentence_around
from service.qa.record_shelf import RecordShelf


@dataclass(frozen=True)
class FigureFinding:
    answerable: bool
    confidence: float
    text: str = ""
    records: tuple[FigureRecord, ...] = ()  # the answer first, then its plan or the other side
    quotes: tuple[tuple[int, int], ...] = ()  # the sentence each record is quoted from
    # when abstaining: what the documents give for another place or year, said but not answered
    elsewhere: str = ""


class FigureAnswerer:
    def __init__(self, ranker: FigureRanker, records: RecordShelf) -> None:
        self.ranker = ranker
        self._records = records

    def find(
        self,
        question: FigureQuestion,
        hits: Sequence[Hit],
        *,
        intent: Intent,
        question_text: str,
        language: str,
        doc_ids: set[str] | None = None,
    ) -> FigureFinding:
        if intent == "comparison" and len(question.scope.places) >= 2:
            compared = self._compare(question, hits, question_text, language, doc_ids)
            if compared is not None:
                return compared
        if question.within is not None:
            part = self._part_of_previous(question, hits, language)
            if part is not None:
                return part
        ranking = self.ranker.rank(question, hits, doc_ids=doc_ids, limit=1)
        if ranking.best is None or ranking.confidence < self.ranker.model.threshold:
            other = ranking.answered_elsewhere
            elsewhere = self._sentence(language, other.record) if other is not None else ""
            return FigureFinding(
                answerable=False, confidence=ranking.confidence, elsewhere=elsewhere
            )
        best = ranking.best.record
        if question.extreme is not None:
            best = self._extreme(best, question.extreme)
        records = [best]
        text = self._sentence(language, best)
        if intent == "plan_vs_actual":
            result, plan = self._result_and_plan(best)
            if plan is not None and result is not None:
                records = [result, plan]
                met, share = meets_plan(result.figure, plan.figure)
                text = (
                    self._sentence(language, result)
                    + " "
                    + wording.plan_against_result(language, result.figure, plan.figure, met, share)
                )
        return FigureFinding(
            answerable=True,
            confidence=ranking.confidence,
            text=text,
            records=tuple(records),
            quotes=tuple(_quote(r) for r in records),
        )

    def _part_of_previous(
        self, question: FigureQuestion, hits: Sequence[Hit], language: str
    ) -> FigureFinding | None:
        """ "Trong số đó …": the best-ranked figure written on the earlier answer's line (its
        sentence or row), other than that answer, when the question is answered confidently
        at all; None sends the question to the whole corpus."""
        assert question.within is not None
        doc_id, offset = question.within
        ranking = self.ranker.rank(question, hits, doc_ids={doc_id}, limit=None)
        if ranking.best is None or ranking.confidence < self.ranker.model.threshold:
            return None
        start, end = line_span(ranking.best.record.document.text, offset)  # one document
        for ranked in ranking.records:
            record = ranked.record
            if record.figure.start != offset and start <= record.figure.start < end:
                return FigureFinding(
                    answerable=True,
                    confidence=ranking.confidence,
                    text=self._sentence(language, record),
                    records=(record,),
                    quotes=(_quote(record),),
                )
        return None

    def _sentence(self, language: str, record: FigureRecord) -> str:
        start, end = _quote(record)
        return wording.figure_sentence(
            language,
            record.indicator,
            record.figure,
            record.document,
            record.document.text[start:end],
        )

    # plan against actual

    def _result_and_plan(
        self, best: FigureRecord
    ) -> tuple[FigureRecord | None, FigureRecord | None]:
        """The result and the plan of the same indicator: on the same line (a KH/TH table row,
        "kế hoạch 500 … thực hiện 512") or with the same indicator, nearest first."""
        wanted = "target" if best.figure.kind != "target" else "result"
        partner = self._partner(best, wanted)
        if wanted == "target":
            return best, partner
        return partner, best

    def _partner(self, record: FigureRecord, kind: str) -> FigureRecord | None:
        text = record.document.text
        line = line_span(text, record.figure.start)
        indicator = fold(record.indicator)
        candidates = []
        for other in self._records.of_document(record.document.doc_id):
            figure = other.figure
            if figure == record.figure or figure.kind != kind:
                continue
            if record.figure.year and figure.year and figure.year != record.figure.year:
                continue
            same_line = line_span(text, figure.start) == line
            if not same_line and fold(other.indicator) != indicator:
                continue
            candidates.append((not same_line, abs(figure.start - record.figure.start), other))
        return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None

    def _extreme(self, record: FigureRecord, extreme: Extreme) -> FigureRecord:
        """The highest (or lowest) of the figures its line reports beside `record` in the same
        unit, kind and year: the members of one enumeration ("gồm: đơn vị A (x), đơn vị B
        (y), …"), of which the ranker found one."""
        side = [
            r
            for r in self._records.of_document(record.document.doc_id) or [record]
            if r.line == record.line
            and r.figure.unit == record.figure.unit
            and r.figure.kind == record.figure.kind
            and r.figure.year == record.figure.year
        ]
        choose = max if extreme == "highest" else min
        return choose(side, key=lambda r: r.figure.value)

    # comparisons

    def _compare(
        self,
        question: FigureQuestion,
        hits: Sequence[Hit],
        question_text: str,
        language: str,
        doc_ids: set[str] | None,
    ) -> FigureFinding | None:
        sides = []
        for place, segment in _segments(question_text, question.scope):
            years = years_in(segment) or question.scope.years
            scope = QueryScope(places=(place,), unknown_places=(), years=years)
            side = replace(question, scope=scope, wanted=wanted_in(segment) or question.wanted)
            ranking = self.ranker.rank(
                side, hits, doc_ids=doc_ids, limit=1, asked_elsewhere=question
            )
            if ranking.best is None or ranking.confidence < self.ranker.model.threshold:
                return None
            sides.append(ranking)
        records = tuple(r.best.record for r in sides if r.best)
        return FigureFinding(
            answerable=True,
            confidence=min(r.confidence for r in sides),
            text=" ".join(self._sentence(language, r) for r in records),
            records=records,
            quotes=tuple(_quote(r) for r in records),
        )


def _segments(question: str, scope: QueryScope) -> list[tuple[str, str]]:
    """Each place with the part of the question that speaks of it: from the end of the previous
    place's mention to the start of the next one's. A former unit is mentioned by the name of
    the province of today the question asked for ("Tây Ninh" for the former Long An)."""
    folded = fold(question)
    positions = []
    for place in scope.places:
        names = [place, *(asked for asked, former in scope.resolved if former == place)]
        for name in names:
            if (match := _mention(folded, fold(name))) is not None:
                positions.append((match.start(), match.end(), place))
                break
    positions.sort()
    segments = []
    for index, (_, _, place) in enumerate(positions):
        left = positions[index - 1][1] if index > 0 else 0
        right = positions[index + 1][0] if index + 1 < len(positions) else len(question)
        segments.append((place, question[left:right]))
    return segments


def _mention(folded: str, key: str) -> re.Match[str] | None:
    """A place's name, or its initials, in folded text."""
    match = re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded)
    if match is None:
        initials = "".join(s[0] for s in syllables(key))
        match = re.search(rf"(?<!\w){initials}(?!\w)", folded)
    return match


def _quote(record: FigureRecord) -> tuple[int, int]:
    return sentence_around(record.document.text, record.figure.start, record.figure.end)


def meets_plan(result: Figure, plan: Figure) -> tuple[bool | None, float | None]:
    """Whether the result meets the plan, respecting the plan's comparator ("< 6,0‰" is met by
    4,12), and the result as a share of the plan when both are in the same unit."""
    if (result.unit or "") != (plan.unit or ""):
        return None, None
    if plan.comparator in ("<", "≤"):
        met = result.value < plan.value if plan.comparator == "<" else result.value <= plan.value
    elif plan.comparator == ">":
        met = result.value > plan.value
    else:
        met = result.value >= plan.value
    share = 100 * result.value / plan.value if plan.value and not plan.comparator else None
    return met, share
