"""Which-ones questions answered from an enumeration written inline in a sentence: the items
after the noun the question asks for ("… ba nội dung là A, B và C"), the numbered clauses after
it ("… các nhiệm vụ: (1) A; (2) B"), or the items before it when it closes the list."""

from __future__ import annotations

from indexer.models import Passage
from service.qa.listing import asked_for, asked_phrase, inline_items, section_items


def passage(text: str) -> Passage:
    return Passage("d:0", "d", 0, "text", (), 0, len(text), text)


def test_the_noun_a_which_ones_question_asks_for_is_read_by_its_head():
    assert asked_for("Chương trình gồm những nội dung chính nào?") == ("noi", "dung")
    assert asked_for("Nhung don vi nao dat chuan?") == ("don", "vi")
    assert asked_for("Tỷ lệ bao phủ là bao nhiêu?") == ()


def test_items_after_the_noun_and_its_cue_word_are_the_answer():
    text = "Mục tiêu xây dựng hệ thống với ba nội dung chính là đào tạo cán bộ, nâng cấp thiết bị và mở rộng mạng lưới."
    items, _, (start, end) = inline_items("Hệ thống gồm những nội dung chính nào?", [passage(text)])
    assert items == ["đào tạo cán bộ", "nâng cấp thiết bị", "mở rộng mạng lưới"]
    assert text[start:end].startswith("Mục tiêu")


def test_numbered_clauses_separated_by_semicolons_are_one_item_each():
    text = "Tổ chức thực hiện tốt các nhiệm vụ: (1) Sơ cứu, cấp cứu ban đầu; (2) Quản lý bệnh mạn tính; (3) Truyền thông giáo dục sức khỏe."
    items, _, _ = inline_items("Cần thực hiện những nhiệm vụ nào?", [passage(text)])
    assert items == [
        "Sơ cứu, cấp cứu ban đầu",
        "Quản lý bệnh mạn tính",
        "Truyền thông giáo dục sức khỏe",
    ]


def test_a_noun_that_closes_the_list_takes_the_items_before_it():
    text = "Chủ động phòng chống sởi, bạch hầu, ho gà và các dịch bệnh khác."
    items, _, _ = inline_items("Phải phòng chống những dịch bệnh nào?", [passage(text)])
    assert "bạch hầu" in items and "ho gà" in items


def test_a_decimal_comma_does_not_split_an_item():
    text = "Các đơn vị đạt chuẩn gồm Bệnh viện A (kết dư 2,5 tỷ đồng), Trung tâm B và Trạm C."
    items, _, _ = inline_items("Những đơn vị nào đạt chuẩn?", [passage(text)])
    assert any("2,5" in item for item in items)


def test_the_sentence_sharing_most_words_with_the_question_is_chosen():
    first = passage("Các đơn vị gồm phòng khám, nhà thuốc và trạm xá trong tỉnh.")
    second = passage(
        "Các đơn vị vượt mức tự chủ là Bệnh viện Nhi, Trung tâm Y tế huyện A và Trung tâm Y tế huyện B."
    )
    items, chosen, _ = inline_items("Những đơn vị nào vượt mức tự chủ?", [first, second])
    assert chosen is second and items[0] == "Bệnh viện Nhi"


def test_an_enumeration_a_cue_opens_is_chosen_over_a_sentence_split_at_its_commas():
    # the first shares more words with the question, but only its commas part it
    first = passage(
        "1. Tăng cường chỉ đạo chính quyền các cấp, tuyên truyền sâu rộng, kiểm tra thường xuyên "
        "các nhiệm vụ y tế cơ sở."
    )
    second = passage(
        "Các cấp thực hiện tốt các nhiệm vụ: (1) Tiêm chủng; (2) Quản lý bệnh mạn tính."
    )
    items, chosen, _ = inline_items(
        "Chính quyền các cấp chỉ đạo tuyên truyền, kiểm tra những nhiệm vụ nào?", [first, second]
    )
    assert chosen is second and items == ["Tiêm chủng", "Quản lý bệnh mạn tính"]


def test_items_in_parentheses_after_the_clause_naming_the_noun_are_the_answer():
    text = (
        "- 5/9 cơ sở y tế tuyến huyện áp dụng bệnh án điện tử (BVĐK khu vực Bắc, "
        "các: TTYT huyện Đông Sơn, TTYT huyện Tây Sơn). Kết quả còn hạn chế."
    )
    items, _, _ = inline_items("Những cơ sở y tế nào áp dụng bệnh án điện tử?", [passage(text)])
    assert items == ["BVĐK khu vực Bắc", "TTYT huyện Đông Sơn", "TTYT huyện Tây Sơn"]


def test_a_question_without_an_enumeration_sentence_gets_none():
    text = "Các đơn vị tiếp tục triển khai kế hoạch."
    assert inline_items("Những đơn vị nào vượt mức?", [passage(text)]) is None


def test_a_seed_inline_enumeration_is_listed_with_its_citation(client):
    body = client.post(
        "/api/ask",
        json={
            "question": "Nền y tế thông minh mà Sở Y tế Lai Châu hướng tới gồm những nội dung chính nào?"
        },
    ).json()
    assert body["intent"] == "list" and body["answerable"]
    assert "quản trị y tế thông minh" in body["answer"]
    assert "nội dung chính" in body["citations"][0]["text"]


def test_the_listed_phrase_runs_from_the_last_nhung_or_cac_over_commas():
    assert asked_phrase("Các cấp cần làm tốt những nhiệm vụ nào?") == ("nhiem", "vu")
    assert asked_phrase("Đề án gồm những nhóm giải pháp, chính sách chủ yếu nào?") == (
        "nhom",
        "giai",
        "phap",
        "chinh",
        "sach",
        "chu",
        "yeu",
    )


def section(path: tuple[str, ...], text: str) -> Passage:
    return Passage(f"d:{len(path)}:{text[:8]}", "d", 0, "list", path, 0, len(text), text)


TASKS = "III. Nhiệm vụ và giải pháp chủ yếu"
DOCUMENT = [
    section(("I. Mục tiêu",), "Mục tiêu chung."),
    section(
        (TASKS,),
        "III. Nhiệm vụ và giải pháp chủ yếu\n1. Đẩy mạnh truyền thông,\nvề phòng bệnh\n- Tổ chức hội thảo.",
    ),
    section((TASKS, "2. Kiện toàn mạng lưới y tế xã"), "2. Kiện toàn mạng lưới y tế xã"),
    section((TASKS, "3. Đào tạo nhân lực"), "3. Đào tạo nhân lực"),
    section((TASKS, "4. Chuyển đổi số"), "4. Chuyển đổi số"),
]


def test_a_section_whose_heading_names_what_is_listed_answers_with_its_sub_sections():
    items, passages, path = section_items(
        "Đề án đề ra những nhiệm vụ và giải pháp chủ yếu nào?", DOCUMENT
    )
    assert path == (TASKS,)
    # the first sub-heading, wrapped by the PDF after a comma, stayed in the section's own text
    assert items == [
        "Đẩy mạnh truyền thông",
        "Kiện toàn mạng lưới y tế xã",
        "Đào tạo nhân lực",
        "Chuyển đổi số",
    ]
    assert len(passages) == 4


def test_a_bare_head_noun_names_no_section():
    # "những nhiệm vụ nào" is asked of a sentence's enumeration as often as of a section
    assert section_items("Các cấp cần làm tốt những nhiệm vụ nào?", DOCUMENT) is None


def test_a_seed_section_named_by_the_question_lists_its_sub_sections(client):
    body = client.post(
        "/api/ask",
        json={"question": "Sở Y tế Lai Châu đề ra những nhiệm vụ trọng tâm và giải pháp nào?"},
    ).json()
    assert body["intent"] == "list" and body["answerable"]
    # 2.1 (its heading wrapped after a comma) to 2.8
    assert "Tăng cường sự lãnh đạo" in body["answer"]
    assert "Phát triển y tế tư nhân" in body["answer"]
    assert "Yêu cầu" not in body["answer"]
