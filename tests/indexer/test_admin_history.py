"""The 2025 reorganisation: every former province lies in exactly one province of today, the
seeds' units map where the resolutions put them, and the note says it in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.admin_history import (
    belongs_today,
    current_unit,
    history,
    new_units,
    note,
    predecessors,
    successor,
)
from indexer.attributes import load_provinces
from indexer.tokens import fold

GAZETTEER = {province.name: province for province in load_provinces()}
PROVINCE_ROWS = [change for change in history() if change.level == "province"]


def test_every_one_of_the_63_former_provinces_has_exactly_one_row():
    assert len(GAZETTEER) == 63
    assert sorted(change.old_unit for change in PROVINCE_ROWS) == sorted(GAZETTEER)


def test_the_63_former_provinces_make_up_34_provinces_of_today():
    assert len(new_units()) == 34
    assert {successor(name).new_unit for name in GAZETTEER} == set(new_units())


def test_every_province_of_today_is_a_gazetteer_name_and_keeps_one_former_units_name():
    forms = {
        fold(form): province.name
        for province in GAZETTEER.values()
        for form in (province.name, *province.aliases)
    }
    for unit in new_units():
        assert fold(unit) in forms, unit
        assert forms[fold(unit)] in predecessors(unit), unit


def test_six_provinces_of_today_are_centrally_run_cities():
    kinds = {change.new_unit: change.new_kind for change in PROVINCE_ROWS}
    assert sorted(unit for unit, kind in kinds.items() if kind == "thành phố") == sorted(
        ["Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"]
    )


def test_former_kinds_are_the_gazetteers():
    assert all(change.old_kind == GAZETTEER[change.old_unit].kind for change in PROVINCE_ROWS)


def test_eleven_units_keep_their_area_and_twenty_three_are_merged():
    kept = [c.old_unit for c in PROVINCE_ROWS if c.change in ("unchanged", "renamed")]
    assert len(kept) == 11
    merged = {c.new_unit for c in PROVINCE_ROWS if c.change == "merged"}
    assert len(merged) == 23
    assert all(len(predecessors(unit)) in (2, 3) for unit in merged)


def test_the_seeds_provinces():
    assert successor("Long An").new_unit == "Tây Ninh"
    assert successor("Long An").effective == date(2025, 7, 1)
    assert successor("Hậu Giang").new_unit == "Cần Thơ"
    assert successor("Lai Châu").change == "unchanged"
    assert predecessors("Cần Thơ") == ("Cần Thơ", "Hậu Giang", "Sóc Trăng")
    assert set(predecessors("Tây Ninh")) == {"Tây Ninh", "Long An"}


def test_a_seed_district_lies_in_its_provinces_successor():
    can_duoc = successor("Cần Đước", province="Long An")
    assert (can_duoc.level, can_duoc.change, can_duoc.new_unit) == (
        "district",
        "abolished",
        "Tây Ninh",
    )
    assert successor("Tân Uyên", province="Lai Châu").new_unit == "Lai Châu"
    assert successor("Vị Thủy", province="Hậu Giang").new_unit == "Cần Thơ"


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("Long An", "Tây Ninh"),
        ("long an", "Tây Ninh"),
        ("Hau Giang", "Cần Thơ"),
        ("Can Duoc", "Tây Ninh"),
    ],
)
def test_names_are_looked_up_without_accents_or_case(written, unit):
    assert successor(written).new_unit == unit


def test_a_district_name_several_provinces_share_needs_its_province():
    assert successor("Châu Thành") is None  # Long An and Hậu Giang both had one
    assert successor("Châu Thành", province="Hau Giang").new_unit == "Cần Thơ"
    assert successor("Nowhere") is None


def test_the_note_names_the_former_unit_and_its_unit_of_today():
    long_an, can_duoc = successor("Long An"), successor("Cần Đước")
    assert note(long_an) == "tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh từ 01/07/2025)"
    assert note(long_an, "en") == (
        "former Long An province (part of Tây Ninh province since 1 July 2025)"
    )
    assert note(successor("Hậu Giang")) == (
        "tỉnh Hậu Giang cũ (nay thuộc thành phố Cần Thơ từ 01/07/2025)"
    )
    assert note(can_duoc) == (
        "huyện Cần Đước cũ, tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh từ 01/07/2025)"
    )
    assert note(successor("Lai Châu")) == "tỉnh Lai Châu"


def test_a_merged_unit_that_kept_its_name_is_called_the_new_one():
    assert (
        note(successor("Tây Ninh"))
        == "tỉnh Tây Ninh cũ (nay thuộc tỉnh Tây Ninh mới từ 01/07/2025)"
    )


def test_a_documents_place_today():
    assert current_unit("Long An", "Cần Đước").new_unit == "Tây Ninh"
    assert current_unit("Hậu Giang").new_unit == "Cần Thơ"
    assert current_unit("Lai Châu") is None  # still a unit of today
    assert current_unit(None) is None
    assert belongs_today("Tay Ninh", "Long An", "Cần Đước")
    assert belongs_today("Cần Thơ", "Hậu Giang")
    assert not belongs_today("Sóc Trăng", "Hậu Giang")  # a sibling, not today's unit
    assert not belongs_today("Long An", "Long An")  # by name, not through the history
