"""Grouping figure records into indicators: records whose names share their telling words, in a
compatible unit, measure the same thing.

The similarity is transparent: a weighted Jaccard over the content words of two names (see
`naming.content_words`), each word weighted by its IDF over the distinct names in the index (a
word most names carry, such as "tỷ lệ" or "y tế", weighs little); the words of a short list
lead-in or line topic the label hangs from ("Sốt rét – số ca mắc") count at `QUALIFIER_WEIGHT`
of a label word, and a lead-in two names share counts for neither. Two names are never alike
across units, across different stated numbers or between a total and its breakdown
(`compatible`). Names are merged by complete linkage, the most similar two groups first, while
every name of one is at least `THRESHOLD` like every name of the other. Then a name whose
closest name in another group is as close as its closest name at home (within `MARGIN`, at the
threshold) is set apart on its own, with both groups named as evidence, rather than guessed.

THRESHOLD and MARGIN were chosen on the seed corpus against the hand-checked groups in
tests/service/test_indicator_grouping.py, which prints pairwise precision and recall: 0.40 lets
"dưới 1 tuổi" and "dưới 5 tuổi" look-alikes chain together (precision 0.80), 0.45 gives 0.99
precision and 0.87 recall, 0.55 drops recall to 0.79.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from indexer.figure_records import FigureRecord
from indexer.tokens import fold, syllables
from service.indicators.naming import (
    NUMBERING,
    QUALIFIER_SEPARATOR,
    Direction,
    content_words,
    direction_of,
    name_syllables,
    qualifier_of,
    written_out,
)

THRESHOLD = 0.45
MARGIN = 0.05
QUALIFIER_WEIGHT = 0.3
MAX_QUALIFIER_WORDS = 6
RATE_UNITS = frozenset({"%", "‰"})
SHARE_OF_PLAN = "% kế hoạch"  # a result written as a share of its plan measures the plan, not this
MAX_ID_CHARS = 60

FigureKey = tuple[str, int, int]  # doc_id, start, end: one figure of the index


def figure_key(record: FigureRecord) -> FigureKey:
    figure = record.figure
    return figure.doc_id, figure.start, figure.end


@dataclass(frozen=True)
class Candidate:
    """A group an ungrouped name could have joined, and how alike they are."""

    indicator_id: str
    name: str
    similarity: float


@dataclass(frozen=True)
class Indicator:
    """One thing measured, across documents, places and years, with the evidence of its
    grouping: the names merged and the words they all share."""

    indicator_id: str
    name: str
    unit: str | None
    direction: Direction | None
    records: tuple[FigureRecord, ...]
    labels: tuple[str, ...]  # the distinct names merged, most used first
    shared_words: tuple[str, ...]  # content words every merged name has
    cohesion: float  # the lowest similarity between two of its names (1.0 for one name)
    # when left ungrouped: the close groups it could belong to
    ungrouped_between: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Grouping:
    indicators: tuple[Indicator, ...]
    _by_figure: dict[FigureKey, Indicator] = field(repr=False, compare=False)
    _by_id: dict[str, Indicator] = field(repr=False, compare=False)

    def indicator_of(self, record: FigureRecord) -> Indicator | None:
        return self._by_figure.get(figure_key(record))

    def indicator_for(self, key: FigureKey) -> Indicator | None:
        return self._by_figure.get(key)

    def get(self, indicator_id: str) -> Indicator | None:
        return self._by_id.get(indicator_id)


@dataclass(frozen=True)
class _Name:
    """The records written with one name (same content words, lead-in and unit)."""

    words: tuple[str, ...]
    qualifier: tuple[str, ...]
    unit: str | None
    records: tuple[FigureRecord, ...]
    breakdown: frozenset[str]  # the words of a sub-row after its parent ("… – tuyến tỉnh")
    count: bool  # "Số …", "Tổng số …": a count, never a percentage

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(word for word in self.words if word.isdigit())


def compatible(left: _Name, right: _Name) -> bool:
    """Whether two names could measure the same thing at all: in one unit (an unwritten one
    goes with any, a count with no percentage); stating no different numbers (an age band "dưới
    1 tuổi" / "dưới 5 tuổi", a dose "mũi 1" / "mũi 2"); both a sub-row of a shared breakdown, or
    neither (a total is not its province-level part)."""
    if not units_compatible((left.unit, right.unit)):
        return False
    for one, other in ((left, right), (right, left)):
        if one.count and not one.unit and other.unit in RATE_UNITS:
            return False
    if not (left.numbers <= right.numbers or right.numbers <= left.numbers):
        return False
    if bool(left.breakdown) != bool(right.breakdown):
        return False
    return not left.breakdown or bool(left.breakdown & right.breakdown)


class _Cluster:
    def __init__(self, number: int, names: list[int]) -> None:
        self.number = number
        self.names = names
        self.merged_into: _Cluster | None = None
        self.close: tuple[tuple[_Cluster, float], ...] = ()  # when set apart: the two groups


def display_label(label: str) -> str:
    return NUMBERING.sub("", label).strip(" :;,.–-")


def _names(records: Iterable[FigureRecord]) -> list[_Name]:
    found: dict[tuple[tuple[str, ...], tuple[str, ...], str | None], list[FigureRecord]] = {}
    for record in records:
        label = record.figure.label
        qualifier = content_words(qualifier_of(record.indicator, label), numbers=False)
        if len(qualifier) > MAX_QUALIFIER_WORDS:
            qualifier = ()  # a sentence leading into a list, not a heading naming what it counts
        key = (content_words(label), qualifier, record.figure.unit)
        found.setdefault(key, []).append(record)
    names = []
    for (words, qualifier, unit), found_records in found.items():
        label = display_label(found_records[0].figure.label)
        _, _, sub_row = label.partition(QUALIFIER_SEPARATOR)
        names.append(
            _Name(
                words=words,
                qualifier=qualifier,
                unit=unit,
                records=tuple(found_records),
                breakdown=frozenset(content_words(sub_row)),
                count=name_syllables(label)[:1] in (["số"], ["tổng"]),
            )
        )
    return names


def _idf(names: Sequence[_Name]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(set(name.words) | set(name.qualifier))
    total = len(names)
    return {word: math.log(1 + total / count) for word, count in counts.items()}


def _weights(name: _Name, idf: dict[str, float]) -> dict[str, float]:
    weights = {word: QUALIFIER_WEIGHT * idf[word] for word in name.qualifier}
    weights.update({word: idf[word] for word in name.words})
    return weights


def weighted_jaccard(
    left: dict[str, float], right: dict[str, float], neutral: frozenset[str] = frozenset()
) -> float:
    """Σ min(weight) / Σ max(weight) over the words of either side, `neutral` words aside."""
    words = (left.keys() | right.keys()) - neutral
    top = sum(max(left.get(w, 0.0), right.get(w, 0.0)) for w in words)
    if top == 0:
        return 0.0
    return sum(min(left.get(w, 0.0), right.get(w, 0.0)) for w in words) / top


def units_compatible(units: Iterable[str | None]) -> bool:
    """One unit at most, and no share of a plan: an unwritten unit goes with any."""
    written = {unit for unit in units if unit}
    return len(written) <= 1 and SHARE_OF_PLAN not in written


def group_records(
    records: Sequence[FigureRecord],
    *,
    threshold: float = THRESHOLD,
    margin: float = MARGIN,
) -> Grouping:
    """Every record in exactly one indicator (an ungrouped one alone, or with its own name)."""
    names = _names(records)
    idf = _idf(names)
    weights = [_weights(name, idf) for name in names]
    similar = _name_similarities(names, weights)
    clusters = [_Cluster(number, [number]) for number in range(len(names))]
    _merge(clusters, similar, threshold)
    groups = _set_apart_ambiguous(clusters, similar, threshold, margin)
    return _grouping(groups, names, similar)


def _name_similarities(
    names: Sequence[_Name], weights: Sequence[dict[str, float]]
) -> dict[tuple[int, int], float]:
    """Similarity of every two names that share a label word, in compatible units."""
    by_word: dict[str, list[int]] = {}
    for number, name in enumerate(names):
        for word in name.words:
            by_word.setdefault(word, []).append(number)
    pairs = {
        (a, b)
        for numbers in by_word.values()
        for i, a in enumerate(numbers)
        for b in numbers[i + 1 :]
    }
    similar = {}
    for a, b in pairs:
        if compatible(names[a], names[b]):
            # a lead-in both hang from says nothing about whether they are alike: siblings of
            # one list are usually different indicators
            neutral = frozenset(names[a].qualifier) & frozenset(names[b].qualifier)
            neutral -= frozenset(names[a].words) | frozenset(names[b].words)
            similarity = weighted_jaccard(weights[a], weights[b], neutral)
            if similarity > 0:
                similar[(min(a, b), max(a, b))] = similarity
    return similar


def _linkage(left: _Cluster, right: _Cluster, similar: dict[tuple[int, int], float]) -> float:
    """Complete linkage: every name of one group must be like every name of the other."""
    return min(similar.get((min(a, b), max(a, b)), 0.0) for a in left.names for b in right.names)


def _merge(
    clusters: list[_Cluster], similar: dict[tuple[int, int], float], threshold: float
) -> None:
    """Complete-linkage agglomeration, the most similar two groups first."""
    live = {cluster.number: cluster for cluster in clusters}
    linkage = {pair: score for pair, score in similar.items() if score >= threshold}
    while linkage:
        a, b = min(linkage, key=lambda pair: (-linkage[pair], pair))
        kept, gone = live[a], live.pop(b)
        kept.names.extend(gone.names)
        gone.merged_into = kept
        for pair in [pair for pair in linkage if a in pair or b in pair]:
            del linkage[pair]
        for number, cluster in live.items():
            if number != a and (score := _linkage(kept, cluster, similar)) >= threshold:
                linkage[(min(a, number), max(a, number))] = score


def _set_apart_ambiguous(
    clusters: list[_Cluster],
    similar: dict[tuple[int, int], float],
    threshold: float,
    margin: float,
) -> list[_Cluster]:
    """Each name as like another group as its own (its closest name there within `margin` of
    its closest name at home, and at the threshold) set apart in a group of its own, with
    both groups kept as evidence. Returns the final groups."""
    groups = [cluster for cluster in clusters if cluster.merged_into is None]
    group_of = {name: cluster for cluster in groups for name in cluster.names}
    neighbours: dict[int, list[tuple[int, float]]] = {}
    for (a, b), score in similar.items():
        neighbours.setdefault(a, []).append((b, score))
        neighbours.setdefault(b, []).append((a, score))
    apart = []
    for cluster in groups:
        for name in list(cluster.names):
            best: dict[int, float] = {}
            for neighbour, score in neighbours.get(name, ()):
                home = group_of[neighbour]
                best[home.number] = max(best.get(home.number, 0.0), score)
            own = best.pop(cluster.number, None)
            if own is None or not best:
                continue
            rival_number, rival = max(best.items(), key=lambda item: (item[1], -item[0]))
            if rival >= threshold and rival >= own - margin:
                alone = _Cluster(len(clusters) + len(apart), [name])
                rival_cluster = next(c for c in groups if c.number == rival_number)
                alone.close = ((cluster, own), (rival_cluster, rival))
                apart.append(alone)
    for alone in apart:
        group_of[alone.names[0]].names.remove(alone.names[0])
    return [cluster for cluster in groups if cluster.names] + apart


def _grouping(
    groups: list[_Cluster], names: Sequence[_Name], similar: dict[tuple[int, int], float]
) -> Grouping:
    roots = sorted(groups, key=lambda cluster: min(_first_offset(names[n]) for n in cluster.names))
    ids: dict[int, str] = {}
    used: Counter[str] = Counter()
    details = []
    for cluster in roots:
        members = [record for n in cluster.names for record in names[n].records]
        name, labels = _name_and_labels(members)
        slug = _slug(name)
        used[slug] += 1
        ids[cluster.number] = slug if used[slug] == 1 else f"{slug}-{used[slug]}"
        details.append((cluster, members, name, labels))
    indicators = []
    for cluster, members, name, labels in details:
        pairs = [
            similar.get((min(a, b), max(a, b)), 0.0)
            for i, a in enumerate(cluster.names)
            for b in cluster.names[i + 1 :]
        ]
        close = tuple(
            Candidate(ids[other.number], _root_name(other, details), round(score, 3))
            for other, score in cluster.close
            if other.number in ids  # a group all of whose names were set apart is gone
        )
        indicators.append(
            Indicator(
                indicator_id=ids[cluster.number],
                name=name,
                unit=_usual_unit(members),
                direction=_direction(labels),
                records=tuple(members),
                labels=tuple(labels),
                shared_words=_shared_words(labels),
                cohesion=round(min(pairs), 3) if pairs else 1.0,
                ungrouped_between=close,
            )
        )
    by_figure = {figure_key(r): indicator for indicator in indicators for r in indicator.records}
    by_id = {indicator.indicator_id: indicator for indicator in indicators}
    return Grouping(tuple(indicators), by_figure, by_id)


def _root_name(
    root: _Cluster, details: list[tuple[_Cluster, list[FigureRecord], str, list[str]]]
) -> str:
    return next(name for cluster, _, name, _ in details if cluster is root)


def _first_offset(name: _Name) -> tuple[str, int]:
    return min((r.figure.doc_id, r.figure.start) for r in name.records)


def _name_and_labels(members: Sequence[FigureRecord]) -> tuple[str, list[str]]:
    """The name most documents use (then most figures, then the shortest), and every name."""
    documents: dict[str, set[str]] = {}
    figures: Counter[str] = Counter()
    for record in members:
        label = display_label(record.figure.label)
        documents.setdefault(label, set()).add(record.document.doc_id)
        figures[label] += 1
    ranked = sorted(
        documents, key=lambda label: (-len(documents[label]), -figures[label], len(label))
    )
    return ranked[0], ranked


def _usual_unit(members: Sequence[FigureRecord]) -> str | None:
    units = Counter(record.figure.unit for record in members if record.figure.unit)
    return units.most_common(1)[0][0] if units else None


def _direction(labels: Sequence[str]) -> Direction | None:
    votes = Counter(d for d in (direction_of(label) for label in labels) if d is not None)
    if not votes or (len(votes) == 2 and votes["higher"] == votes["lower"]):
        return None
    return votes.most_common(1)[0][0]


def _shared_words(labels: Sequence[str]) -> tuple[str, ...]:
    """The content words every name has, as the first name writes them (accents kept)."""
    word_sets = [set(content_words(label)) for label in labels]
    shared = set.intersection(*word_sets) if word_sets else set()
    written = {}
    for syllable in syllables(written_out(labels[0])):
        written.setdefault(fold(syllable), syllable)
    ordered = [w for w in content_words(labels[0]) if w in shared]
    return tuple(written.get(word, word) for word in ordered)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return slug[:MAX_ID_CHARS].rstrip("-") or "chi-tieu"
