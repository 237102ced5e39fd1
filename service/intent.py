"""What a question asks for: a figure, who signed, a legal basis, a cited document, or a
general policy answer."""

from __future__ import annotations

import re
from typing import Literal

from indexer.tokens import fold

Intent = Literal["figure", "signer", "legal_basis", "reference", "general"]

# Codes of legal documents: "43/2021/QĐ-UBND", "25-CT/TW", "02-Ctr/ĐU", "74/NQ-HĐND".
DOCUMENT_CODE = re.compile(
    r"\b\d{1,5}(?:/\d{4})?[/-][A-Za-zĐđ]{1,6}(?:[/-][A-Za-zĐđ0-9]{1,8}){1,2}\b"
)
# Matched on folded text so that unaccented questions count too.
SIGNER_CUES = re.compile(r"\b(ai ky|nguoi ky|ky boi|who signed|signed by|signer|signatory)\b")
LEGAL_BASIS_CUES = re.compile(
    r"\b(can cu|dua tren|legal bas[ie]s|based on|basis|pursuant|theo (?:nghi quyet|quyet dinh) nao"
    r"|(?:nghi quyet|quyet dinh|chi thi|ke hoach|van ban) nao)\b"
)
REFERENCE_CUES = re.compile(
    r"\b(ve viec gi|ve van de gi|noi dung gi|what is .* about|about what|trich dan|cite[sd]?|"
    r"implement(?:s|ed)?|thuc hien|which documents?|van ban nao)\b"
)
FIGURE_CUES = re.compile(
    r"\b(bao nhieu|may|ty le|ty suat|ty so|so luong|tong so|so (?:ca|nguoi|lan|luot|xa|giuong|"
    r"bac si|tram|benh nhan|co so)|chi tieu|muc tieu|dat (?:bao nhieu|muc)|tuoi tho|binh quan|"
    r"trung binh|how many|how much|what percentage|percent|rate|ratio|proportion|number of|"
    r"target|coverage|life expectancy|per \d|per (?:ten|hundred|thousand)|average|total|count)\b"
)


def detect_intent(question: str) -> Intent:
    folded = fold(question)
    if SIGNER_CUES.search(folded):
        return "signer"
    has_code = DOCUMENT_CODE.search(question) is not None
    if LEGAL_BASIS_CUES.search(folded) and not (has_code and REFERENCE_CUES.search(folded)):
        return "legal_basis"
    if has_code:
        return "reference"
    if FIGURE_CUES.search(folded):
        return "figure"
    return "general"


def document_codes(question: str) -> list[str]:
    return [match.group(0) for match in DOCUMENT_CODE.finditer(question)]
