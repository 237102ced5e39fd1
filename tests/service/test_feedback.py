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


def test_a_page_holds_entries_older_than_before_newest_first(tmp_path):
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    ids = [store.add(question=f"q{n}", answer="a", citations=[], rating="up").id for n in range(5)]
    assert [f.id for f in store.page(limit=2)] == [ids[4], ids[3]]
    assert [f.id for f in store.page(limit=2, before=ids[3])] == [ids[2], ids[1]]
    assert [f.id for f in store.page(limit=10, before=ids[1])] == [ids[0]]
    assert store.page(limit=10, before=ids[0]) == []


def test_on_postgresql_the_service_creates_its_feedback_table_and_pages_it(postgres_url):
    import psycopg

    from indexer.store.postgres_schema import migrate
    from service.feedback import PostgresFeedbackStore
    from tests.conftest import new_database

    url = new_database(postgres_url, "service_feedback")
    with psycopg.connect(url, autocommit=True) as connection:
        migrate(connection)  # the index's migrations no longer create it
        assert connection.execute("SELECT to_regclass('healthqa.feedback')").fetchone()[0] is None
    store = PostgresFeedbackStore(url)
    ids = [store.add(question=f"q{n}", answer="a", citations=[], rating="up").id for n in range(3)]
    assert [f.id for f in store.page(limit=2)] == [ids[2], ids[1]]
    assert [f.id for f in PostgresFeedbackStore(url).page(limit=5, before=ids[1])] == [ids[0]]
