"""Extractive answers with citations: the figure that answers, who signed, legal bases, the
documents citing a code, or the passage that best answers a policy question. Abstains when the
corpus does not hold the answer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer.glossary import is_english
from indexer.models import Document, Figure, Hit, Passage, Reference
from indexer.query import names_and_codes
from indexer.references import normalize_code
from indexer.scope import QueryScope
from indexer.search import Retriever
from indexer.store.base import IndexStore, SearchFilters
from indexer.tokens import fold, syllables
from service.figure_choice import FigureChooser, confident, indicator_groups
from service.followup import Turn, resolve_follow_up
from service.intent import Intent, detect_intent, document_codes

RETRIEVED = 10
CITED = 5
SENTENCE = re.compile(r"[^.;!?\n]+[.;!?]?")
TYPE_WORDS = {
    "nghi quyet": "Nghị quyết",
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "ke hoach": "Kế hoạch",
    "chuong trinh": "Chương trình",
    "thong tu": "Thông tư",
    "nghi dinh": "Nghị định",
    "resolution": "Nghị quyết",
    "decision": "Quyết định",
    "directive": "Chỉ thị",
}
ISSUER_WORDS = ("hdnd", "ubnd", "tinh uy", "chinh phu", "bo y te", "ban bi thu", "quoc hoi")
KIND_NAMES = {
    "vi": {"target": "chỉ tiêu", "result": "kết quả", "baseline": "mốc"},
    "en": {"target": "target", "result": "result", "baseline": "baseline"},
}


@dataclass(frozen=True)
class Citation:
    passage: Passage
    document: Document
    score: float
    quote_start: int  # the quoted span inside the passage, as document offsets
    quote_end: int


@dataclass(frozen=True)
class AnsweredFigure:
    figure: Figure
    citation_id: str


@dataclass(frozen=True)
class Answer:
    text: str
    answerable: bool
    intent: Intent
    language: str
    resolved_question: str
    figures: tuple[AnsweredFigure, ...] = ()
    citations: tuple[Citation, ...] = field(default_factory=tuple)


class Answerer:
    def __init__(self, retriever: Retriever, store: IndexStore) -> None:
        self.retriever = retriever
        self.store = store
        self.documents = {d.doc_id: d for d in store.documents()}
        figures = store.figures()
        self.figures_by_document: dict[str, list[Figure]] = {}
        for figure in figures:
            self.figures_by_document.setdefault(figure.doc_id, []).append(figure)
        self.chooser = FigureChooser(figures)

    def figures_in(self, passage: Passage) -> list[Figure]:
        """Figures written inside the passage's span (overlapping passages share them)."""
        return [
            f
            for f in self.figures_by_document.get(passage.doc_id, [])
            if passage.start <= f.start and f.end <= passage.end
        ]

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        filters: SearchFilters | None = None,
    ) -> Answer:
        language = "en" if is_english(question) else "vi"
        resolved = resolve_follow_up(question, history, self.retriever.gazetteer)
        intent = detect_intent(resolved)
        query = self.retriever.analyze(resolved)
        scope = self.retriever.gazetteer.scope(query.restored)
        base = Answer("", False, intent, language, resolved)
        if scope.unknown_places and not scope.places:
            return _abstain(base, _no_place(language, scope.unknown_places))
        hits = self.retriever.search(query, k=RETRIEVED, filters=filters)
        if not hits:
            return _abstain(base, _nothing_found(language))
        if intent == "figure":
            return self._figure(base, query.restored, scope, hits)
        if intent == "signer":
            return self._signer(base, scope, hits)
        if intent == "legal_basis":
            return self._legal_basis(base, resolved, scope, hits)
        if intent == "reference":
            answered = self._reference(base, resolved, hits)
            if answered is not None:
                return answered
        return self._general(base, query.restored, hits)

    # figures

    def _figure(
        self,
        base: Answer,
        question: str,
        scope: QueryScope,
        hits: Sequence[Hit],
    ) -> Answer:
        top = hits[0].score or 1.0
        candidates = []
        for hit in hits:
            document = self.documents[hit.passage.doc_id]
            for figure in self.figures_in(hit.passage):
                candidates.append((figure, hit.passage, document, hit.score / top))
        if base.language == "en":
            vietnamese = names_and_codes(question)
            english_groups = self.retriever.glossary.expand_groups(question)
        else:
            vietnamese, english_groups = question, ()
        groups = indicator_groups(vietnamese, english_groups, scope)
        choices = self.chooser.choose(question, groups, scope, candidates)
        best = choices[0] if choices else None
        if not confident(best):
            return _abstain(base, _no_figure(base.language, scope), self._citations(hits, question))
        assert best is not None
        figure = best.figure
        passage = best.passage
        first = Citation(passage, self.documents[passage.doc_id], 1.0, figure.start, figure.end)
        citations = (first, *self._citations(hits, question, already=[first]))
        return Answer(
            text=_figure_sentence(base.language, figure, first),
            answerable=True,
            intent=base.intent,
            language=base.language,
            resolved_question=base.resolved_question,
            figures=(AnsweredFigure(figure, passage.passage_id),),
            citations=citations[:CITED],
        )

    # documents: signer, legal bases, references

    def _documents_in_scope(self, scope: QueryScope, hits: Sequence[Hit]) -> list[Document]:
        ranked = list(dict.fromkeys(hit.passage.doc_id for hit in hits))
        documents = [self.documents[doc_id] for doc_id in ranked]
        if scope.places:
            asked = {fold(p) for p in scope.places}
            in_place = [
                d
                for d in documents
                if {fold(p) for p in (d.attributes.province, d.attributes.district) if p} & asked
            ]
            documents = in_place or documents
        return documents

    def _signer(self, base: Answer, scope: QueryScope, hits: Sequence[Hit]) -> Answer:
        for document in self._documents_in_scope(scope, hits):
            signer = document.attributes.signer
            if not signer:
                continue
            citation = self._citation_for_span(document, document.text.rfind(signer), len(signer))
            if citation is None:
                continue
            title = _document_name(document)
            text = (
                f"{title} was signed by {signer}."
                if base.language == "en"
                else f"Người ký {title}: {signer}."
            )
            return _answered(base, text, (citation, *self._citations(hits, "", already=[citation])))
        return _abstain(base, _nothing_found(base.language), self._citations(hits, ""))

    def _legal_basis(
        self, base: Answer, question: str, scope: QueryScope, hits: Sequence[Hit]
    ) -> Answer:
        folded = fold(question)
        wanted_types = {name for key, name in TYPE_WORDS.items() if key in folded}
        wanted_issuers = [word for word in ISSUER_WORDS if word in folded]
        for document in self._documents_in_scope(scope, hits):
            bases = [r for r in self.store.references(doc_id=document.doc_id) if r.is_legal_basis]
            bases = _first_of_each_code(bases)
            chosen = [r for r in bases if not wanted_types or r.doc_type in wanted_types]
            if wanted_issuers:
                chosen = [
                    r
                    for r in chosen
                    if any(w in fold(f"{r.issuer} {r.code}") for w in wanted_issuers)
                ] or chosen
            if not chosen:
                continue
            citations = [
                self._citation_for_span(document, r.start, r.end - r.start) for r in chosen
            ]
            found = [c for c in citations if c is not None]
            if not found:
                continue
            listing = "; ".join(_reference_name(r) for r in chosen)
            title = _document_name(document)
            text = (
                f"{title} is based on: {listing}."
                if base.language == "en"
                else f"{title} căn cứ: {listing}."
            )
            extra = self._citations(hits, question, already=found)
            return _answered(base, text, (*found, *extra))
        return self._general(base, question, hits)

    def _reference(self, base: Answer, question: str, hits: Sequence[Hit]) -> Answer | None:
        for code in document_codes(question):
            references = self.store.references(code=normalize_code(code))
            if not references:
                continue
            citing = list(dict.fromkeys(r.doc_id for r in references))
            subject = next((r.subject for r in references if r.subject), None)
            first = references[0]
            name = _reference_name(first)
            citations = []
            for reference in _first_of_each_doc(references):
                citation = self._citation_for_span(
                    self.documents[reference.doc_id],
                    reference.start,
                    reference.end - reference.start,
                )
                if citation is not None:
                    citations.append(citation)
            documents = "; ".join(_document_name(self.documents[d]) for d in citing)
            if base.language == "en":
                text = f"{name}" + (f" concerns: {subject}." if subject else ".")
                text += f" Cited by: {documents}."
            else:
                text = f"{name}" + (f" về việc: {subject}." if subject else ".")
                text += f" Được trích dẫn/thực hiện bởi: {documents}."
            extra = self._citations(hits, question, already=citations)
            return _answered(base, text, (*citations, *extra))
        return None

    # general policy questions

    def _general(self, base: Answer, question: str, hits: Sequence[Hit]) -> Answer:
        citations = self._citations(hits, question)
        best = citations[0]
        quote = best.document.text[best.quote_start : best.quote_end]
        title = _document_name(best.document)
        text = (
            f"According to {title} ({best.passage.section_label or 'text'}): “{quote}”"
            if base.language == "en"
            else f"Theo {title} ({best.passage.section_label or 'văn bản'}): “{quote}”"
        )
        return _answered(base, text, citations)

    # citations

    def _citations(
        self, hits: Sequence[Hit], question: str, already: Sequence[Citation] = ()
    ) -> tuple[Citation, ...]:
        """Up to CITED citations from the hits, skipping passages that mostly repeat one
        already cited (overlapping windows of the same section)."""
        kept = list(already)
        out = []
        for hit in hits:
            if len(kept) >= CITED:
                break
            if any(_mostly_repeats(hit.passage, citation.passage) for citation in kept):
                continue
            start, end = _best_sentence(hit.passage, question)
            citation = Citation(
                hit.passage, self.documents[hit.passage.doc_id], hit.score, start, end
            )
            kept.append(citation)
            out.append(citation)
        return tuple(out)

    def _citation_for_span(self, document: Document, start: int, length: int) -> Citation | None:
        if start < 0:
            return None
        for passage in self.store.passages_of(document.doc_id):
            if passage.start <= start and start + length <= passage.end:
                return Citation(passage, document, 1.0, start, start + length)
        return None


def _mostly_repeats(passage: Passage, other: Passage) -> bool:
    if passage.doc_id != other.doc_id:
        return False
    overlap = min(passage.end, other.end) - max(passage.start, other.start)
    shorter = min(passage.end - passage.start, other.end - other.start)
    return shorter > 0 and overlap >= shorter / 2


def _line_around(text: str, start: int, end: int) -> str:
    """The cleaned-text line (block) holding a span: the sentence a figure is quoted from."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start : line_end if line_end >= 0 else len(text)].strip()


def _best_sentence(passage: Passage, question: str) -> tuple[int, int]:
    """The sentence of the passage sharing most words with the question (document offsets)."""
    wanted = set(syllables(fold(question)))
    best, best_overlap = (passage.start, passage.end), -1
    for match in SENTENCE.finditer(passage.text):
        sentence = match.group(0)
        stripped = sentence.strip()
        if not stripped:
            continue
        overlap = len(wanted & set(syllables(fold(stripped))))
        if overlap > best_overlap:
            offset = passage.start + match.start() + (len(sentence) - len(sentence.lstrip()))
            best, best_overlap = (offset, offset + len(stripped)), overlap
    return best


def _first_of_each_code(references: Sequence[Reference]) -> list[Reference]:
    seen: dict[str, Reference] = {}
    for reference in references:
        seen.setdefault(reference.code, reference)
    return list(seen.values())


def _first_of_each_doc(references: Sequence[Reference]) -> list[Reference]:
    seen: dict[str, Reference] = {}
    for reference in references:
        seen.setdefault(reference.doc_id, reference)
    return list(seen.values())


def _reference_name(reference: Reference) -> str:
    name = f"{reference.doc_type} số {reference.code}"
    if reference.date:
        name += f" ngày {_vietnamese_date(reference.date)}"
    if reference.issuer:
        name += f" của {reference.issuer}"
    return name


def _vietnamese_date(iso: str) -> str:
    parts = iso.split("-")
    return "/".join(reversed(parts))


def _document_name(document: Document) -> str:
    attributes = document.attributes
    name = attributes.doc_type or "Văn bản"
    if attributes.number:
        name += f" số {attributes.number}"
    if attributes.issuing_body:
        name += f" của {attributes.issuing_body}"
    elif attributes.place:
        name += f" ({attributes.place})"
    return name


def _format_value(figure: Figure) -> str:
    raw_value = figure.raw
    unit = figure.unit or ""
    if unit and unit not in raw_value:
        raw_value = f"{raw_value} {unit}"
    comparator = figure.comparator or ""
    if comparator and comparator not in raw_value:
        raw_value = f"{comparator} {raw_value}"
    return raw_value.strip()


def _figure_sentence(language: str, figure: Figure, citation: Citation) -> str:
    value = _format_value(figure)
    kind = KIND_NAMES[language].get(figure.kind or "", "")
    title = _document_name(citation.document)
    quote = _line_around(citation.document.text, figure.start, figure.end)
    if language == "en":
        details = ", ".join(
            part for part in (kind, str(figure.year) if figure.year else "", figure.scope) if part
        )
        return (
            f"{figure.label}: {value}"
            + (f" ({details})" if details else "")
            + f". Source: {title} — “{quote}”"
        )
    details = ", ".join(
        part for part in (kind, f"năm {figure.year}" if figure.year else "", figure.scope) if part
    )
    return (
        f"{figure.label}: {value}"
        + (f" ({details})" if details else "")
        + f". Nguồn: {title} — “{quote}”"
    )


def _answered(base: Answer, text: str, citations: Sequence[Citation]) -> Answer:
    return Answer(
        text=text,
        answerable=True,
        intent=base.intent,
        language=base.language,
        resolved_question=base.resolved_question,
        citations=tuple(citations)[:CITED],
    )


def _abstain(base: Answer, message: str, citations: Sequence[Citation] = ()) -> Answer:
    return Answer(
        text=message,
        answerable=False,
        intent=base.intent,
        language=base.language,
        resolved_question=base.resolved_question,
        citations=tuple(citations)[:CITED],
    )


def _no_place(language: str, places: Sequence[str]) -> str:
    names = ", ".join(places)
    if language == "en":
        return (
            f"The documents hold nothing about {names}. They cover other places; try one of those."
        )
    return (
        f"Tài liệu hiện có không có thông tin về {names}. Hãy hỏi về địa phương có trong tài liệu."
    )


def _no_figure(language: str, scope: QueryScope) -> str:
    where = ", ".join(scope.places)
    when = ", ".join(str(y) for y in scope.years)
    if language == "en":
        asked = " for ".join(part for part in (where, when) if part)
        return (
            f"No figure in the documents answers this{' for ' + asked if asked else ''}. "
            "The closest passages are cited below; a figure for another place or year is not "
            "given as the answer."
        )
    asked = " ".join(part for part in (where, f"năm {when}" if when else "") if part)
    return (
        f"Không tìm thấy số liệu trả lời câu hỏi này{(' cho ' + asked) if asked else ''} trong "
        "tài liệu. Các đoạn gần nhất được trích dẫn bên dưới; số liệu của địa phương hoặc năm "
        "khác không được dùng làm câu trả lời."
    )


def _nothing_found(language: str) -> str:
    if language == "en":
        return "Nothing in the documents answers this question."
    return "Không tìm thấy thông tin trả lời câu hỏi này trong tài liệu."
