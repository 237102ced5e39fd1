"""Public retrieval sets (question + gold context, optional qrels) scored with the product's own
indexer and search, so numbers can be set beside published Vietnamese retrieval results.

The unique contexts are written as .txt files into a throw-away corpus, indexed by
`build_index` exactly as documents are, and each question is asked through GET /api/search of
`create_app(settings, engine)`; a returned passage is relevant when it comes from one of the
question's gold contexts.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from eval.dataset import DatasetError, EvalItem
from eval.judge import DocumentJudge
from eval.kept_cache import build_throwaway_index
from eval.retrieval import RetrievalReport, evaluate_retrieval
from indexer.embed.base import Embedder
from indexer.load import doc_id_for
from service.app import create_app
from service.engine import load_engine
from service.settings import Settings

QID_COLUMNS = ("qid", "query-id", "query_id")
DOC_COLUMNS = ("doc_id", "corpus-id", "corpus_id", "docid")
SCORE_COLUMNS = ("score", "relevance", "rel")


@dataclass(frozen=True)
class PublicSet:
    items: tuple[EvalItem, ...]  # `docs` holds each question's gold document ids
    contexts: tuple[tuple[str, str], ...]  # (document id, text), each context once


@dataclass(frozen=True)
class PublicResult:
    questions: int
    contexts: int
    passages: int
    build_seconds: float
    embedded: int
    reports: tuple[RetrievalReport, ...]


def load_public(questions: Path, qrels: Path | None = None) -> PublicSet:
    """Read `question`, `context` and optional `qid`/`doc_id` columns from CSV or JSONL; with
    qrels, the gold documents of a question are the qrels' instead of its own context."""
    contexts: dict[str, str] = {}
    first_line: dict[str, int] = {}
    rows: list[tuple[int, str, str, str]] = []  # line, qid, question, doc id
    for number, record in _records(questions):
        question = str(record.get("question") or "").strip()
        context = str(record.get("context") or "").strip()
        if not question or not context:
            missing = "question" if not question else "context"
            raise DatasetError(f"{questions.name} line {number}: '{missing}' is empty or missing")
        doc_id = str(record.get("doc_id") or "").strip() or _context_id(context)
        if doc_id in contexts and contexts[doc_id] != context:
            raise DatasetError(
                f"{questions.name} line {number}: doc_id {doc_id!r} has a different context "
                f"on line {first_line[doc_id]}"
            )
        contexts.setdefault(doc_id, context)
        first_line.setdefault(doc_id, number)
        qid = str(record.get("qid") or record.get("id") or "").strip() or f"q{number}"
        rows.append((number, qid, question, doc_id))
    gold = _read_qrels(qrels) if qrels else {}
    items = []
    seen: set[str] = set()
    for number, qid, question, doc_id in rows:
        if qid in seen:
            continue  # one question, several contexts: the qrels (or the first) decide
        seen.add(qid)
        docs = gold.get(qid, (doc_id,)) if qrels else (doc_id,)
        unknown = [d for d in docs if d not in contexts]
        if unknown:
            raise DatasetError(
                f"{qrels.name if qrels else questions.name}: qid {qid!r} (line {number}) names "
                f"documents with no context: {', '.join(unknown[:3])}"
            )
        items.append(
            EvalItem(
                item_id=qid,
                question=question,
                turns=(question,),
                evidence=(),
                answer=None,
                answerable=True,
                docs=tuple(docs),
            )
        )
    if not items:
        raise DatasetError(f"{questions.name}: no questions")
    return PublicSet(items=tuple(items), contexts=tuple(contexts.items()))


def write_corpus(public: PublicSet, corpus_dir: Path) -> dict[str, str]:
    """One .txt per context; returns the index's document id → the dataset's document id."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    gold_of = {}
    for number, (doc_id, text) in enumerate(public.contexts):
        name = f"ctx{number:06d}.txt"
        (corpus_dir / name).write_text(text + "\n", encoding="utf-8")
        gold_of[doc_id_for(Path(name))] = doc_id
    return gold_of


def evaluate_public(
    public: PublicSet,
    settings: Settings,
    embedder: Embedder,
    *,
    modes: Sequence[str] = ("hybrid",),
    kept_cache: Path | None = None,
    progress: bool = False,
    on_mode: Callable[[str], None] | None = None,
) -> PublicResult:
    with tempfile.TemporaryDirectory(prefix="healthqa-public-") as temporary:
        corpus_dir = Path(temporary) / "corpus"
        index_dir = Path(temporary) / "index"
        gold_of = write_corpus(public, corpus_dir)
        build = build_throwaway_index(
            corpus_dir, index_dir, embedder, keep_into=kept_cache, progress=progress
        )
        public_settings = settings.model_copy(
            update={"corpus_dir": corpus_dir, "index_dir": index_dir}
        )
        engine = load_engine(public_settings, embedder=embedder)
        try:
            judge = DocumentJudge(gold_of, engine.index.store)
            reports = []
            with TestClient(create_app(public_settings, engine)) as client:
                for mode in modes:
                    if on_mode:
                        on_mode(mode)
                    reports.append(
                        evaluate_retrieval(
                            client, public.items, mode=mode, judge=judge, per_document=False
                        )
                    )
            passages = engine.index.store.passage_count()
        finally:
            engine.close()
    return PublicResult(
        questions=len(public.items),
        contexts=len(public.contexts),
        passages=passages,
        build_seconds=round(build.seconds, 2),
        embedded=build.embedded,
        reports=tuple(reports),
    )


def _records(path: Path) -> Iterator[tuple[int, dict]]:
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetError(f"{path.name} line {number}: {error}") from error
            if not isinstance(record, dict):
                raise DatasetError(f"{path.name} line {number}: each line must be a JSON object")
            yield number, record
        return
    if path.suffix.lower() != ".csv":
        raise DatasetError(f"{path.name}: give a .csv or .jsonl file of questions")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"question", "context"} - set(reader.fieldnames or ())
        if missing:
            raise DatasetError(
                f"{path.name} line 1: missing column(s) {', '.join(sorted(missing))} "
                "(need question, context; optional qid, doc_id)"
            )
        for record in reader:
            yield reader.line_num, record


def _read_qrels(path: Path) -> dict[str, tuple[str, ...]]:
    """qid → relevant document ids, from a TSV or CSV with a header (BEIR's `query-id corpus-id
    score` or `qid doc_id [relevance]`); rows with a score of 0 or less are not relevant."""
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".txt") else ","
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        fields = [name.strip() for name in reader.fieldnames or ()]
        qid_column = next((c for c in QID_COLUMNS if c in fields), None)
        doc_column = next((c for c in DOC_COLUMNS if c in fields), None)
        score_column = next((c for c in SCORE_COLUMNS if c in fields), None)
        if qid_column is None or doc_column is None:
            raise DatasetError(
                f"{path.name} line 1: need a header naming a question column "
                f"({', '.join(QID_COLUMNS)}) and a document column ({', '.join(DOC_COLUMNS)})"
            )
        gold: dict[str, list[str]] = {}
        for record in reader:
            record = {key.strip(): (value or "").strip() for key, value in record.items() if key}
            if score_column and record.get(score_column):
                try:
                    if float(record[score_column]) <= 0:
                        continue
                except ValueError as error:
                    raise DatasetError(
                        f"{path.name} line {reader.line_num}: score {record[score_column]!r} "
                        "is not a number"
                    ) from error
            gold.setdefault(record[qid_column], []).append(record[doc_column])
    return {qid: tuple(docs) for qid, docs in gold.items()}


def _context_id(context: str) -> str:
    return "ctx-" + hashlib.sha1(context.encode("utf-8")).hexdigest()[:12]
