"""Places as facets: the documents a question's lexical list ranks, the places cut from its
words, and how a document's place fits the question."""

from __future__ import annotations

from indexer.models import Document, DocumentAttributes
from indexer.place_facets import PlaceFacets
from indexer.scope import QueryScope


def document(doc_id: str, **attributes) -> Document:
    return Document(doc_id, f"{doc_id}.txt", "", "h", DocumentAttributes(**attributes))


PROVINCE_PLAN = document("province-plan", province="Long An")
DISTRICT_PLAN = document("district-plan", province="Long An", district="Cần Đước")
OTHER_PROVINCE = document("other-province", province="Hậu Giang")
NATIONAL = document("national-directive")
FACETS = PlaceFacets([PROVINCE_PLAN, DISTRICT_PLAN, OTHER_PROVINCE, NATIONAL])


def asking(*places: str) -> QueryScope:
    return QueryScope(places=places, unknown_places=(), years=())


def test_a_province_question_ranks_the_provinces_documents_and_the_national_ones():
    assert FACETS.lexical_documents(asking("Long An"), None) == [
        "district-plan",
        "national-directive",
        "province-plan",
    ]


def test_a_district_question_ranks_its_own_and_its_provinces_own_documents():
    assert FACETS.lexical_documents(asking("Cần Đước"), None) == [
        "district-plan",
        "national-directive",
        "province-plan",
    ]
    assert "other-province" not in FACETS.lexical_documents(asking("Cần Đước"), None)


def test_a_question_naming_no_place_keeps_its_filter_as_it_is():
    assert FACETS.lexical_documents(asking(), None) is None
    assert FACETS.lexical_documents(asking(), ["other-province"]) == ["other-province"]


def test_the_places_restrict_within_a_filter_the_user_set():
    assert FACETS.lexical_documents(asking("Long An"), ["province-plan", "other-province"]) == [
        "province-plan"
    ]


def test_a_province_leaves_the_words_and_a_district_stays_one():
    assert FACETS.cut_from_words(asking("Long An", "Cần Đước")) == ("Long An",)


def test_a_districts_document_is_neutral_for_a_question_about_its_province():
    assert FACETS.fit(asking("Long An"), PROVINCE_PLAN) == 1.0
    assert FACETS.fit(asking("Long An"), DISTRICT_PLAN) == 0.5
    assert FACETS.fit(asking("Cần Đước"), DISTRICT_PLAN) == 1.0
    assert FACETS.fit(asking("Long An"), OTHER_PROVINCE) == 0.0
