"""The `--json` payloads of `healthqa eval` and `healthqa bench`: plain JSON built from the
result dataclasses at the edge, the shapes the tests pin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from eval.ablation import AblationRow
from eval.answers import AnswerReport
from eval.bench import BenchResult
from eval.crossval import CrossValidation
from eval.misses import common_misses, misses_at
from eval.public import PublicResult
from eval.retrieval import RetrievalReport
from eval.scale import ScaleResult


def retrieval_payload(reports: Sequence[RetrievalReport]) -> dict:
    """Per mode: the rows per language group (`retrieval`), per kind, per document and the R@k
    curve."""
    return {
        "retrieval": {r.mode: [asdict(s) for s in r.scores] for r in reports},
        "retrieval_kinds": {r.mode: [asdict(s) for s in r.kinds] for r in reports},
        "retrieval_documents": {r.mode: [asdict(s) for s in r.documents] for r in reports},
        "recall_curves": {r.mode: [round(v, 4) for v in r.recall_curve()] for r in reports},
    }


def ablation_payload(rows: Sequence[AblationRow]) -> list[dict]:
    return [
        {
            "variant": row.variant,
            "description": row.description,
            "passages": row.passages,
            **asdict(row.overall),
        }
        for row in rows
    ]


def eval_payload(
    *,
    dataset: str,
    index: str,
    reports: Sequence[RetrievalReport],
    answers: AnswerReport | None,
    ablation: Sequence[AblationRow] = (),
    miss_k: int = 5,
    crossval: CrossValidation | None = None,
) -> dict:
    return {
        "dataset": dataset,
        "index": index,
        "miss_k": miss_k,
        **retrieval_payload(reports),
        "answerability_right": answers.answerability_right if answers else None,
        "answers": [asdict(s) for s in answers.scores] if answers else [],
        "answer_kinds": [asdict(s) for s in answers.kinds] if answers else [],
        "answer_documents": [asdict(s) for s in answers.documents] if answers else [],
        "misses": {r.mode: [o.item.item_id for o in misses_at(r, miss_k)] for r in reports},
        "common_misses": common_misses(reports, miss_k),
        "wrong_answers": (
            [o.item.item_id for o in answers.outcomes if not o.correct] if answers else []
        ),
        "ablation": ablation_payload(ablation) if ablation else None,
        "cross_validation": asdict(crossval) if crossval else None,
    }


def public_payload(dataset: str, result: PublicResult, miss_k: int = 5) -> dict:
    return {
        "dataset": dataset,
        "public": True,
        "questions": result.questions,
        "contexts": result.contexts,
        "passages": result.passages,
        "build_seconds": result.build_seconds,
        "embedded": result.embedded,
        **retrieval_payload(result.reports),
        "miss_k": miss_k,
        "misses": {r.mode: [o.item.item_id for o in misses_at(r, miss_k)] for r in result.reports},
    }


def bench_payload(result: BenchResult | None, scale: Sequence[ScaleResult] = ()) -> dict:
    payload: dict = asdict(result) if result else {}
    if scale:
        payload["scale"] = [asdict(s) for s in scale]
    return payload
