"""Plan against actual: a result beside the target it answers to, met or not (the target's
comparator first — "< 6‰" is met by 4,1 — then the indicator's direction: a lower-is-better
target without a comparator is a ceiling), and the result as a share of the plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indexer.figure_records import line_span
from service.indicators.catalog import Observation
from service.indicators.grouping import units_compatible
from service.qa.figure_answer import meets_plan


@dataclass(frozen=True)
class PlanCheck:
    target: Observation
    result: Observation
    met: bool | None  # None: the two are in different units
    share_of_plan: float | None  # result as % of the target, when the target is a plain value


def check(target: Observation, result: Observation) -> PlanCheck:
    plan, actual = target.record.figure, result.record.figure
    met, share = meets_plan(actual, plan)
    if met is not None and plan.comparator is None and target.indicator.direction == "lower":
        met = actual.value <= plan.value
    return PlanCheck(target=target, result=result, met=met, share_of_plan=share)


def pair_up(targets: Sequence[Observation], results: Sequence[Observation]) -> list[PlanCheck]:
    """Each target with its result: the one written on the same line (a plan/result table row,
    "… 12,1% (KH <13%)"), else the nearest one of the same document, else the first one in
    a compatible unit from another document; in the target's own unit before an unwritten one."""
    checks = []
    for target in targets:
        candidates = [
            result
            for result in results
            if units_compatible((target.record.figure.unit, result.record.figure.unit))
        ]
        if not candidates:
            continue
        checks.append(check(target, min(candidates, key=lambda r: _distance(target, r))))
    return checks


def _distance(target: Observation, result: Observation) -> tuple[int, bool, int]:
    plan, actual = target.record.figure, result.record.figure
    other_unit = plan.unit != actual.unit
    if plan.doc_id != actual.doc_id:
        return 2, other_unit, 0
    text = target.record.document.text
    same_line = line_span(text, plan.start) == line_span(text, actual.start)
    return 0 if same_line else 1, other_unit, abs(actual.start - plan.start)
