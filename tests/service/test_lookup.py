"""The directive look-up finds what people type: the resolver over a list of held codes, then
the API and the page over the seed index, where codes show as the sources write them and a
document lists a code it cites once, with its mentions counted."""

from __future__ import annotations

import re
from html import unescape

import pytest

from service.lookup import resolve_codes

LONG_AN_PLAN = "001_b919c97a22ddf266"
LAI_CHAU_PLAN = "002_2f70747e408638d8"
HAU_GIANG_PROGRAMME = "003_970cdc5fae201362"

# codes as the seed index holds them (normalize_code keys), most cited first
HELD = [
    "25-CT/TW",
    "21-NQ/TW",
    "130/QĐ-BYT",
    "1092/QĐ-TTG",
    "376/CT-TTG",
    "376/QĐ-TTG",
    "2-CTR/ĐU",
    "43/2021/QĐ-UBND",
    "99/2023/QH15",
    "5/2023/NĐ-CP",
    "387/SYT",
    "1/NQ-CP",
    "1/PA-SYT",
    "1/TB-HĐTĐ",
    "74/NQ-HĐND",
]

DIRECTIVE_25 = [
    "25-CT/TW",
    "25/CT-TW",
    "25 - ct/tw",
    "Chỉ thị 25",
    "chỉ thị 25",
    "chi thi 25",
    "CHỈ THỊ 25",
    "CT 25",
    "ct 25",
    "25/CT",
    "chỉ thị số 25",
    "Chỉ thị 25-CT/TW",
    "Chỉ thị số 25-CT/TW ngày 25/10/2023 của Ban Bí thư",
    "CT 25 TW",
]


# the resolver


@pytest.mark.parametrize("typed", DIRECTIVE_25)
def test_every_way_of_typing_directive_25_reaches_it(typed):
    assert resolve_codes(typed, HELD) == ["25-CT/TW"]


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("quyết định 130", ["130/QĐ-BYT"]),
        ("qd 130", ["130/QĐ-BYT"]),
        ("QĐ 1092 TTg", ["1092/QĐ-TTG"]),
        ("nghị quyết 21", ["21-NQ/TW"]),
        ("NQ 74 HĐND", ["74/NQ-HĐND"]),
        ("02-Ctr/ĐU", ["2-CTR/ĐU"]),
        ("chương trình hành động số 02", ["2-CTR/ĐU"]),
        ("Ctr 2", ["2-CTR/ĐU"]),
        ("43/2021", ["43/2021/QĐ-UBND"]),
        ("nghị quyết 99/2023", ["99/2023/QH15"]),
        ("Nghị định 05/2023/NĐ- CP", ["5/2023/NĐ-CP"]),
    ],
)
def test_a_type_word_or_abbreviation_and_a_number_find_the_code(typed, codes):
    assert resolve_codes(typed, HELD) == codes


def test_a_number_alone_finds_every_code_with_it_in_the_order_given():
    assert resolve_codes("1", HELD) == ["1/NQ-CP", "1/PA-SYT", "1/TB-HĐTĐ"]
    assert resolve_codes("376", HELD) == ["376/CT-TTG", "376/QĐ-TTG"]


def test_a_type_narrows_the_codes_with_that_number():
    assert resolve_codes("quyết định 376", HELD) == ["376/QĐ-TTG"]
    assert resolve_codes("nghị quyết 1", HELD) == ["1/NQ-CP"]


def test_a_code_without_type_letters_fits_any_type_word():
    assert resolve_codes("quyết định 387", HELD) == ["387/SYT"]


@pytest.mark.parametrize(
    "typed",
    [
        "chỉ thị 21",  # 21 is a Nghị quyết
        "chỉ thị 25 UBND",  # 25-CT/TW is not the UBND's
        "130/QĐ-XYZ",  # letters of a code the index does not hold
        "43/2022",  # another year
        "999/QĐ-XYZ",
        "Chỉ thị",  # no number
        "",
        "<script>alert('x')</script>",
    ],
)
def test_what_fits_no_held_code_finds_nothing(typed):
    assert resolve_codes(typed, HELD) == []


# the API over the seed index


@pytest.mark.parametrize("typed", ["Chỉ thị 25", "chi thi 25", "25-CT/TW", "25/CT-TW", "CT 25"])
def test_the_api_reaches_the_same_code_whatever_is_typed(client, typed):
    body = client.get("/api/references", params={"code": typed}).json()
    assert body["query"] == typed
    assert body["code"] == "25-CT/TW"
    assert [c["code"] for c in body["codes"]] == ["25-CT/TW"]
    (directive,) = body["codes"]
    assert directive["written_code"] == "25-CT/TW" and directive["doc_type"] == "Chỉ thị"
    citing = [entry["document"]["doc_id"] for entry in directive["citing"]]
    assert sorted(citing) == [LONG_AN_PLAN, LAI_CHAU_PLAN, HAU_GIANG_PROGRAMME]
    assert {d["doc_id"] for d in body["documents"]} == set(citing)


def test_the_api_lists_each_citing_document_once_with_its_mentions(client):
    body = client.get("/api/references", params={"code": "chỉ thị 25"}).json()
    (directive,) = body["codes"]
    citations = {e["document"]["doc_id"]: e["citation"] for e in directive["citing"]}
    hau_giang = citations[HAU_GIANG_PROGRAMME]
    assert hau_giang["is_legal_basis"] and hau_giang["mentions"] > 10
    assert hau_giang["mentions"] == sum(
        r["doc_id"] == HAU_GIANG_PROGRAMME for r in body["references"]
    )
    long_an = citations[LONG_AN_PLAN]
    assert not long_an["is_legal_basis"] and long_an["mentions"] == 2
    assert long_an["written_code"] == "25/CT-TW"  # as that plan writes it


def test_the_api_finds_nothing_for_an_unheld_code_and_echoes_no_altered_code(client):
    body = client.get("/api/references", params={"code": "chỉ thị 999"}).json()
    assert body == {
        "query": "chỉ thị 999",
        "code": None,
        "codes": [],
        "documents": [],
        "references": [],
    }


def test_codes_are_given_as_the_source_writes_them(client):
    body = client.get("/api/references", params={"code": "chương trình hành động 02"}).json()
    assert body["code"] == "2-CTR/ĐU"
    assert body["codes"][0]["written_code"] == "02-Ctr/ĐU"
    detail = client.get(f"/api/documents/{LAI_CHAU_PLAN}").json()
    written = {r["code"]: r["written_code"] for r in detail["legal_bases"]}
    assert written["2-CTR/ĐU"] == "02-Ctr/ĐU"


def test_a_document_lists_each_legal_basis_once_with_its_mentions(client):
    detail = client.get(f"/api/documents/{HAU_GIANG_PROGRAMME}").json()
    codes = [r["code"] for r in detail["legal_bases"]]
    assert codes.count("25-CT/TW") == 1
    directive = next(r for r in detail["legal_bases"] if r["code"] == "25-CT/TW")
    made = [r for r in detail["references_made"] if r["code"] == "25-CT/TW"]
    assert directive["mentions"] == len(made) > 10
    assert "ngày 25/10/2023" in directive["raw"]  # the fullest citation, not a bare one
    assert "25-CT/TW" not in {r["code"] for r in detail["other_references"]}
    for grouped in (detail["legal_bases"], detail["other_references"]):
        assert len({r["code"] for r in grouped}) == len(grouped)


# the page


def page_text(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, runs of white space as one space."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("typed", ["Chỉ thị 25", "chi thi 25", "CT 25", "chỉ thị số 25"])
def test_the_page_reaches_the_same_code_whatever_is_typed(client, typed):
    html = unescape(client.get("/references", params={"code": typed}).text)
    assert "<code>25-CT/TW</code>" in html
    assert html.count('class="document-card"') == 3
    assert f'value="{typed}"' in html  # the box keeps what was typed
    assert "CHỈTHỊ" not in html and "CHITHI" not in html


def test_a_look_up_that_fits_several_codes_lists_each(client):
    html = client.get("/references", params={"code": "1"}).text
    assert re.search(r"\d+ số hiệu khớp", page_text(html))
    assert html.count('class="citing"') >= 2


def test_the_page_shows_codes_as_written_and_a_legal_basis_once(client):
    html = client.get(f"/documents/{HAU_GIANG_PROGRAMME}").text
    bases = page_text(html.split('id="legal-bases-title"')[1].split('id="references-title"')[0])
    assert bases.count("Văn bản khác dẫn chiếu 25-CT/TW") == 1
    assert re.search(r"\d{2} lần nhắc đến trong văn bản", bases)
    others = page_text(html.split('id="references-title"')[1].split("</section>")[0])
    assert "25-CT/TW" not in others
    lai_chau = page_text(client.get(f"/documents/{LAI_CHAU_PLAN}").text)
    assert "Văn bản khác dẫn chiếu 02-Ctr/ĐU" in lai_chau
    assert "2-CTR/ĐU" not in lai_chau
    page = unescape(client.get("/references", params={"code": "2-CTR/ĐU"}).text)
    assert "<code>02-Ctr/ĐU</code>" in page
