"""Evaluation sets are validated line by line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from eval.dataset import DEFAULT_SET, UNTYPED, DatasetError, Trap, load_dataset
from eval.metrics import first_relevant_rank, is_relevant, mrr_at, norm, recall_at


def test_the_dev_set_loads_with_languages(tmp_path):
    items = load_dataset(DEFAULT_SET)
    assert len(items) >= 30
    assert {item.language for item in items} >= {"vi", "en"}


def test_the_dev_set_carries_kinds_mentions_and_traps():
    items = {item.item_id: item for item in load_dataset(DEFAULT_SET)}
    assert len(items) == 131
    assert sum(1 for item in items.values() if item.kind == UNTYPED) == 31
    assert items["d01"].kind == UNTYPED and items["d01"].must_mention == ()
    assert items["e050"].kind == "plan-vs-actual"
    assert items["e050"].must_mention == ("51.511", "95,39%")
    assert items["e074"].trap == Trap(73.877, "12-month actual, not the full-year estimate")
    assert items["e085"].turns[-1] == items["e085"].question and len(items["e085"].turns) == 3


def test_the_fresh_question_set_loads_and_its_evidence_is_in_its_documents():
    """`probe.jsonl`: questions written after the ranker was fitted, never fitted on."""
    corpus = Path(__file__).parents[2] / "corpus"
    items = load_dataset(DEFAULT_SET.parent / "probe.jsonl")
    assert len(items) == 40
    for item in items:
        for evidence in item.evidence:
            texts = [
                unicodedata.normalize("NFC", (corpus / name).read_text(encoding="utf-8"))
                for name in item.docs
            ]
            assert any(unicodedata.normalize("NFC", evidence) in text for text in texts), item


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("{not json", "line 2"),
        ('{"id": "x"}', "question"),
        ('{"id": "x", "question": "q", "answerable": true}', "evidence"),
        ('{"id": "a", "question": "q", "evidence": ["e"]}', "duplicate"),
        ('{"id": "y", "question": "q", "evidence": ["e"], "turns": ["other"]}', "last of"),
        ('{"id": "m", "question": "q", "evidence": ["e"], "must_mention": "95%"}', "must_mention"),
        ('{"id": "k", "question": "q", "evidence": ["e"], "kind": 3}', "kind"),
    ],
)
def test_malformed_lines_are_reported_with_their_number(tmp_path, line, fragment):
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "a", "question": "q", "evidence": ["e"]}\n' + line + "\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError, match=fragment):
        load_dataset(path)


def test_relevance_ignores_case_whitespace_and_segmentation_underscores():
    assert norm("Tỷ lệ  BHYT\n95 %") == "tỷlệbhyt95%"
    assert is_relevant(
        "Tỷ_lệ bảo hiểm y tế toàn dân:\n95% .", ["tỷ lệ bảo hiểm y tế toàn dân: 95%"]
    )
    assert not is_relevant("Tỷ lệ bảo hiểm y tế toàn dân: 98%", ["toàn dân: 95%"])


def test_rank_metrics():
    ranks = [first_relevant_rank(["a", "b e"], ["e"]), None, 1]
    assert ranks[0] == 2
    assert recall_at(ranks, 1) == pytest.approx(1 / 3)
    assert recall_at(ranks, 5) == pytest.approx(2 / 3)
    assert mrr_at(ranks) == pytest.approx((0.5 + 1) / 3)
