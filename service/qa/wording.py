"""The sentences answers are written in, Vietnamese and English: document names, figures,
lists, signers, legal bases, and the messages of an abstention."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from indexer.models import Document, Figure, Passage, Reference
from indexer.references import written_code
from indexer.scope import QueryScope

KIND_NAMES = {
    "vi": {"target": "chỉ tiêu", "result": "kết quả", "baseline": "mốc"},
    "en": {"target": "target", "result": "result", "baseline": "baseline"},
}


def document_name(document: Document) -> str:
    attributes = document.attributes
    name = attributes.doc_type or "Văn bản"
    if attributes.number:
        name += f" số {attributes.number}"
    if attributes.issuing_body:
        name += f" của {attributes.issuing_body}"
    elif attributes.place:
        name += f" ({attributes.place})"
    return name


def reference_name(reference: Reference, written: str | None = None) -> str:
    """`written`: the code as the citations usually write it (default: as this one does)."""
    name = f"{reference.doc_type} số {written or written_code(reference)}"
    if reference.date:
        name += f" ngày {'/'.join(reversed(reference.date.split('-')))}"
    if reference.issuer:
        name += f" của {reference.issuer}"
    return name


def value(figure: Figure) -> str:
    """The figure as written, with its comparator and unit."""
    written = figure.raw
    unit = figure.unit or ""
    if unit and unit not in written:
        written = f"{written} {unit}"
    comparator = figure.comparator or ""
    if comparator and comparator not in written:
        written = f"{comparator} {written}"
    return written.strip()


def figure_details(language: str, figure: Figure) -> str:
    kind = KIND_NAMES[language].get(figure.kind or "", "")
    year = (str(figure.year) if language == "en" else f"năm {figure.year}") if figure.year else ""
    details = ", ".join(part for part in (kind, year, figure.scope) if part)
    return f" ({details})" if details else ""


def figure_sentence(
    language: str, indicator: str, figure: Figure, document: Document, quote: str
) -> str:
    source = "Source" if language == "en" else "Nguồn"
    return (
        f"{indicator}: {value(figure)}{figure_details(language, figure)}. "
        f"{source}: {document_name(document)} — “{quote}”"
    )


def plan_against_result(
    language: str, result: Figure, plan: Figure, met: bool | None, share: float | None
) -> str:
    share_text = f"{share:.2f}".rstrip("0").rstrip(".").replace(".", ",") if share else ""
    if language == "en":
        verdict = "" if met is None else (" — met" if met else " — not met")
        of_plan = f" ({share_text}% of plan)" if share_text else ""
        return f"Result {value(result)} against a plan of {value(plan)}{verdict}{of_plan}."
    verdict = "" if met is None else (" — đạt kế hoạch" if met else " — chưa đạt kế hoạch")
    of_plan = f" ({share_text}% kế hoạch)" if share_text else ""
    return f"Thực hiện {value(result)} so với kế hoạch {value(plan)}{verdict}{of_plan}."


def listing(language: str, document: Document, section: str, items: Sequence[str]) -> str:
    lead = (
        f"According to {document_name(document)} ({section or 'text'}):"
        if language == "en"
        else f"Theo {document_name(document)} ({section or 'văn bản'}):"
    )
    return lead + "".join(f"\n{number}. {item}" for number, item in enumerate(items, start=1))


def signed(language: str, document: Document, signer: str) -> str:
    if language == "en":
        return f"{document_name(document)} was signed by {signer}."
    return f"Người ký {document_name(document)}: {signer}."


def based_on(language: str, document: Document, references: Sequence[Reference]) -> str:
    listing_text = "; ".join(reference_name(r) for r in references)
    if language == "en":
        return f"{document_name(document)} is based on: {listing_text}."
    return f"{document_name(document)} căn cứ: {listing_text}."


def reference(language: str, references: Sequence[Reference], citing: Sequence[Document]) -> str:
    first = references[0]
    subject = next((r.subject for r in references if r.subject), None)
    documents = "; ".join(document_name(d) for d in citing)
    # the spelling most citations use (the first seen on a tie), not one document's variant
    usual = Counter(written_code(r) for r in references).most_common(1)[0][0]
    if language == "en":
        text = reference_name(first, usual) + (f" concerns: {subject}." if subject else ".")
        return text + f" Cited by: {documents}."
    text = reference_name(first, usual) + (f" về việc: {subject}." if subject else ".")
    return text + f" Được trích dẫn/thực hiện bởi: {documents}."


FIELD_NAMES = {
    "vi": {
        "number": "số hiệu",
        "symbol": "ký hiệu",
        "date": "ngày ban hành",
        "issuer": "cơ quan ban hành",
        "proposer": "theo đề nghị của",
    },
    "en": {
        "number": "number",
        "symbol": "symbol",
        "date": "date",
        "issuer": "issued by",
        "proposer": "proposed by",
    },
}


def identity(language: str, name: str, values: dict[str, str | None]) -> str:
    """What a document's header says of the asked fields; a blank one is said to be blank."""
    names = FIELD_NAMES["en" if language == "en" else "vi"]
    blank = "not given (left blank in the document)" if language == "en" else "không ghi"
    parts = "; ".join(f"{names[field]}: {value or blank}" for field, value in values.items())
    return f"{name} — {parts}."


def identity_not_given(language: str, name: str, values: dict[str, str | None]) -> str:
    names = FIELD_NAMES["en" if language == "en" else "vi"]
    fields = " / ".join(names[field] for field in values)
    if language == "en":
        return (
            f"{name} does not give its {fields}: the document leaves them blank, so the "
            "documents cannot answer this."
        )
    return f"{name} không ghi {fields} (văn bản để trống), nên tài liệu không trả lời được câu này."


def according_to(language: str, document: Document, passage: Passage, quote: str) -> str:
    if language == "en":
        return (
            f"According to {document_name(document)} ({passage.section_label or 'text'}): “{quote}”"
        )
    return f"Theo {document_name(document)} ({passage.section_label or 'văn bản'}): “{quote}”"


def no_place(language: str, places: Sequence[str]) -> str:
    names = ", ".join(places)
    if language == "en":
        return (
            f"The documents hold nothing about {names}. They cover other places; try one of those."
        )
    return (
        f"Tài liệu hiện có không có thông tin về {names}. Hãy hỏi về địa phương có trong tài liệu."
    )


def no_figure(language: str, scope: QueryScope, elsewhere: str = "") -> str:
    """`elsewhere`: what the documents give for another place or year, offered, not answered."""
    where = ", ".join(scope.places)
    when = ", ".join(str(y) for y in scope.years)
    if language == "en":
        asked = " for ".join(part for part in (where, when) if part)
        text = (
            f"No figure in the documents answers this{' for ' + asked if asked else ''}. "
            "The closest passages are cited below; a figure for another place or year is not "
            "given as the answer."
        )
        return text + (
            f" For another place or year the documents give: {elsewhere}" if elsewhere else ""
        )
    asked = " ".join(part for part in (where, f"năm {when}" if when else "") if part)
    text = (
        f"Không tìm thấy số liệu trả lời câu hỏi này{(' cho ' + asked) if asked else ''} trong "
        "tài liệu. Các đoạn gần nhất được trích dẫn bên dưới; số liệu của địa phương hoặc năm "
        "khác không được dùng làm câu trả lời."
    )
    return text + (
        f" Tài liệu có số liệu cho địa phương hoặc năm khác: {elsewhere}" if elsewhere else ""
    )


def nothing_found(language: str) -> str:
    if language == "en":
        return "Nothing in the documents answers this question."
    return "Không tìm thấy thông tin trả lời câu hỏi này trong tài liệu."
