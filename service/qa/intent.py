"""What a question asks for: a figure, who signed, a legal basis, a cited document, or a
general policy answer."""

from __future__ import annotations

import re
from typing import Literal

from indexer.abbreviations import written_out
from indexer.tokens import fold
from service.qa.listing import asked_for

Intent = Literal[
    "figure",
    "plan_vs_actual",
    "comparison",
    "list",
    "signer",
    "legal_basis",
    "reference",
    "document",
    "general",
]

# Codes of legal documents: "17/2022/QĐ-UBND", "31-CT/TW", "07-Ctr/ĐU", "46/NQ-HĐND".
DOCUMENT_CODE = re.compile(
    r"\b\d{1,5}(?:/\d{4})?[/-][A-Za-zĐđ]{1,6}(?:[/-][A-Za-zĐđ0-9]{1,8}){1,2}\b"
)
# Matched on folded text so that unaccented questions count too; a lone i/y after a consonant
# either way ("tỷ lệ"/"tỉ lệ", "ký"/"kí": tokens.canonical_syllable).
SIGNER_CUES = re.compile(
    r"\b(ai k[iy]|nguoi k[iy]|k[iy] boi|who signed|signed by|signer|signatory)\b"
)
LEGAL_BASIS_CUES = re.compile(
    r"\b(can cu|dua tren|legal bas[ie]s|based on|basis|pursuant|theo (?:nghi quyet|quyet dinh) nao"
    r"|(?:nghi quyet|quyet dinh|chi thi|ke hoach|van ban) nao)\b"
)
# Asking what a document is based on: its number, date or issuer asked with these is the basis's
# ("căn cứ quyết định số mấy, ngày nào?"), not the document's own.
BASIS_CUES = re.compile(r"\b(can cu|dua tren|legal bas[ie]s|based on|pursuant)\b")
REFERENCE_CUES = re.compile(
    r"\b(ve viec gi|ve van de gi|noi dung gi|what is .* about|about what|trich dan|cite[sd]?|"
    r"implement(?:s|ed)?|thuc hien|which documents?|van ban nao)\b"
)
FIGURE_CUES = re.compile(
    r"\b(bao nhieu|may|t[iy] le|t[iy] suat|t[iy] so|so luong|tong so|"
    r"so (?:ca|nguoi|lan|luot|xa|giuong|bac s[iy]|tram|benh nhan|co so)|chi tieu|muc tieu|"
    r"dat (?:bao nhieu|muc)|tuoi tho|binh quan|"
    r"trung binh|how many|how much|what percentage|percent|rate|ratio|proportion|number of|"
    r"spen[dt]|cost|bill|expenditure|tien|kinh phi|"
    r"target|coverage|bn|share|how (?:high|common|big|large)|muc nao|life expectancy|"
    r"incidence|prevalence|per \d+(?:[.,]\d+)*|"
    r"per (?:ten|hundred|thousand)|average|total|count)\b"
)


# Asking which document, its number or its date: "công văn ký hiệu gì, ban hành ngày nào?",
# "which decision".
DOCUMENT_CUES = re.compile(
    r"\b(so (?:may|hieu|nao)|k[iy] hieu|ngay nao|khi nao|ban hanh ngay|which (?:decision|plan|"
    r"document|directive|resolution|report)|when was|issued on|what date)\b"
)
# Kinds of documents as questions name them (folded): "những văn bản nào", "báo cáo này".
DOCUMENT_KINDS = (
    r"(?:van ban|bao cao|ke hoach|chuong trinh|quyet dinh|chi thi|nghi quyet|tai lieu|cong van|"
    r"thong tu|nghi dinh)"
)
# Asking for several items: "những biện pháp nào", "gồm những gì", "which three districts".
LIST_CUES = re.compile(
    r"\b(nhung\b.*\bnao|gom nhung|cac\b.*\bnao|nhung gi|nhung noi dung|"
    r"which (?:two|three|\w+s)\b|what are the|list (?:the|all)|name the)\b"
)
# Result against plan: "chỉ tiêu … thực hiện được", "được mấy phần trăm KH", "vượt bao nhiêu so
# với KH".
PLAN_VS_ACTUAL_CUES = re.compile(
    r"\bso voi (?:ke hoach|du toan|von giao|chi tieu|kh)\b|(?:%|\bphan tram) ?(?:ke hoach|kh)\b|"
    r"\b(?:ke hoach|chi tieu)\b.*\b(?:thuc te|thuc hien duoc|dat duoc)\b|"
    r"\bdat (?:ke hoach|chi tieu)\b|"
    r"\b(?:ke hoach|chi tieu|kh) (?:va|voi) (?:thuc hien|ket qua|th)\b|"
    r"\bagainst (?:the )?(?:plan|target)\b|"
    r"\b(?:met|meet|reach(?:ed)?) (?:the|its) (?:plan|target)\b|"
    # one figure asked, then the plan asked after it: "… đạt bao nhiêu %, KH giao là mấy %?"
    r"\b(?:bao nhieu|may)\b.*\b(?:ke hoach|chi tieu|kh)\b.*\b(?:bao nhieu|may)\b"
)
# Asking who or which body does something: an entity, not a figure, even after a figure question.
ENTITY_CUES = re.compile(
    r"\b(?:co quan|don vi|ban|so|phong|ai)\b[^?]*\bnao\b|\bai\b|\bwho\b|"
    r"\bwhich (?:agency|body|unit|department|office|organi[sz]ation)\b"
)
COMPARISON_CUES = re.compile(r"\b(so sanh|so voi|compare[sd]?|comparison|versus|vs|con)\b")


def asks_for_entity(question: str) -> bool:
    return ENTITY_CUES.search(fold(question)) is not None


def detect_intent(question: str, places: int = 0) -> Intent:
    """`places`: how many places the question names (two make a comparison). The cues read the
    question with its abbreviations written out ("số TYT" asks a count as "số trạm" does)."""
    folded = fold(written_out(question))
    if SIGNER_CUES.search(folded):
        return "signer"
    has_code = DOCUMENT_CODE.search(question) is not None
    asks_figure = FIGURE_CUES.search(folded) is not None
    if DOCUMENT_CUES.search(folded) and not BASIS_CUES.search(folded):
        return "document"
    if LEGAL_BASIS_CUES.search(folded) and not (has_code and REFERENCE_CUES.search(folded)):
        return "legal_basis"
    if asks_figure and _compares(folded, places):
        return "comparison"
    if has_code and not asks_figure:
        return "list" if _lists_contents(folded) else "reference"
    if LIST_CUES.search(folded) and not re.search(r"\b(bao nhieu|how many|how much)\b", folded):
        return "list"
    if asks_figure and PLAN_VS_ACTUAL_CUES.search(folded):
        return "plan_vs_actual"
    if asks_figure:
        return "figure"
    if has_code:
        return "reference"
    return "general"


def _lists_contents(folded: str) -> bool:
    """Whether a question naming a document by its number asks for a list of what a document
    holds ("Kế hoạch số 12/KH-UBND gồm những nhiệm vụ nào?"), not for documents ("những văn bản
    nào thực hiện Chỉ thị …?", which the references answer)."""
    if not LIST_CUES.search(folded):
        return False
    listed = " ".join(asked_for(folded))
    return bool(listed) and re.match(DOCUMENT_KINDS, listed) is None


def figure_intent_of(question: str, places: int = 0) -> Intent:
    """The figure intent of a question known to ask for a figure: a comparison when it compares
    two places or more, else one figure."""
    return "comparison" if _compares(fold(written_out(question)), places) else "figure"


def _compares(folded: str, places: int) -> bool:
    """Whether a (folded, written-out) question compares two places or more."""
    return places >= 2 and COMPARISON_CUES.search(folded) is not None


def document_codes(question: str) -> list[str]:
    return [match.group(0) for match in DOCUMENT_CODE.finditer(question)]
