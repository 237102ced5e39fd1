"""Answers about documents rather than figures: who signed, which legal bases a document rests
on, and which documents cite a code — each with the span of text it was read from."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from indexer.attributes import signature_start
from indexer.models import Document, Hit, Passage, Reference
from indexer.references import TYPE_WORDS as DOCUMENT_TYPE_WORDS
from indexer.scope import QueryScope
from indexer.store.base import IndexStore
from indexer.tokens import fold

Span = tuple[Passage, int, int]  # passage, start, end (document offsets)

# Type words a question may name, folded as the question is: the indexer's vocabulary, and the
# English words for the types an English question asks about.
TYPE_WORDS = {fold(word): doc_type for word, doc_type in DOCUMENT_TYPE_WORDS.items()} | {
    "resolution": "Nghị quyết",
    "decision": "Quyết định",
    "directive": "Chỉ thị",
}
ISSUER_WORDS = (
    "hdnd",
    "ubnd",
    "tinh uy",
    "chinh phu",
    "bo y te",
    "thu tuong",
    "ban bi thu",
    "quoc hoi",
)


def named_types(question: str) -> list[str]:
    """The document types a question names, in the order it names them."""
    folded = fold(question)
    positions = sorted(
        (folded.find(key), name) for key, name in TYPE_WORDS.items() if key in folded
    )
    return list(dict.fromkeys(name for _, name in positions))


def named_issuers(question: str) -> list[str]:
    folded = fold(question)
    return [word for word in ISSUER_WORDS if word in folded]


def in_places(documents: Sequence[Document], scope: QueryScope) -> list[Document]:
    """The documents about a place the question names; all of them when none is."""
    if not scope.places:
        return list(documents)
    asked = {fold(p) for p in scope.places}
    return [
        d
        for d in documents
        if {fold(p) for p in (d.attributes.province, d.attributes.district) if p} & asked
    ]


class ReferenceAnswers:
    def __init__(self, store: IndexStore, documents: dict[str, Document]) -> None:
        self.store = store
        self.documents = documents

    def documents_in_scope(self, scope: QueryScope, hits: Sequence[Hit]) -> list[Document]:
        ranked = list(dict.fromkeys(hit.passage.doc_id for hit in hits))
        documents = [self.documents[doc_id] for doc_id in ranked]
        return in_places(documents, scope) or documents

    def signer(
        self, scope: QueryScope, hits: Sequence[Hit]
    ) -> tuple[Document, Passage, int, int] | None:
        """The signature of the best-ranked document in scope that has one."""
        for document in self.documents_in_scope(scope, hits):
            signer = document.attributes.signer
            if not signer:
                continue
            at = document.text.rfind(signer)
            block = signature_start(document.text, at) if at >= 0 else at
            # the title and the name, or the name alone when a passage parts them
            span = self.span(document, block, at + len(signer) - block) or self.span(
                document, at, len(signer)
            )
            if span is not None:
                return document, *span
        return None

    def legal_bases(
        self, question: str, scope: QueryScope, hits: Sequence[Hit]
    ) -> tuple[Document, list[Reference], list[Span]] | None:
        named = named_types(question)
        wanted_issuers = named_issuers(question)
        for document in self.documents_in_scope(scope, hits):
            # "Kế hoạch … căn cứ những văn bản nào?": a first type naming the document itself
            # is not the type of basis asked for
            own = named[:1] == [document.attributes.doc_type]
            wanted_types = set(named[1:] if own else named)
            bases = [r for r in self.store.references(doc_id=document.doc_id) if r.is_legal_basis]
            bases = _first_of_each(bases, lambda r: r.code)
            chosen = [r for r in bases if not wanted_types or r.doc_type in wanted_types]
            if wanted_issuers:
                chosen = [
                    r
                    for r in chosen
                    if any(w in fold(f"{r.issuer} {r.code}") for w in wanted_issuers)
                ] or chosen
            spans = [self.span(document, r.start, r.end - r.start) for r in chosen]
            found = [s for s in spans if s is not None]
            if chosen and found:
                return document, chosen, found
        return None

    def citing(self, code: str) -> tuple[list[Reference], list[Span]] | None:
        references = self.store.references(code=code)
        if not references:
            return None
        spans = []
        for reference in _first_of_each(references, lambda r: r.doc_id):
            span = self.span(
                self.documents[reference.doc_id], reference.start, reference.end - reference.start
            )
            if span is not None:
                spans.append(span)
        return references, spans

    def span(self, document: Document, start: int, length: int) -> Span | None:
        if start < 0:
            return None
        for passage in self.store.passages_of(document.doc_id):
            if passage.start <= start and start + length <= passage.end:
                return passage, start, start + length
        return None


def _first_of_each(
    references: Sequence[Reference], key: Callable[[Reference], str]
) -> list[Reference]:
    seen: dict[str, Reference] = {}
    for reference in references:
        seen.setdefault(key(reference), reference)
    return list(seen.values())
