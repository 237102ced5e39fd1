"""The codes a document cites, each listed once: its fullest citation, how many times the document
mentions it, and the code as the source writes it ("07-Ctr/ĐU", not the key "7-CTR/ĐU")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.models import Reference
from indexer.references import written_code


def usual_spelling(references: Iterable[Reference]) -> str | None:
    """How the citations of one code most often write it (the first seen on a tie)."""
    spellings = Counter(written_code(r) for r in references)
    return spellings.most_common(1)[0][0] if spellings else None


@dataclass(frozen=True)
class CitedCode:
    """One code as one document cites it."""

    citation: Reference  # the fullest citation; a legal basis when any citation of it is
    written: str  # the code as that citation writes it
    mentions: int  # how many times the document cites the code
    is_legal_basis: bool


def _fullness(reference: Reference) -> tuple[bool, int, int]:
    known = sum(x is not None for x in (reference.date, reference.issuer, reference.subject))
    return (bool(reference.is_legal_basis), known, len(reference.raw))


def cited_codes(references: Iterable[Reference]) -> list[CitedCode]:
    """One entry per (document, code), in the order the codes are first cited."""
    groups: dict[tuple[str, str], list[Reference]] = {}
    for reference in references:
        groups.setdefault((reference.doc_id, reference.code), []).append(reference)
    entries = []
    for citations in groups.values():
        # max keeps the first of equals: the earliest of the fullest citations
        fullest = max(citations, key=_fullness)
        entries.append(
            CitedCode(
                citation=fullest,
                written=written_code(fullest),
                mentions=len(citations),
                is_legal_basis=any(r.is_legal_basis for r in citations),
            )
        )
    return entries
