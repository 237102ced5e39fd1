"""Extractive answers with citations, shaped like the question: a figure (with its plan, or one
per side of a comparison), a list, who signed, legal bases, the documents citing a code, or the
passage that best answers a policy question. Abstains when the corpus does not hold the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from indexer.abbreviations import expand_shorthand
from indexer.deadline import check_deadline
from indexer.glossary import is_english
from indexer.models import Document, Figure, Hit, Passage
from indexer.query import AnalyzedQuery
from indexer.references import normalize_code
from indexer.scope import QueryScope
from indexer.search import Retriever, matching_documents
from indexer.spelling import Speller
from indexer.store.base import IndexStore, SearchFilters
from service.qa import wording
from service.qa.figure_answer import FigureAnswerer, FigureFinding
from service.qa.figure_candidates import CandidateIndex
from service.qa.figure_question import analyze_figure_question
from service.qa.figure_ranker import FigureRanker, RankerModel, Ranking
from service.qa.followup import ResolvedQuestion, Turn, resolve_follow_up
from service.qa.identity import IdentityAnswers
from service.qa.intent import (
    Intent,
    asks_for_entity,
    detect_intent,
    document_codes,
    figure_intent_of,
)
from service.qa.listing import inline_items, list_items, section_items
from service.qa.place_history import with_place_history
from service.qa.quotes import best_sentence
from service.qa.record_shelf import RecordShelf
from service.qa.references import ReferenceAnswers

RETRIEVED = 10
CITED = 5
INLINE_LIST_PASSAGES = 5  # an enumeration sentence is looked for in the best few passages


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
    confidence: float = 1.0  # the figure ranker's probability; 1 for other answers, 0 abstained


@dataclass(frozen=True)
class _Asked:
    """A question after follow-up resolution and analysis: what every intent works from."""

    base: Answer
    resolved: ResolvedQuestion
    query: AnalyzedQuery  # the turn with the words it carries over, as searched
    own: AnalyzedQuery  # the turn alone: what its figure terms come from
    scope: QueryScope
    hits: tuple[Hit, ...]
    doc_ids: set[str] | None
    # the earlier answer's figure (document, offset) when the turn asks about a part of it
    within: tuple[str, int] | None = None


class Answerer:
    def __init__(
        self, retriever: Retriever, store: IndexStore, model: RankerModel | None = None
    ) -> None:
        self.retriever = retriever
        self.store = store
        self.documents = retriever.documents
        # one document's passages at a time: the corpus's text is never held whole
        self.speller = Speller(
            p.text for doc_id in self.documents for p in store.passages_of(doc_id)
        )
        self.records = RecordShelf(store, self.documents)
        self.ranker = FigureRanker(
            self.records, model, CandidateIndex.of_store(store, self.documents, self.records.layout)
        )
        self.figure_answers = FigureAnswerer(self.ranker, self.records)
        self.references = ReferenceAnswers(store, self.documents)
        self.identities = IdentityAnswers(self.references)

    # entry points

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        filters: SearchFilters | None = None,
    ) -> Answer:
        asked = self._understand(question, history, filters)
        if isinstance(asked, Answer):
            return asked
        return with_place_history(self._answer(asked), asked.scope)

    def _answer(self, asked: _Asked) -> Answer:
        base, hits = asked.base, asked.hits
        intent = base.intent
        if intent in ("figure", "plan_vs_actual", "comparison"):
            return self._figure(asked)
        if intent == "list":
            return self._list(asked)
        if intent == "signer":
            return self._signer(asked)
        if intent == "legal_basis":
            return self._legal_basis(asked)
        if intent == "document":
            answered = self._identity(asked)
            if answered is not None:
                return answered
        if intent == "reference":
            answered = self._reference(asked)
            if answered is not None:
                return answered
        if intent == "general" and self._names_a_figure(asked):
            # "What was X's population in 2023?": no figure word, but a figure's indicator
            figure_intent = figure_intent_of(asked.resolved.question, len(asked.scope.places))
            return self._figure(replace(asked, base=replace(base, intent=figure_intent)))
        return self._general(base, asked.query.restored, hits)

    def _names_a_figure(self, asked: _Asked) -> bool:
        """Whether a question of no recognised intent names a figure's indicator: the ranker is
        confident of its best record, and that record's label is mostly words the question asks
        (a question about a policy's aim shares only some words with a figure's label)."""
        if asks_for_entity(asked.resolved.question):
            return False
        ranking = self.ranker.rank(
            self._figure_question(asked), asked.hits, doc_ids=asked.doc_ids, limit=1
        )
        best = ranking.best
        return (
            best is not None
            and ranking.confidence >= self.ranker.model.threshold
            and best.names_the_indicator
        )

    def rank_figures(
        self,
        question: str,
        history: Sequence[Turn] = (),
        limit: int | None = 20,
        keep_excluded: bool = False,
    ) -> Ranking:
        """The figure records a question would be answered from, best first, with the ranker's
        features: what `healthqa-eval fit-ranker` learns from."""
        asked = self._understand(question, history, None)
        if isinstance(asked, Answer):
            return Ranking((), 0.0)
        figure_question = self._figure_question(asked)
        return self.ranker.rank(
            figure_question,
            asked.hits,
            doc_ids=asked.doc_ids,
            limit=limit,
            keep_excluded=keep_excluded,
        )

    # understanding

    def _understand(
        self, question: str, history: Sequence[Turn], filters: SearchFilters | None
    ) -> _Asked | Answer:
        language = "en" if is_english(question) else "vi"
        if language == "vi":
            question = self.speller.correct(expand_shorthand(question))
        gazetteer = self.retriever.gazetteer
        resolved = resolve_follow_up(question, history, gazetteer)
        if resolved.points_back and resolved.previous is not None:
            filters = self._previous_document(resolved.previous, history, filters)
        searched = f"{resolved.question} {resolved.carried}".strip()
        query = self.retriever.analyze(searched)
        own = self.retriever.analyze(resolved.question)  # the turn itself, without carried words
        own_scope = gazetteer.scope(own.restored)
        intent = detect_intent(resolved.question, places=len(own_scope.places))
        if intent == "general" and resolved.previous is not None:
            intent = _inherited_intent(resolved.question, history) or intent
        base = Answer("", False, intent, language, resolved.question, confidence=0.0)
        if own_scope.unknown_places and not own_scope.places:
            return _abstain(base, wording.no_place(language, own_scope.unknown_places))
        check_deadline()
        hits = tuple(self.retriever.search(query, k=RETRIEVED, filters=filters))
        check_deadline()
        if not hits:
            return _abstain(base, wording.nothing_found(language))
        allowed = matching_documents(list(self.documents.values()), filters or SearchFilters())
        doc_ids = set(allowed) if allowed is not None else None
        within = None
        if resolved.within_previous and resolved.previous is not None:
            within = self._previous_figure(resolved.previous, history)
        return _Asked(base, resolved, query, own, own_scope, hits, doc_ids, within)

    def _previous_answer(self, previous: str, history: Sequence[Turn]) -> Answer:
        """The earlier turn asked again, with the turns before it."""
        earlier = list(history)
        while earlier and earlier[-1].content != previous:
            earlier.pop()
        return self.ask(previous, earlier[:-1])

    def _previous_figure(self, previous: str, history: Sequence[Turn]) -> tuple[str, int] | None:
        """ "Trong số đó …": where the earlier answer's figure is written."""
        answer = self._previous_answer(previous, history)
        if not answer.figures:
            return None
        figure = answer.figures[0].figure
        return figure.doc_id, figure.start

    def _previous_document(
        self, previous: str, history: Sequence[Turn], filters: SearchFilters | None
    ) -> SearchFilters:
        """ "Văn bản này do ai ký?": the document the earlier answer came from."""
        answer = self._previous_answer(previous, history)
        base = filters or SearchFilters()
        if not answer.citations:
            return base
        return replace(base, doc_id=answer.citations[0].document.doc_id)

    def _figure_question(self, asked: _Asked):  # noqa: ANN202 - FigureQuestion
        return analyze_figure_question(
            asked.own.restored,
            asked.scope,
            self.retriever.glossary,
            language=asked.base.language,
            carried=asked.resolved.carried,
            carried_sub_units=asked.resolved.sub_units,
            within=asked.within,
        )

    # figures

    def _figure(self, asked: _Asked) -> Answer:
        base = asked.base
        figure_question = self._figure_question(asked)
        finding = self.figure_answers.find(
            figure_question,
            asked.hits,
            intent=base.intent,
            question_text=asked.resolved.question,
            language=base.language,
            doc_ids=asked.doc_ids,
        )
        if not finding.answerable:
            return _abstain(
                base,
                wording.no_figure(base.language, asked.scope, finding.elsewhere),
                self._citations(asked.hits, asked.query.restored),
                confidence=finding.confidence,
            )
        return self._figure_answer(base, finding, asked)

    def _figure_answer(self, base: Answer, finding: FigureFinding, asked: _Asked) -> Answer:
        cited: list[Citation] = []
        answered: list[AnsweredFigure] = []
        for record, (start, end) in zip(finding.records, finding.quotes, strict=True):
            citation = Citation(record.passage, record.document, 1.0, start, end)
            if all(c.passage.passage_id != citation.passage.passage_id for c in cited):
                cited.append(citation)
            answered.append(AnsweredFigure(record.figure, record.passage.passage_id))
        extra = self._citations(asked.hits, asked.query.restored, already=cited)
        return Answer(
            text=finding.text,
            answerable=True,
            intent=base.intent,
            language=base.language,
            resolved_question=base.resolved_question,
            figures=tuple(answered),
            citations=(*cited, *extra)[: max(CITED, len(cited))],
            confidence=finding.confidence,
        )

    # lists

    def _list(self, asked: _Asked) -> Answer:
        base = asked.base
        top = asked.hits[0].passage if asked.hits else None
        named = (
            section_items(asked.own.restored, self.store.passages_of(top.doc_id)) if top else None
        )
        if named is not None:
            return self._listed(asked, *named)
        inline = inline_items(
            asked.own.restored, [hit.passage for hit in asked.hits[:INLINE_LIST_PASSAGES]]
        )
        if inline is not None:
            items, passage, (start, end) = inline
            document = self.documents[passage.doc_id]
            cited = [Citation(passage, document, 1.0, start, end)]
            extra = self._citations(asked.hits, asked.query.restored, already=cited)
            text = wording.listing(base.language, document, passage.section_label, items)
            return _answered(base, text, (*cited, *extra))
        top = asked.hits[0].passage
        items, passages = list_items(top, self.store.passages_of(top.doc_id))
        if len(items) < 2:
            return self._general(base, asked.query.restored, asked.hits)
        return self._listed(asked, items, passages, top.section)

    def _listed(
        self,
        asked: _Asked,
        items: Sequence[str],
        passages: Sequence[Passage],
        section: tuple[str, ...],
    ) -> Answer:
        """The items, introduced by the section they were read from, each passage cited."""
        document = self.documents[passages[0].doc_id]
        citations = [
            Citation(p, document, 1.0, *best_sentence(p, asked.query.restored)) for p in passages
        ]
        extra = self._citations(asked.hits, asked.query.restored, already=citations)
        text = wording.listing(asked.base.language, document, " › ".join(section), items)
        return _answered(asked.base, text, (*citations[:CITED], *extra))

    # documents: signer, legal bases, references

    def _signer(self, asked: _Asked) -> Answer:
        base = asked.base
        found = self.references.signer(asked.scope, asked.hits)
        if found is None:
            return _abstain(
                base, wording.nothing_found(base.language), self._citations(asked.hits, "")
            )
        document, passage, start, end = found
        citation = Citation(passage, document, 1.0, start, end)
        text = wording.signed(base.language, document, " ".join(document.text[start:end].split()))
        return _answered(base, text, (citation, *self._citations(asked.hits, "", [citation])))

    def _identity(self, asked: _Asked) -> Answer | None:
        """Which number, date or issuer a document has: from its header, or from the citation
        of a document the corpus cites; abstains when the document leaves them blank."""
        base = asked.base
        found = self.identities.find(asked.resolved.question, asked.scope, asked.hits)
        if found is None:
            return self._reference(asked)
        passage, start, end = found.span
        citation = Citation(passage, found.document, 1.0, start, end)
        extra = self._citations(asked.hits, asked.query.restored, [citation])
        if not found.given:
            text = wording.identity_not_given(base.language, found.name, found.values)
            return _abstain(base, text, (citation, *extra))
        text = wording.identity(base.language, found.name, found.values)
        return _answered(base, text, (citation, *extra))

    def _legal_basis(self, asked: _Asked) -> Answer:
        base = asked.base
        question = asked.resolved.question
        found = self.references.legal_bases(question, asked.scope, asked.hits)
        if found is None:
            return self._general(base, asked.query.restored, asked.hits)
        document, chosen, spans = found
        citations = [Citation(p, document, 1.0, s, e) for p, s, e in spans]
        text = wording.based_on(base.language, document, chosen)
        extra = self._citations(asked.hits, question, already=citations)
        return _answered(base, text, (*citations, *extra))

    def _reference(self, asked: _Asked) -> Answer | None:
        base = asked.base
        question = asked.resolved.question
        for code in document_codes(question):
            found = self.references.citing(normalize_code(code))
            if found is None:
                continue
            references, spans = found
            citations = [Citation(p, self.documents[p.doc_id], 1.0, s, e) for p, s, e in spans]
            citing = [self.documents[d] for d in dict.fromkeys(r.doc_id for r in references)]
            text = wording.reference(base.language, references, citing)
            extra = self._citations(asked.hits, question, already=citations)
            return _answered(base, text, (*citations, *extra))
        return None

    # general policy questions

    def _general(self, base: Answer, question: str, hits: Sequence[Hit]) -> Answer:
        citations = self._citations(hits, question)
        best = citations[0]
        quote = best.document.text[best.quote_start : best.quote_end]
        text = wording.according_to(base.language, best.document, best.passage, quote)
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
            start, end = best_sentence(hit.passage, question)
            citation = Citation(
                hit.passage, self.documents[hit.passage.doc_id], hit.score, start, end
            )
            kept.append(citation)
            out.append(citation)
        return tuple(out)


def _inherited_intent(question: str, history: Sequence[Turn]) -> Intent | None:
    """A short turn after a figure question ("còn số ca tử vong?", "and for girls?") asks for a
    figure too (the nearest earlier turn that asked for something decides), unless it asks who or
    which body."""
    if asks_for_entity(question):
        return None
    for turn in reversed(history):
        if turn.role != "user":
            continue
        earlier = detect_intent(turn.content)
        if earlier != "general":
            return earlier if earlier in ("figure", "plan_vs_actual") else None
    return None


def _mostly_repeats(passage: Passage, other: Passage) -> bool:
    if passage.doc_id != other.doc_id:
        return False
    overlap = min(passage.end, other.end) - max(passage.start, other.start)
    shorter = min(passage.end - passage.start, other.end - other.start)
    return shorter > 0 and overlap >= shorter / 2


def _answered(base: Answer, text: str, citations: Sequence[Citation]) -> Answer:
    return replace(
        base, text=text, answerable=True, citations=tuple(citations)[:CITED], confidence=1.0
    )


def _abstain(
    base: Answer, message: str, citations: Sequence[Citation] = (), confidence: float = 0.0
) -> Answer:
    return replace(
        base,
        text=message,
        answerable=False,
        citations=tuple(citations)[:CITED],
        confidence=confidence,
    )
