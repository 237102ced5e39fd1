"""Indicators across documents, places and years (issue 16, items 2–6), through the real app over
the seed index: the health-insurance coverage indicator with Long An's, Cần Đước's and Lai
Châu's values, the Hậu Giang 2023 plan-against-actual table row by row, filters and search,
values linking to their lines, exports read back with real readers, the chart, and the chat's
link from a figure answer to its indicator."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from service.indicators import catalog as catalog_module

COVERAGE_QUESTION = "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của tỉnh Long An là bao nhiêu?"
# The report's table "Các chỉ tiêu hoạt động của ngành" (seed 004): indicator, KH 2023, TH 2023,
# and whether the result meets the plan (a "<" plan is a ceiling).
HAU_GIANG_2023_TABLE = [
    ("Tuổi thọ trung bình", "75", "75", True),
    ("Tỷ lệ tăng dân số tự nhiên", "6,5", "6,62", True),
    ("Tỷ số giới tính khi sinh", "<107", "107", False),
    ("Tăng Tỷ suất sinh hàng năm", "9,31", "9,45", True),
    ("Tỷ suất chết trẻ em dưới 1 tuổi", "<8,5", "2,34", True),
    ("Tỷ suất chết của trẻ em dưới 5 tuổi", "<10", "7,03", True),
    ("Tỷ lệ xã đạt chuẩn quốc gia về y tế", "100", "100", True),
    ("Tỷ lệ trẻ em dưới 1 tuổi tiêm đủ các loại vaccine", ">95", "90,9", False),
    ("Tỷ lệ xã có bác sỹ định biên", "70,66", "72", True),
    ("Tỷ lệ người dân được lập và quản lý hồ sơ sức khỏe điện tử", "91", "94,43", True),
    ("Tỷ lệ cơ sở y tế xử lý chất thải rắn y tế đạt chuẩn", "100", "100", True),
]


def coverage(client) -> dict:
    found = client.get("/api/indicators", params={"q": "tham gia BHYT"}).json()
    (indicator,) = [
        i
        for i in found["indicators"]
        if "bảo hiểm y tế" in i["name"].lower() or "bhyt" in i["name"].lower()
    ]
    return client.get(f"/api/indicators/{indicator['indicator_id']}").json()


def values(row: dict, kind: str) -> list[str]:
    return [value["display"] for value in row[kind]]


def test_health_insurance_coverage_shows_long_an_can_duoc_and_lai_chau(client):
    detail = coverage(client)
    assert {
        "Tỷ lệ bảo hiểm y tế toàn dân",
        "Tỷ lệ tham gia BHYT toàn dân",
        "Tỷ lệ dân số tham gia BHYT",
    } <= set(detail["evidence"]["labels"])
    rows = {(row["place"], row["year"]): row for row in detail["rows"]}
    assert values(rows[("Long An", 2025)], "targets") == ["95%"]
    assert rows[("Long An", 2025)]["place_today"] == "Tây Ninh"
    assert values(rows[("Cần Đước", 2025)], "targets") == ["98 %"]
    assert rows[("Cần Đước", 2025)]["level"] == "district"
    assert values(rows[("Lai Châu", 2025)], "baselines") == ["95 %"]
    assert values(rows[("Lai Châu", 2030)], "targets") == ["96 %"]
    page = client.get(f"/indicators/{detail['indicator_id']}").text
    for shown in ("95%", "98 %", "96 %", "Cần Đước", "Lai Châu", "Long An"):
        assert shown in page


def test_hau_giang_2023_plan_against_actual_has_every_row_of_the_report_table(client):
    table = client.get("/api/indicators", params={"place": "Hậu Giang", "year": 2023}).json()
    labels = {
        indicator["indicator_id"]: client.get(
            f"/api/indicators/{indicator['indicator_id']}"
        ).json()["evidence"]["labels"]
        for indicator in table["indicators"]
    }
    checks = [
        (label, check["target"]["written"], check["result"]["written"], check["met"])
        for row in table["rows"]
        for check in row["checks"]
        for label in labels[row["indicator_id"]]
    ]
    for expected in HAU_GIANG_2023_TABLE:
        assert expected in checks, expected


def test_a_ceiling_is_met_by_a_lower_result_and_the_share_of_plan_is_given(client):
    table = client.get("/api/indicators", params={"place": "Hậu Giang", "year": 2023}).json()
    checks = {
        (c["target"]["written"], c["result"]["written"]): c
        for row in table["rows"]
        for c in row["checks"]
    }
    assert checks[("<8,5", "2,34")]["met"] is True  # "< 8,5‰" is met by 2,34
    assert checks[("<8,5", "2,34")]["share_of_plan"] is None
    assert checks[("70,66", "72")]["share_of_plan"] == pytest.approx(101.9, abs=0.01)
    assert checks[(">95", "90,9")]["met"] is False


def places(client, **params) -> set[str]:
    return {row["place"] for row in client.get("/api/indicators", params=params).json()["rows"]}


def test_a_province_of_today_holds_the_former_units_figures(client):
    assert {"Long An", "Cần Đước"} <= places(client, place="Tây Ninh")
    assert "Lai Châu" not in places(client, place="Tây Ninh")
    assert "Cần Đước" in places(client, place="Long An")
    assert places(client, place="Cần Đước", level="district") == {"Cần Đước"}


def test_levels_tell_provinces_districts_and_facilities_apart(client):
    assert places(client, level="province") >= {"Long An", "Lai Châu", "Hậu Giang"}
    facilities = places(client, level="facility")
    assert "TTYT huyện Cần Đước" in facilities
    assert not facilities & {"Long An", "Lai Châu", "Hậu Giang", "Cần Đước"}


def test_year_kind_and_document_filters(client):
    rows = client.get("/api/indicators", params={"year": 2030, "kind": "target"}).json()["rows"]
    assert rows and all(
        row["year"] == 2030 and row["targets"] and not row["results"] for row in rows
    )
    doc_id = rows[0]["targets"][0]["doc_id"]
    rows = client.get("/api/indicators", params={"document": doc_id}).json()["rows"]
    assert all(
        value["doc_id"] == doc_id
        for row in rows
        for kind in ("targets", "results", "baselines")
        for value in row[kind]
    )


@pytest.mark.parametrize(
    "query", ["tỷ lệ tham gia BHYT", "ty le tham gia bao hiem y te", "health insurance coverage"]
)
def test_search_by_name_in_vietnamese_without_diacritics_or_in_english(client, query):
    names = {
        i["name"] for i in client.get("/api/indicators", params={"q": query}).json()["indicators"]
    }
    assert coverage(client)["name"] in names


def test_each_value_links_to_its_line_highlighted_in_the_viewer(client):
    row = next(r for r in coverage(client)["rows"] if r["place"] == "Long An" and r["year"] == 2025)
    value = row["targets"][0]
    start, end = map(int, re.search(r"start=(\d+)&end=(\d+)", value["url"]).groups())
    assert start <= value["start"] < value["end"] <= end
    document = client.get(f"/api/documents/{value['doc_id']}").json()
    assert value["written"] in document["text"][start:end]
    assert 'id="cited"' in client.get(value["url"].split("#")[0]).text


def test_csv_export_is_the_filtered_table_with_document_section_and_source_line(client):
    response = client.get("/api/indicators/export.csv", params={"place": "Hậu Giang", "year": 2023})
    assert response.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    table = client.get("/api/indicators", params={"place": "Hậu Giang", "year": 2023}).json()
    assert len(lines) == sum(
        len(r["targets"]) + len(r["results"]) + len(r["baselines"]) for r in table["rows"]
    )
    ceiling = next(line for line in lines if line["written"] == "<8,5")
    assert ceiling["met"] == "met" and ceiling["kind"] == "target"
    assert "Tỷ suất chết trẻ em dưới 1 tuổi" in ceiling["source_text"]
    assert ceiling["section"] and ceiling["doc_id"] and "/documents/" in ceiling["link"]


def test_xlsx_export_reads_back_with_openpyxl(client):
    response = client.get("/api/indicators/export.xlsx", params={"q": "tham gia BHYT"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["indicator", "indicator_id", "place"]
    lines = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert any(line["place"] == "Cần Đước" and line["value"] == 98 for line in lines)
    assert all(line["link"].startswith("http") for line in lines)


def test_chart_is_a_server_drawn_svg_with_dashed_targets_and_no_script(client):
    detail = coverage(client)
    response = client.get(detail["chart_url"])
    assert response.headers["content-type"] == "image/svg+xml"
    svg = response.text
    assert "<svg" in svg and "<script" not in svg.lower() and "http://www.w3.org" in svg
    assert "stroke-dasharray" in svg  # the targets' dashed lines


def test_unknown_indicator_is_a_404_with_its_code(client):
    response = client.get("/api/indicators/no-such-indicator")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/indicators/no-such-indicator").status_code == 404


def test_a_figure_answer_links_to_its_indicator_page(client):
    answer = client.post("/api/ask", json={"question": COVERAGE_QUESTION}).json()
    assert answer["figures"], answer["answer"]
    assert (
        answer["figures"][0]["indicator_url"] == f"/indicators/{coverage(client)['indicator_id']}"
    )


class Owner:
    """An answerer's stand-in: what a catalog is kept for."""


def test_a_large_corpus_is_grouped_into_indicators_only_once_they_are_asked_for(
    seed_engine, monkeypatch
):
    records = seed_engine.answerer.records
    monkeypatch.setattr(catalog_module, "GROUPED_WHEN_ANSWERING_UP_TO", len(records) - 1)
    owner = Owner()
    assert catalog_module.ready_catalog(owner, records) is None  # answering does not group
    built = catalog_module.catalog_for(owner, records)  # /indicators does
    assert catalog_module.ready_catalog(owner, records) is built
    monkeypatch.setattr(catalog_module, "GROUPED_WHEN_ANSWERING_UP_TO", len(records))
    assert catalog_module.ready_catalog(Owner(), records).indicators == built.indicators
