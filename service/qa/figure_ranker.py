"""Ranking figure records for a question: hard facets (place, year) filter, soft evidence
(indicator words by field, retrieval of the record's passage, kind, measure, sub-unit) is
combined linearly, with weights fitted as a conditional logit over each question's candidates
(`healthqa-eval fit-ranker`). The answer's confidence is a logistic calibration of the best
score and its margin over the runner-up; abstention is a threshold on it, chosen on held-out
documents."""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from sys import intern

import numpy as np

from indexer.abbreviations import written_out
from indexer.figure_keys import FIELDS, field_texts, syllable_keys
from indexer.figure_records import FigureRecord
from indexer.models import Hit
from indexer.tokens import fold, has_diacritics, syllables
from service.qa import figure_candidates
from service.qa.figure_candidates import CandidateIndex, Facets
from service.qa.figure_question import (
    FigureQuestion,
    Measure,
    TermGroup,
    measure_in,
    qualifier_numbers,
    sub_units_asked,
)
from service.qa.rate_form import RateForm, stated_rate, words_of
from service.qa.record_shelf import RecordShelf

MODEL_FILE = Path(__file__).parent / "data" / "figure_ranker.json"
FEATURES = (
    "indicator",
    "local",
    "line",
    "context",
    "any",
    "core",
    "rarest",
    "pairs",
    "elsewhere",
    "retrieval",
    "reciprocal_rank",
    "year",
    "kind",
    "measure",
    "sub_unit",
    "result",
    "qualifiers",
    "label_precision",
)
ALL = "all"  # every field together
OWN = "own"  # the figure's indicator and its own clause
PARTS = {OWN: ("indicator", "local"), ALL: FIELDS}
COVERED = (*FIELDS, OWN, ALL)  # the fields coverage is measured in
# field → (share of the terms it expresses, its weakest term's share, its rarest term's share)
Coverage = dict[str, tuple[float, float, float]]
FIELD_BITS = {field: 1 << n for n, field in enumerate(FIELDS)}
FIELD_BITS.update({whole: sum(FIELD_BITS[f] for f in parts) for whole, parts in PARTS.items()})
MAX_MARGIN = 5.0  # a lone candidate leads by this much
MAX_OUT_OF_SCOPE_LEAD = 10.0
CALIBRATION_INPUTS = 5  # see calibration_inputs
# Units that are amounts of money without saying "đồng" (short forms and currency codes).
CURRENCY_UNITS = frozenset({"đ", "vnđ", "vnd", "usd"})
# records whose fields are kept cut into syllable sets between questions (tens of kB each)
INDEXED_CACHE = 2_048
LABEL_YEAR = re.compile(r"(?:19|20)\d\d")  # a year written in a label, as one syllable
# A label's opening words that say what kind of quantity it is ("Tổng số …", "Tỷ lệ …"), as
# folded syllable keys (syllable_keys spells "tỷ" as "ti").
LEADING_MEASURE = re.compile(r"^(?:tong so luong|tong so|so luong|tong|so|ti le|ti suat) ")
STATED_CACHE = 256  # documents whose indicators' stated measures are kept
# A record names the question's indicator when at least this share of its label is words the
# question asks (label precision): dev questions about a policy's aims reach 0.35 at most, those
# naming an indicator 0.77 and more.
NAMED_INDICATOR_PRECISION = 0.5


@dataclass(frozen=True)
class RankerModel:
    weights: tuple[float, ...]
    # weights of the best record's score, its margin, its overall and rarest-term coverage, the
    # lead of the best record outside the question's place and year, and a bias
    calibration: tuple[float, ...]
    threshold: float  # answer when the confidence reaches it

    def score(self, features: Sequence[float]) -> float:
        return sum(w * x for w, x in zip(self.weights, features, strict=True))

    def confidence(
        self, features: Sequence[float], runner_up: float | None, out_of_scope: float | None = None
    ) -> float:
        """P(the best record answers the question), from its score, its lead over the runner-up,
        how much of the question it covers and how far a record of another place or year
        outscores it."""
        inputs = calibration_inputs(self.score(features), runner_up, features, out_of_scope)
        z = sum(w * x for w, x in zip(self.calibration, (*inputs, 1.0), strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def calibration_inputs(
    best: float,
    runner_up: float | None,
    features: Sequence[float],
    out_of_scope: float | None = None,
) -> tuple[float, ...]:
    """`out_of_scope`: the best score of a record the question's place or year rules out. When
    such a record matches far better than anything in scope, the documents hold the indicator
    for another place or year, not the one asked ("2024" asked, only 2023 reported)."""
    margin = min(best - runner_up, MAX_MARGIN) if runner_up is not None else MAX_MARGIN
    lead = (
        0.0 if out_of_scope is None else min(max(out_of_scope - best, 0.0), MAX_OUT_OF_SCOPE_LEAD)
    )
    return (
        best,
        margin,
        features[FEATURES.index("any")],
        features[FEATURES.index("rarest")],
        lead,
    )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> RankerModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(
            f"{path} was fitted for features {data['features']}, the ranker computes {FEATURES}: "
            "run `healthqa-eval fit-ranker` again"
        )
    if len(data["calibration"]) != CALIBRATION_INPUTS + 1:
        raise ValueError(
            f"{path} holds a calibration for {len(data['calibration']) - 1} inputs, the ranker "
            f"computes {CALIBRATION_INPUTS}: run `healthqa-eval fit-ranker` again"
        )
    return RankerModel(tuple(data["weights"]), tuple(data["calibration"]), data["threshold"])


@dataclass(frozen=True)
class RankedRecord:
    record: FigureRecord
    features: tuple[float, ...]
    score: float

    @property
    def names_the_indicator(self) -> bool:
        """Whether most of its label is words the question asks: a label that shares only a
        word or two with the question ("tỷ số …" of another ratio) is another indicator."""
        return self.features[FEATURES.index("label_precision")] >= NAMED_INDICATOR_PRECISION


@dataclass(frozen=True)
class Ranking:
    records: tuple[RankedRecord, ...]  # best first
    confidence: float  # that the first answers the question; 0 when there is none
    out_of_scope: RankedRecord | None = None  # the best record the place or year rules out
    excluded: tuple[RankedRecord, ...] = ()  # every such record, when asked for (fitting)

    @property
    def answered_elsewhere(self) -> RankedRecord | None:
        """The out-of-scope record, when it matches the question better than any in scope and
        names the indicator asked."""
        best, other = self.best, self.out_of_scope
        if other is None or (best is not None and other.score <= best.score):
            return None
        if not other.names_the_indicator:
            return None
        return other

    @property
    def best(self) -> RankedRecord | None:
        return self.records[0] if self.records else None


@dataclass(frozen=True)
class _Indexed:
    record: FigureRecord
    raw: dict[str, set[str]]  # field → syllables as written
    folded: dict[str, set[str]]  # field → accent-folded syllables
    # field → adjacent syllables, raw and folded (OWN and ALL are looked up in their fields)
    pairs: dict[str, set[str]]
    places: set[str]  # folded places the record is about
    district_level: bool
    measure: Measure | None  # from the unit, else from the label's own words
    # small numbers in the figure's label, else in its own clause: a label that states its own
    # ("trẻ dưới 2 tuổi") is not about those of a heading before it on its line
    qualifiers: frozenset[int]
    scope: str  # the figure's own place, accent-folded
    district: str  # the document's district, accent-folded ("" when none)
    sub_units: frozenset[str]  # sub-units its scope and indicator name ("cơ sở 2")
    # the figure's own label (else its indicator): its accent-folded syllables, each with its IDF
    label: tuple[tuple[str, float], ...]
    rate: RateForm  # the base and numerator its unit and label state
    rate_words: frozenset[str]  # folded syllables of its label, indicator and unit


class FigureRanker:
    def __init__(
        self,
        records: RecordShelf,
        model: RankerModel | None = None,
        candidates: CandidateIndex | None = None,
    ) -> None:
        """`candidates`: the build's stored candidate index, numbered as `records` are; without
        it, one is built by walking every record."""
        self.model = model or load_model()
        self._records = records
        if candidates is None:
            candidates = CandidateIndex.of_records(records)
        self._candidates = candidates
        self._count = max(len(records), 1)
        weights = sorted(self.idf(key) for key in self._candidates.keys())
        self._typical_idf = weights[len(weights) // 2] if weights else 1.0
        # a record's fields as syllable sets, made when a question first scores it; a corpus
        # whose every record each question scores has them all made now, not on its first
        # question
        self._indexed = lru_cache(maxsize=INDEXED_CACHE)(self._index_number)
        self._stated = lru_cache(maxsize=STATED_CACHE)(self._stated_measures)
        self._recent = threading.local()  # requests rank in several threads
        if len(self._records) <= min(figure_candidates.SCORE_ALL_UP_TO, INDEXED_CACHE):
            for number in range(len(self._records)):
                self._indexed(number)

    def _index_number(self, number: int) -> _Indexed:
        record = self._records[number]
        indexed = _index(record, self.idf)
        if indexed.measure is None:
            stated = self._stated(record.document.doc_id).get(_label_key(record), ())
            elsewhere = {measure for line, measure in stated if line != record.line}
            if len(elsewhere) == 1:
                indexed = replace(indexed, measure=elsewhere.pop())
        return indexed

    def _stated_measures(self, doc_id: str) -> dict[str, list[tuple[str, Measure]]]:
        """The lines where a document gives each of its indicators a unit, with what that unit
        measures: a bare figure of the same indicator on another line of the document measures
        the same ("Mức độ hài lòng … ≥85" in one table, "Mức độ hài lòng … > 80%" in the next).
        On its own line a unit says nothing of a bare figure: "1.700 (85%)" is a count and its
        share. Units that disagree tell nothing either."""
        stated: dict[str, list[tuple[str, Measure]]] = {}
        for record in self._records.of_document(doc_id):
            if record.figure.unit:
                measure = _measure_of(record.figure.unit, "")
                if measure is not None:
                    stated.setdefault(_label_key(record), []).append((record.line, measure))
        return stated

    def idf(self, syllable: str) -> float:
        return math.log(1 + self._count / (1 + self._candidates.frequency(syllable)))

    def known(self, syllable: str) -> bool:
        return self._candidates.frequency(syllable) > 0

    def rank(
        self,
        question: FigureQuestion,
        hits: Sequence[Hit],
        *,
        doc_ids: set[str] | None = None,
        limit: int | None = 20,
        keep_excluded: bool = False,
        asked_elsewhere: FigureQuestion | None = None,
    ) -> Ranking:
        """Records that pass the question's facets, best first, with the confidence that the
        first one answers. `keep_excluded`: also return every record the facets rule out.
        `asked_elsewhere`: the whole question when this one is a side of a comparison; records
        of the other sides' places and years are asked for there, so they are not evidence that
        this side's place or year lacks the figure."""
        top = max((h.score for h in hits), default=0.0) or 1.0
        retrieval: dict[str, tuple[float, int]] = {}
        for rank, hit in enumerate(hits, start=1):
            retrieval.setdefault(hit.passage.passage_id, (hit.score / top, rank))
        terms = self._prepared(
            [
                t
                for t in question.terms
                if t.unrendered or any(self._informative(a) for a in t.alternatives)
            ]
        )
        keys = _QuestionKeys.of(terms, question.pairs)
        ranked = []
        excluded: RankedRecord | None = None
        kept: list[RankedRecord] = []
        numbers = self._numbers(question, terms, hits, doc_ids, asked_elsewhere, keep_excluded)
        self._records.prefetch(numbers)  # the ones not held, read in one round
        # the sides of a comparison share the question's terms: a record's coverage of them is
        # worked out once for all sides
        coverages = self._recent_coverages((tuple(terms), keys.pairs))
        for number in numbers:
            item = self._indexed(int(number))
            if question.rate.conflicts_with(item.rate, item.rate_words):
                continue  # another indicator: another base, or another count per the same base
            record = item.record
            matched = coverages.get(int(number))
            if matched is None:
                matched = coverages[int(number)] = self._matched(terms, keys, item)
            features = self._features(item, question, keys, retrieval, matched)
            scored = RankedRecord(record, features, self.model.score(features))
            if _in_scope(item, question):
                ranked.append(scored)
                continue
            if asked_elsewhere is not None and _in_scope(item, asked_elsewhere):
                continue
            if keep_excluded:
                kept.append(scored)
            if excluded is None or scored.score > excluded.score:
                excluded = scored
        ranked.sort(key=lambda r: -r.score)
        if not ranked:
            return Ranking((), 0.0, excluded, tuple(kept))
        # the runner-up is the best record giving another figure: records that agree with the
        # best (one row read from a table and from its prose) do not make it less certain
        best_value = ranked[0].record.figure.value
        runner_up = next((r.score for r in ranked[1:] if r.record.figure.value != best_value), None)
        out_of_scope = excluded.score if excluded is not None else None
        confidence = self.model.confidence(ranked[0].features, runner_up, out_of_scope)
        return Ranking(tuple(ranked[:limit]), confidence, excluded, tuple(kept))

    def _numbers(
        self,
        question: FigureQuestion,
        terms: Sequence[_Term],
        hits: Sequence[Hit],
        doc_ids: set[str] | None,
        asked_elsewhere: FigureQuestion | None,
        everything: bool,
    ) -> np.ndarray:
        """The records to score: every record of the allowed documents when fitting needs them
        all, else the candidates (figure_candidates.py)."""
        facets = _facets(question, doc_ids)
        if everything:
            return self._candidates.everything(facets)
        return self._candidates.candidates(
            [(key, w) for t in terms for a in t.alternatives for key, _, w in a.syllables],
            facets,
            (hit.passage.passage_id for hit in hits),
            other_facets=[_facets(asked_elsewhere, doc_ids)] if asked_elsewhere else (),
        )

    def _informative(self, alternative: tuple[str, ...]) -> bool:
        return any(self.known(key) for s in alternative for key in syllable_keys(s))

    def _recent_coverages(self, asked: Hashable) -> dict[int, _Matched]:
        """Record number → how the record matches these terms and word pairs, kept per thread
        until other terms come."""
        recent = self._recent
        if getattr(recent, "asked", None) != asked:
            recent.asked = asked
            recent.coverages = {}
        return recent.coverages

    def _matched(self, terms: Sequence[_Term], keys: _QuestionKeys, item: _Indexed) -> _Matched:
        if not (keys.raw & item.raw[ALL] or keys.folded & item.folded[ALL]):
            # no syllable of the question: nothing is covered anywhere
            return _Matched(dict.fromkeys(COVERED, (0.0, 0.0, 0.0)), 0.0)
        folded = item.folded[ALL]
        pairs = sum(
            1
            for tone, pair, first, second in keys.pairs
            if first in folded and second in folded and _paired(item, ALL, tone, pair)
        )
        share = pairs / len(keys.pairs) if keys.pairs else 0.0
        return _Matched(self._coverages(terms, item), share)

    def _features(
        self,
        item: _Indexed,
        question: FigureQuestion,
        keys: _QuestionKeys,
        retrieval: dict[str, tuple[float, int]],
        matched: _Matched,
    ) -> tuple[float, ...]:
        coverage = matched.coverage
        overall = coverage[ALL]
        hit_score, hit_rank = retrieval.get(item.record.passage.passage_id, (0.0, 0))
        figure = item.record.figure
        return (
            coverage["indicator"][0],
            coverage["local"][0],
            coverage["line"][0],
            coverage["context"][0],
            overall[0],
            overall[1],
            overall[2],
            matched.pairs,
            _elsewhere(coverage["line"][0], coverage[OWN][0]),
            hit_score,
            1.0 / hit_rank if hit_rank else 0.0,
            _agreement(question.scope.years and figure.year, figure.year in question.scope.years),
            _agreement(question.wanted and figure.kind, figure.kind == question.wanted),
            _agreement(question.measure and item.measure, item.measure == question.measure),
            _sub_unit_fit(item, question),
            1.0 if figure.kind == "result" else 0.0,
            _qualifier_fit(question.qualifiers, item.qualifiers),
            self._label_precision(item, keys),
        )

    def _label_precision(self, item: _Indexed, keys: _QuestionKeys) -> float:
        """The IDF-weighted share of the figure's own label that the question asks for: a label
        that says much the question does not ("… trẻ em dưới 1 tuổi" for a question about
        mothers) names another indicator, however fully its passage covers the question. The
        list item or row group a label hangs from is left out: it names the group, which a
        question about one of its rows need not repeat."""
        total = sum(weight for _, weight in item.label)
        if not total:
            return 0.0
        return sum(weight for s, weight in item.label if s in keys.asked) / total

    def _prepared(self, terms: Sequence[TermGroup]) -> list[_Term]:
        """Each term's alternatives as (syllable, matched with accents?, IDF weight) — computed
        once per question, not once per record."""
        prepared = []
        for term in terms:
            alternatives = []
            if term.unrendered:  # never found in the documents; weighs as a typical word
                word = term.alternatives[0][0]
                only = _Alternative.of(((word, True, self._typical_idf),))
                prepared.append(_Term((only,), term.weight))
                continue
            for alternative in term.alternatives:
                keyed = []
                for syllable in alternative:
                    accented = term.exact or has_diacritics(syllable)
                    key = syllable_keys(syllable)[0 if accented else 1]
                    keyed.append((key, accented, self.idf(key)))
                alternatives.append(_Alternative.of(keyed))
            prepared.append(_Term(tuple(alternatives), term.weight))
        return prepared

    @staticmethod
    def _coverages(terms: Sequence[_Term], item: _Indexed) -> Coverage:
        """Per field: (IDF-weighted share of the terms the field expresses, the least expressed
        of the terms that weigh at least the average, how well the rarest term is expressed). A
        multi-syllable term counts half by its syllables, half by keeping them side by side
        ("điều dưỡng" is not "bồi dưỡng") in that field."""
        per_term: dict[str, list[tuple[float, float]]] = {f: [] for f in COVERED}
        for term in terms:
            shares = [_shares(item, alternative) for alternative in term.alternatives]
            for n, field in enumerate(COVERED):
                best = weight = 0.0
                for alternative, share in zip(term.alternatives, shares, strict=True):
                    if share[n] > best or (share[n] == best and alternative.heaviest > weight):
                        best, weight = share[n], alternative.heaviest
                per_term[field].append((weight * term.weight, best))
        return {field: _summary(found) for field, found in per_term.items()}


NOTHING_COVERED = (0.0,) * len(COVERED)


def _shares(item: _Indexed, alternative: _Alternative) -> tuple[float, ...]:
    """How much of the alternative each field of COVERED expresses: the IDF-weighted share of
    its syllables, averaged with the share of its word pairs kept side by side."""
    syllable_fields, pair_fields = _fields_holding(item, alternative)
    if not any(syllable_fields) and not any(pair_fields):
        return NOTHING_COVERED
    shares = []
    for field in COVERED:
        bits = FIELD_BITS[field]
        share = (
            sum(
                w
                for (_, _, w), held in zip(alternative.syllables, syllable_fields, strict=True)
                if held & bits
            )
            / alternative.total
        )
        if pair_fields:
            kept = sum(1 for held in pair_fields if held & bits)
            share = (share + kept / len(pair_fields)) / 2
        shares.append(share)
    return tuple(shares)


def _fields_holding(item: _Indexed, alternative: _Alternative) -> tuple[list[int], list[int]]:
    """Bit masks (FIELD_BITS) of the fields holding each of the alternative's syllables and each
    of its word pairs. Most records hold none of a question's words: a syllable absent from
    every field costs one lookup, and a pair with a syllable written nowhere costs none."""
    syllable_fields = []
    anywhere = []
    for key, accented, _ in alternative.syllables:
        held = item.raw if accented else item.folded
        syllable_fields.append(
            sum(FIELD_BITS[f] for f in FIELDS if key in held[f]) if key in held[ALL] else 0
        )
        anywhere.append(key in item.raw[ALL] or key in item.folded[ALL])
    pair_fields = [
        sum(FIELD_BITS[f] for f in FIELDS if pair in item.pairs[f])
        if anywhere[n] and anywhere[n + 1]
        else 0
        for n, pair in enumerate(alternative.adjacent)
    ]
    return syllable_fields, pair_fields


def _summary(per_term: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    total = sum(weight for weight, _ in per_term)
    if not per_term or total == 0:
        return 0.0, 0.0, 0.0
    covered = sum(weight * best for weight, best in per_term)
    # terms of equal weight sum to a little more than their count times it in floating point
    average = total / len(per_term) * (1 - 1e-9)
    weakest = min(best for weight, best in per_term if weight >= average)
    rarest = max(per_term)[1]
    return covered / total, weakest, rarest


@dataclass(frozen=True)
class _Matched:
    """How one record matches a question's words: coverage per field, and the share of the
    question's word pairs it keeps side by side."""

    coverage: Coverage
    pairs: float


@dataclass(frozen=True)
class _Alternative:
    """One way of writing a term, keyed for matching once per question."""

    syllables: tuple[tuple[str, bool, float], ...]  # (key, matched with accents?, IDF weight)
    adjacent: tuple[str, ...]  # its neighbouring syllable keys, "a b"
    total: float  # the IDF weights summed
    heaviest: float

    @classmethod
    def of(cls, keyed: Sequence[tuple[str, bool, float]]) -> _Alternative:
        return cls(
            tuple(keyed),
            tuple(f"{a[0]} {b[0]}" for a, b in zip(keyed, keyed[1:], strict=False)),
            sum(w for _, _, w in keyed) or 1.0,
            max(w for _, _, w in keyed),
        )


@dataclass(frozen=True)
class _Term:
    alternatives: tuple[_Alternative, ...]
    weight: float


@dataclass(frozen=True)
class _QuestionKeys:
    """What a record must hold to express any of the question: its terms' syllable keys (as
    written and folded) and its word pairs (tone-normalised and folded)."""

    raw: frozenset[str]
    folded: frozenset[str]
    # (tone-normalised, folded, its folded first and second syllables)
    pairs: tuple[tuple[str, str, str, str], ...]
    asked: frozenset[str]  # every syllable key, accent-folded

    @classmethod
    def of(cls, terms: Sequence[_Term], pairs: Sequence[str]) -> _QuestionKeys:
        syllables = [s for t in terms for a in t.alternatives for s in a.syllables]
        return cls(
            frozenset(key for key, accented, _ in syllables if accented),
            frozenset(key for key, accented, _ in syllables if not accented),
            tuple(_keyed_pair(p) for p in pairs),
            frozenset(fold(key) for key, _, _ in syllables),
        )


def _label_key(record: FigureRecord) -> str:
    """A figure's label as the same indicator is written elsewhere: folded, i/y spelled alike."""
    label = record.figure.label or record.indicator
    return " ".join(syllable_keys(s)[1] for s in syllables(label))


def _keyed_pair(pair: str) -> tuple[str, str, str, str]:
    """A word pair spelled as records' pairs are (figure_keys.syllable_keys): tone-normalised,
    folded, and its folded first and second syllables."""
    (tone_a, first), (tone_b, second) = (syllable_keys(s) for s in pair.split())
    return f"{tone_a} {tone_b}", f"{first} {second}", first, second


def _facets(question: FigureQuestion, doc_ids: set[str] | None) -> Facets:
    return Facets(_folded_places(question.scope.places), frozenset(question.scope.years), doc_ids)


def _index(record: FigureRecord, idf: Callable[[str], float]) -> _Indexed:
    texts = field_texts(record)
    sequences = {
        field: [syllable_keys(s) for s in syllables(text)] for field, text in texts.items()
    }
    raw = {field: {tone for tone, _ in sequence} for field, sequence in sequences.items()}
    folded = {field: {key for _, key in sequence} for field, sequence in sequences.items()}
    for keys in (raw, folded):
        keys[OWN] = keys["indicator"] | keys["local"]
        keys[ALL] = set().union(*(keys[f] for f in FIELDS))
    pairs: dict[str, set[str]] = {}
    for field, sequence in sequences.items():
        pairs[field] = set()
        for (tone_a, folded_a), (tone_b, folded_b) in zip(sequence, sequence[1:], strict=False):
            pairs[field].add(intern(f"{tone_a} {tone_b}"))
            pairs[field].add(intern(f"{folded_a} {folded_b}"))  # fold() maps letter by letter
    attributes = record.document.attributes
    places = {fold(p) for p in (attributes.province, attributes.district) if p}
    own = f"{record.indicator} {record.local}"
    return _Indexed(
        record,
        raw,
        folded,
        pairs,
        places,
        attributes.district is not None,
        _measure_of(record.figure.unit, own),
        qualifier_numbers(record.indicator) or qualifier_numbers(own),
        fold(record.figure.scope or ""),
        fold(attributes.district or ""),
        frozenset(sub_units_asked(f"{record.figure.scope or ''} {record.indicator}")),
        tuple(
            (key, idf(key))
            for key in dict.fromkeys(
                _indicator_words(written_out(record.figure.label or record.indicator), places)
            )
        ),
        stated_rate(
            record.figure.label or record.indicator, record.figure.unit, record.figure.denominator
        ),
        words_of(record.figure.label, record.indicator, record.figure.unit),
    )


def _indicator_words(label: str, places: set[str]) -> list[str]:
    """The accent-folded syllables of a label that name its indicator. Its place ("… Hậu Giang")
    and its year ("năm 2023") are the figure's scope, which the facets check: a question need
    not repeat them, and "dân số tỉnh X năm 2023" names no more of an indicator than "dân số"."""
    keys = [syllable_keys(s)[1] for s in syllables(label)]
    kept = [True] * len(keys)
    for place in places:
        named = place.split()
        for start in range(len(keys) - len(named) + 1):
            if keys[start : start + len(named)] == named:
                kept[start : start + len(named)] = [False] * len(named)
    for n, key in enumerate(keys):
        if LABEL_YEAR.fullmatch(key):
            kept[n] = False
            if n and keys[n - 1] == "nam":
                kept[n - 1] = False
    lead = LEADING_MEASURE.match(" ".join(keys))
    if lead:  # "Tổng số …", "Tỷ lệ …": what kind of quantity, which the measure feature judges
        kept[: len(lead.group(0).split())] = [False] * len(lead.group(0).split())
    return [key for key, keep in zip(keys, kept, strict=True) if keep]


def _paired(item: _Indexed, field: str, *pairs: str) -> bool:
    """Whether the field (or any field OWN or ALL stand for) writes any of these word pairs:
    the union sets are not kept, they would double what a scored record holds."""
    fields = PARTS.get(field, (field,))
    return any(pair in item.pairs[f] for f in fields for pair in pairs)


def _in_scope(item: _Indexed, question: FigureQuestion) -> bool:
    """Facets: a figure of another place or of another year never answers."""
    scope = question.scope
    if scope.places:
        asked = _folded_places(scope.places)
        named = item.places | {a for a in asked if a in item.scope}
        if not named & asked:
            return False
        if item.district_level and item.district not in asked:
            return False  # a district's figure does not answer a province question
    figure = item.record.figure
    return not (scope.years and figure.year is not None and figure.year not in scope.years)


@lru_cache(maxsize=256)
def _folded_places(places: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(p) for p in places)


def _elsewhere(line: float, own: float) -> float:
    """How much of the question the figure's line covers beyond its own label and clause: words
    that belong to a neighbouring figure ("6 tháng 40 ca, cả năm 95 ca": a question's "cả năm"
    is 95's, not 40's)."""
    return max(line - own, 0.0)


def _agreement(asked: object, agrees: bool) -> float:
    """+1 when the question states a constraint the figure meets, −1 when it misses it, 0 when
    the question (or the figure) says nothing."""
    if not asked:
        return 0.0
    return 1.0 if agrees else -1.0


def _measure_of(unit: str | None, label: str) -> Measure | None:
    """A figure's kind of quantity from its unit; a bare number's from its label ("Tỷ lệ …" is a
    rate); None when neither tells."""
    if unit:
        # an amount of money per person or per month ("đ/ng/thg", "đồng/người/tháng") is money;
        # any other unit per something ("ca/100.000 dân") is a rate
        numerator = unit.split("/", 1)[0].strip().lower()
        if "đồng" in unit or numerator in CURRENCY_UNITS:
            return "money"
        if "%" in unit or "‰" in unit or "/" in unit:
            return "rate"
        return "count"
    return measure_in(label)


def _qualifier_fit(asked: frozenset[int], own: frozenset[int]) -> float:
    """The share of the question's qualifying numbers in the figure's label; −1 when the label
    has numbers of its own and none is asked ("mũi 4" for a question about "mũi 3"); 0 when
    the question has none or the label says nothing."""
    if not asked:
        return 0.0
    share = len(asked & own) / len(asked)
    if share == 0.0 and own:
        return -1.0
    return share


def _sub_unit_fit(item: _Indexed, question: FigureQuestion) -> float:
    """+1 when the figure is for the sub-unit asked about, −1 when it is for another sub-unit or
    for one the question does not name (a facility's figure for a district question), else 0."""
    if question.sub_units:
        return 1.0 if item.sub_units.intersection(question.sub_units) else -1.0
    return -1.0 if item.sub_units else 0.0
