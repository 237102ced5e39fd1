"""Questions whose evidence was not in the top k, what came back instead, and the misses every
compared mode shares, written as CSV for reading in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from eval.retrieval import RetrievalOutcome, RetrievalReport

TOP_TEXTS = 3
MISS_COLUMNS = (
    "id",
    "question",
    "language",
    "rank",
    "expected_evidence",
    "expected_docs",
    "returned_instead",
    "top1_text",
    "top2_text",
    "top3_text",
)


def is_miss(outcome: RetrievalOutcome, k: int) -> bool:
    return outcome.rank is None or outcome.rank > k


def misses_at(report: RetrievalReport, k: int) -> list[RetrievalOutcome]:
    return [o for o in report.outcomes if is_miss(o, k)]


def common_misses(reports: Sequence[RetrievalReport], k: int) -> list[str]:
    """Ids of the questions every report missed at k, in the first report's order."""
    if not reports:
        return []
    missed = [{o.item.item_id for o in misses_at(report, k)} for report in reports]
    shared = set.intersection(*missed)
    return [o.item.item_id for o in reports[0].outcomes if o.item.item_id in shared]


def miss_row(outcome: RetrievalOutcome) -> dict[str, str]:
    returned = outcome.returned
    texts = [passage.text for passage in returned[:TOP_TEXTS]]
    texts += [""] * (TOP_TEXTS - len(texts))
    return {
        "id": outcome.item.item_id,
        "question": outcome.item.question,
        "language": outcome.item.language,
        "rank": "" if outcome.rank is None else str(outcome.rank),
        "expected_evidence": " | ".join(outcome.item.evidence),
        "expected_docs": " | ".join(outcome.item.docs),
        "returned_instead": " | ".join(
            f"{p.source} › {p.section}" if p.section else p.source for p in returned[:TOP_TEXTS]
        ),
        "top1_text": texts[0],
        "top2_text": texts[1],
        "top3_text": texts[2],
    }


def write_misses_csv(path: Path, report: RetrievalReport, k: int) -> int:
    """One row per question missed at k; returns how many."""
    misses = misses_at(report, k)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MISS_COLUMNS)
        writer.writeheader()
        writer.writerows(miss_row(outcome) for outcome in misses)
    return len(misses)


def write_common_misses_csv(path: Path, reports: Sequence[RetrievalReport], k: int) -> int:
    """The questions every mode missed at k, with each mode's rank and the first mode's top 3."""
    shared = common_misses(reports, k)
    by_mode = [{o.item.item_id: o for o in report.outcomes} for report in reports]
    rank_columns = [f"rank_{report.mode}" for report in reports]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*MISS_COLUMNS, *rank_columns])
        writer.writeheader()
        for item_id in shared:
            row = miss_row(by_mode[0][item_id])
            for column, outcomes in zip(rank_columns, by_mode, strict=True):
                rank = outcomes[item_id].rank
                row[column] = "" if rank is None else str(rank)
            writer.writerow(row)
    return len(shared)
