"""Look-up endpoints: documents, references both ways, figures."""

from __future__ import annotations


def test_documents_list_attributes_and_counts(client):
    documents = client.get("/api/documents").json()["documents"]
    assert len(documents) == 5
    long_an = next(d for d in documents if d["doc_id"] == "001_b919c97a22ddf266")
    assert long_an["attributes"]["doc_type"] == "Kế hoạch"
    assert long_an["attributes"]["province"] == "Long An"
    assert long_an["passages"] > 10 and long_an["figures"] > 0 and long_an["references"] > 0


def test_documents_filter_by_place_year_and_type(client):
    def ids(params):
        listed = client.get("/api/documents", params=params).json()["documents"]
        return {d["doc_id"] for d in listed}

    assert ids({"place": "Cần Đước"}) == {"000_e10c59c27c62b5c8"}
    assert ids({"type": "Báo cáo"}) == {"004_ed8f74c002a8b9ab"}
    assert "001_b919c97a22ddf266" in ids({"year": 2025})


def test_document_detail_has_sections_legal_bases_and_figures(client):
    body = client.get("/api/documents/000_e10c59c27c62b5c8").json()
    assert list(dict.fromkeys(r["code"] for r in body["legal_bases"])) == [
        "43/2021/QĐ-UBND",
        "67/2024/QĐ-UBND",
        "191/QĐ-UBND",
        "338/QĐ-UBND",
    ]
    assert any(s["path"] == "Phụ lục 1 › Chỉ tiêu Y tế năm 2025" for s in body["sections"])
    for figure in body["figures_found"]:
        assert body["text"][figure["start"] : figure["end"]] == figure["raw"]


def test_unknown_document_is_404(client):
    response = client.get("/api/documents/does-not-exist")
    assert response.status_code == 404 and "does-not-exist" in response.json()["detail"]


def test_references_find_citing_documents_whatever_the_code_spelling(client):
    for spelling in ("25-CT/TW", "25/CT-TW", "25 - ct/tw"):
        body = client.get("/api/references", params={"code": spelling}).json()
        assert body["code"] == "25-CT/TW"
        assert "003_970cdc5fae201362" in {d["doc_id"] for d in body["documents"]}


def test_figure_search_by_words_place_and_year(client):
    figures = client.get(
        "/api/figures", params={"q": "bảo hiểm y tế toàn dân", "place": "Long An", "year": 2025}
    ).json()["figures"]
    assert figures[0]["value"] == 95


# Since 01/07/2025 Long An is part of Tây Ninh and Hậu Giang of Cần Thơ (indexer/admin_history.py).
def test_documents_carry_the_place_as_written_and_their_unit_of_today(client):
    documents = {d["doc_id"]: d for d in client.get("/api/documents").json()["documents"]}
    plan = documents["001_b919c97a22ddf266"]["identity"]
    assert plan["place"] == "Long An"
    assert plan["place_today"]["unit"] == "Tây Ninh"
    assert plan["place_today"]["since"] == "2025-07-01"
    assert plan["place_today"]["note"] == "tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh từ 01/07/2025)"
    assert documents["002_2f70747e408638d8"]["identity"]["place_today"] is None  # Lai Châu


def test_filtering_by_a_province_of_today_lists_its_former_units_documents(client):
    def ids(place):
        listed = client.get("/api/documents", params={"place": place}).json()["documents"]
        return {d["doc_id"] for d in listed}

    assert ids("Tây Ninh") == ids("Long An") == {"000_e10c59c27c62b5c8", "001_b919c97a22ddf266"}
    assert ids("Can Tho") == ids("Hậu Giang")
    assert "004_ed8f74c002a8b9ab" in ids("Cần Thơ")
    assert ids("Sóc Trăng") == ids("Đồng Nai") == set()
