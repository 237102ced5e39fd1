"""SqliteFeedbackStore over a real SQLite file: created on first use, newest first, reopened intact."""

from __future__ import annotations

import threading

from service.feedback import SqliteFeedbackStore


def test_the_file_and_its_folder_are_created_on_first_use(tmp_path):
    path = tmp_path / "var" / "nested" / "feedback.sqlite"
    store = SqliteFeedbackStore(path)
    assert not path.exists()
    assert store.all() == []
    assert path.exists()


def test_entries_come_back_newest_first_with_their_citations(tmp_path):
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    first = store.add(question="q1", answer="a1", citations=["d:1", "d:2"], rating="up")
    second = store.add(question="q2", answer="a2", citations=[], rating="down", comment="sai")
    assert [f.id for f in store.all()] == [second.id, first.id]
    assert store.all()[1] == first
    assert store.all()[0].comment == "sai" and store.all()[0].citations == ()


def test_a_reopened_store_sees_earlier_entries(tmp_path):
    path = tmp_path / "feedback.sqlite"
    saved = SqliteFeedbackStore(path).add(question="q", answer="a", citations=["d:3"], rating="up")
    assert SqliteFeedbackStore(path).all() == [saved]


def test_entries_from_many_threads_are_all_kept(tmp_path):
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")

    def rate(n: int) -> None:
        store.add(question=f"q{n}", answer="a", citations=[], rating="up")

    threads = [threading.Thread(target=rate, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(f.question for f in store.all()) == sorted(f"q{n}" for n in range(16))
