"""Questions about a document's identity: its number, its date, the body that issued it — of a
corpus document ("the province's plan: which number?") or of one the corpus cites ("when was
Directive 12-CT/TW issued?"). A field the document leaves blank ("Số:    /KH-BVĐK ngày   /  /20…")
is reported
as not given, and a question asking only for blank fields is not answerable."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.models import Document, Hit, Passage, Reference
from indexer.references import normalize_code, written_code
from indexer.scope import QueryScope
from indexer.tokens import fold
from service.qa.intent import document_codes
from service.qa.references import (
    TYPE_WORDS,
    ReferenceAnswers,
    in_places,
    named_issuers,
    named_types,
)
from service.qa.wording import document_name

FIELDS = ("number", "symbol", "date", "issuer", "proposer")
ASKED_BY_DEFAULT = ("number", "date", "issuer")
# Matched on folded text, so unaccented questions count too.
FIELD_CUES = {
    "number": re.compile(r"\b(so (?:may|hieu|nao|bao nhieu)|mang so|what number|which number)\b"),
    "symbol": re.compile(r"\b(k[iy] hieu|symbol)\b"),
    "proposer": re.compile(r"\b(de nghi cua ai|theo de nghi|(?:on )?whose (?:proposal|request))\b"),
    "date": re.compile(
        r"\b(ngay (?:nao|may|bao nhieu|ban hanh|k[iy])|khi nao|bao gio|thoi gian ban hanh|when|"
        r"what date|which date|date)\b"
    ),
    "issuer": re.compile(
        r"\b((?:co quan|don vi|ai|noi) (?:nao )?ban hanh|do ai|issued by|which (?:body|agency)|"
        r"who issued|issuer)\b"
    ),
}
# Where a document states its number, at its head: "Số: 512/QĐ-UBND", "Số:   /KH-BVĐK".
NUMBER_LINE = re.compile(r"\bSố\s*:?[^\n]{0,40}")
# The clause of a decision naming who proposed it: "Theo đề nghị của Trưởng khoa Dược …".
PROPOSER = re.compile(r"\b(?:Theo|Xét) đề nghị của\s+([^\n.;]+)")
# A self-reference whose number is left blank keeps the symbol: "Quyết định số    /QĐ-BV".
BLANK_NUMBER = re.compile(r"\bsố\s*/\s*([A-ZĐ][A-Za-zĐđ]*(?:[-/][A-Za-zĐđ0-9]+)+)")
# A question naming the type right before asking its number: "… theo thông tư số mấy?".
TYPE_THEN_NUMBER = r"\s+(?:so (?:may|hieu|nao)|mang so|k[iy] hieu)\b"
HEAD_CHARS = 2000


@dataclass(frozen=True)
class Identity:
    name: str  # how the answer names the document
    values: dict[str, str | None]  # asked field → value as written, None when not given
    span: tuple[Passage, int, int]  # where it was read: passage, start, end (document offsets)
    document: Document  # the corpus document the span is in

    @property
    def given(self) -> bool:
        return any(value for value in self.values.values())


def asked_fields(question: str) -> tuple[str, ...]:
    """The fields a question asks for; all of them when it names none ("which decision?")."""
    folded = fold(question)
    asked = tuple(field for field in FIELDS if FIELD_CUES[field].search(folded))
    return asked or ASKED_BY_DEFAULT


class IdentityAnswers:
    def __init__(self, references: ReferenceAnswers) -> None:
        self.references = references

    def find(self, question: str, scope: QueryScope, hits: Sequence[Hit]) -> Identity | None:
        fields = asked_fields(question)
        subject = _subject_type(question)
        for code in document_codes(question):
            found = self._by_code(normalize_code(code), subject, scope, fields)
            if found is not None:
                return found
        issuers = named_issuers(question)
        documents = self.references.documents_in_scope(scope, hits)
        own = [d for d in documents if _is_a(d, subject) and _issued_by(d, issuers)]
        for document in own:
            found = self._of_document(document, fields)
            if found is not None:
                return found
        if subject is not None:  # a document the answering passages cite
            for reference in self._cited_in(hits, subject, issuers):
                found = self._of_reference(reference, fields)
                if found is not None:
                    return found
        for document in documents:
            found = self._of_document(document, fields)
            if found is not None:
                return found
        return None

    def _cited_in(
        self, hits: Sequence[Hit], subject: str, issuers: Sequence[str]
    ) -> list[Reference]:
        """References of the asked type (and issuer) inside the retrieved passages, best first."""
        found = []
        cited: dict[str, list[Reference]] = {}  # each document's references, read once
        for hit in hits:
            passage = hit.passage
            if passage.doc_id not in cited:
                cited[passage.doc_id] = self.references.store.references(doc_id=passage.doc_id)
            for reference in cited[passage.doc_id]:
                inside = passage.start <= reference.start and reference.end <= passage.end
                issuer = fold(f"{reference.issuer or ''} {reference.code}")
                if (
                    inside
                    and reference.doc_type == subject
                    and all(word in issuer for word in issuers)
                ):
                    found.append(reference)
        return found

    def _by_code(
        self, code: str, subject: str | None, scope: QueryScope, fields: Sequence[str]
    ) -> Identity | None:
        """The document a code names when the question is about it; otherwise the corpus
        document of the asked type that cites it ("the plan implementing programme 07-CTr/TU")."""
        for document in self.references.documents.values():
            number = document.attributes.number
            if number and normalize_code(number) == code:
                return self._of_document(document, fields)
        cited = self.references.store.references(code=code)
        if not cited:
            return None
        if subject is None or cited[0].doc_type == subject:
            return self._of_reference(cited[0], fields)
        citing = [self.references.documents[d] for d in dict.fromkeys(r.doc_id for r in cited)]
        citing = in_places(citing, scope) or citing
        typed = [d for d in citing if d.attributes.doc_type == subject]
        for document in typed:
            found = self._of_document(document, fields)
            if found is not None:
                return found
        return None

    def _of_document(self, document: Document, fields: Sequence[str]) -> Identity | None:
        attributes = document.attributes
        head = document.text[:HEAD_CHARS]
        proposer = PROPOSER.search(head)
        blank = BLANK_NUMBER.search(document.text)
        symbol = attributes.number.split("/", 1)[-1] if attributes.number else None
        known = {
            "number": attributes.number,
            "symbol": symbol or (blank.group(1) if blank else None),
            "date": _display_date(attributes.issued_date),
            "issuer": attributes.issuing_body,
            "proposer": proposer.group(1).strip() if proposer else None,
        }
        line = NUMBER_LINE.search(head)
        start, length = (line.start(), len(line.group(0).rstrip())) if line else (0, 0)
        if "proposer" in fields and proposer:
            start, length = proposer.start(), len(proposer.group(0))
        span = self.references.span(document, start, max(length, 1))
        if span is None:
            return None
        return Identity(document_name(document), {f: known[f] for f in fields}, span, document)

    def _of_reference(self, reference: Reference, fields: Sequence[str]) -> Identity | None:
        document = self.references.documents[reference.doc_id]
        span = self.references.span(document, reference.start, reference.end - reference.start)
        if span is None:
            return None
        number = written_code(reference)
        known = {
            "number": number,
            "symbol": number.split("/", 1)[-1],
            "date": _display_date(reference.date),
            "issuer": reference.issuer,
            "proposer": None,
        }
        name = f"{reference.doc_type} {number}"
        return Identity(name, {f: known[f] for f in fields}, span, document)


def _subject_type(question: str) -> str | None:
    """The type of document the question is about: the one whose number it asks ("… theo
    thông tư số mấy?"), else the first it names ("Kế hoạch … triển khai Nghị quyết …" asks about
    the plan)."""
    folded = fold(question)
    for key, name in TYPE_WORDS.items():
        if re.search(rf"\b{re.escape(key)}{TYPE_THEN_NUMBER}", folded):
            return name
    named = named_types(question)
    return named[0] if named else None


def _is_a(document: Document, subject: str | None) -> bool:
    """The document is of the asked type, or its title names it ("Quyết định phê duyệt Đề án …"
    is where the project's number is asked)."""
    if subject is None:
        return True
    attributes = document.attributes
    return attributes.doc_type == subject or fold(subject) in fold(attributes.title or "")


def _issued_by(document: Document, issuers: Sequence[str]) -> bool:
    return all(word in fold(document.attributes.issuing_body or "") for word in issuers)


def _display_date(iso: str | None) -> str | None:
    """ "2022-03-18" → "18/03/2022", "2022-03" → "03/2022"."""
    if not iso:
        return None
    return "/".join(reversed(iso.split("-")))
