"""The report folder of an evaluation: `report.md` with its PNG figures and miss CSVs (per
language, kind and document, and the cross-validated abstention threshold)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from eval.ablation import AblationRow
from eval.answers import AnswerReport, AnswerScores
from eval.crossval import CrossValidation
from eval.misses import write_common_misses_csv, write_misses_csv
from eval.plots import rank_plot, recall_curves
from eval.retrieval import RetrievalReport, RetrievalScores

EVIDENCE_RULE = (
    "a passage is relevant when it contains an evidence string (NFC, lower-case, no `_`, "
    "no whitespace)"
)
GOLD_DOCUMENT_RULE = "a passage is relevant when it comes from a gold context's document"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{round(value, 3):g}"
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


RETRIEVAL_HEADERS = (
    "n",
    "R@1",
    "R@5",
    "R@10",
    "P@5",
    "MRR@10",
    "MAP@10",
    "nDCG@10",
    "rank mean",
    "rank median",
    "found@10",
)


def retrieval_cells(s: RetrievalScores) -> list[object]:
    return [
        s.questions,
        s.r1,
        s.r5,
        s.r10,
        s.p5,
        s.mrr10,
        s.map10,
        s.ndcg10,
        None if s.rank_mean is None else round(s.rank_mean, 2),
        s.rank_median,
        s.found_rate,
    ]


ANSWER_HEADERS = (
    "group",
    "n",
    "figure acc.",
    "figures",
    "first citation",
    "answerability right",
    "abstention P",
    "abstention R",
    "abstained",
)


def answer_cells(s: AnswerScores) -> list[object]:
    return [
        s.group,
        s.questions,
        s.figure_accuracy,
        s.figure_questions,
        s.citation_accuracy,
        s.answerability_right,
        s.abstention_precision,
        s.abstention_recall,
        f"{s.unanswerable_abstained}/{s.unanswerable} unanswerable, {s.abstained} in all",
    ]


RULE_HEADERS = (
    "group",
    "n",
    "must_mention recall",
    "items",
    "plan-vs-actual",
    "items",
    "cross-document",
    "items",
    "trap rate",
    "items",
)


def rule_cells(s: AnswerScores) -> list[object]:
    """The dev-set rules that apply to some kinds only (a dash where a group has no such item)."""
    return [
        s.group,
        s.questions,
        s.must_mention_recall,
        s.must_mention_questions,
        s.plan_vs_actual_accuracy,
        s.plan_vs_actual_questions,
        s.cross_document_accuracy,
        s.cross_document_questions,
        s.trap_rate,
        s.trap_questions,
    ]


CROSSVAL_HEADERS = (
    "held-out document",
    "threshold",
    "train n",
    "test n",
    "answerability in-sample",
    "answerability held-out",
    "figure acc. in-sample",
    "figure acc. held-out",
)


def threshold_text(threshold: float | None) -> str:
    return "withhold all" if threshold is None else f"{threshold:.4g}"


def crossval_markdown(result: CrossValidation) -> list[str]:
    rows = [
        [
            fold.document,
            threshold_text(fold.threshold),
            fold.train_questions,
            fold.test_questions,
            fold.train_answerability,
            fold.test_answerability,
            fold.train_figure_accuracy,
            fold.test_figure_accuracy,
        ]
        for fold in result.folds
    ]
    rows.append(
        [
            "all (pooled)",
            threshold_text(result.threshold),
            "",
            result.held_out_questions,
            result.in_sample_answerability,
            result.held_out_answerability,
            result.in_sample_figure_accuracy,
            result.held_out_figure_accuracy,
        ]
    )
    return [
        "## Abstention threshold, cross-validated over documents",
        "",
        "An answer is shown when its confidence is at least the threshold (SQuAD 2.0's best "
        "threshold for answerability right, fitted on the other documents' items; an item's "
        "document is its first `docs` entry).",
        "",
        table(CROSSVAL_HEADERS, rows),
        "",
    ]


def mention_note(recall: float | None) -> str:
    return "" if recall is None else f", must_mention recall {recall:.2f}"


def ablation_table(rows: Sequence[AblationRow]) -> str:
    return table(
        ("variant", "what changes", "passages", *RETRIEVAL_HEADERS),
        [[r.variant, r.description, r.passages, *retrieval_cells(r.overall)] for r in rows],
    )


def write_eval_report(
    directory: Path,
    *,
    dataset: str,
    index: str,
    reports: Sequence[RetrievalReport],
    answers: AnswerReport | None,
    ablation: Sequence[AblationRow] = (),
    miss_k: int = 5,
    relevance: str = EVIDENCE_RULE,
    crossval: CrossValidation | None = None,
) -> Path:
    """report.md, recall_at_k.png, ranks.png, misses-<mode>.csv, misses-common.csv (and
    ablation_recall_at_k.png with an ablation); returns the markdown's path."""
    directory.mkdir(parents=True, exist_ok=True)
    recall_curves(
        directory / "recall_at_k.png",
        [(r.mode, r.recall_curve()) for r in reports],
        "R@k by mode",
    )
    rank_plot(directory / "ranks.png", reports)
    lines = [
        "# Retrieval and answer evaluation",
        "",
        f"- dataset: `{dataset}`",
        f"- index: `{index}`",
        f"- run: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- relevance: {relevance}; metrics over the top 10 of GET /api/search",
        "",
        "## Retrieval",
        "",
        table(
            ("mode", "group", *RETRIEVAL_HEADERS),
            [[r.mode, s.group, *retrieval_cells(s)] for r in reports for s in r.scores],
        ),
        "",
        "![R@k by mode](recall_at_k.png)",
        "",
        "![rank of the first relevant passage per question](ranks.png)",
        "",
    ]
    if any(r.kinds for r in reports):
        lines += [
            "### Per kind",
            "",
            table(
                ("mode", "kind", *RETRIEVAL_HEADERS),
                [[r.mode, s.group, *retrieval_cells(s)] for r in reports for s in r.kinds],
            ),
            "",
        ]
    if any(r.documents for r in reports):
        lines += [
            "### Per document",
            "",
            table(
                ("mode", "document", *RETRIEVAL_HEADERS),
                [[r.mode, s.group, *retrieval_cells(s)] for r in reports for s in r.documents],
            ),
            "",
        ]
    if answers:
        lines += [
            "## Answers (POST /api/ask)",
            "",
            f"Answerability right (answered when answerable, abstained with no figure when "
            f"not): **{answers.answerability_right:.3f}** over {len(answers.outcomes)} questions.",
            "",
            table(ANSWER_HEADERS, [answer_cells(s) for s in answers.scores]),
            "",
            "### Per kind",
            "",
            table(ANSWER_HEADERS, [answer_cells(s) for s in answers.kinds]),
            "",
            "### Rules of some kinds (must_mention, plan-vs-actual, cross-document, scope traps)",
            "",
            table(
                RULE_HEADERS,
                [rule_cells(s) for s in (*answers.scores, *answers.kinds)],
            ),
            "",
            "### Per document",
            "",
            table(ANSWER_HEADERS, [answer_cells(s) for s in answers.documents]),
            "",
        ]
        wrong = [o for o in answers.outcomes if not o.correct]
        if wrong:
            lines += ["Wrong answers:", ""]
            for outcome in wrong:
                expected = outcome.item.answer.value if outcome.item.answer else None
                lines.append(
                    f"- `{outcome.item.item_id}` ({outcome.item.kind}) expected {expected}, got "
                    f"{outcome.first_value} (answerable: {outcome.answerable}"
                    f"{mention_note(outcome.must_mention_recall)}): {outcome.item.question}"
                )
            lines.append("")
    if crossval:
        lines += crossval_markdown(crossval)
    if ablation:
        recall_curves(
            directory / "ablation_recall_at_k.png",
            [(row.variant, row.report.recall_curve()) for row in ablation],
            "R@k by ablation variant",
        )
        lines += [
            "## Ablation",
            "",
            ablation_table(ablation),
            "",
            "![R@k by ablation variant](ablation_recall_at_k.png)",
            "",
        ]
    lines += [f"## Misses at {miss_k}", ""]
    for report in reports:
        name = f"misses-{report.mode}.csv"
        count = write_misses_csv(directory / name, report, miss_k)
        lines.append(f"- {report.mode}: {count} questions, [{name}]({name})")
    shared = write_common_misses_csv(directory / "misses-common.csv", reports, miss_k)
    modes = ", ".join(r.mode for r in reports)
    lines += [
        f"- missed by every mode ({modes}): {shared} questions, "
        "[misses-common.csv](misses-common.csv)",
        "",
    ]
    path = directory / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
