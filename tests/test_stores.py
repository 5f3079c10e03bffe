"""The stores of the embedded default: conversations and locks shared by several workers.

Two store objects on one SQLite file stand for two worker processes of the Rasa server.
"""

import asyncio
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

from stores import locks, trackers

DOMAIN = Domain.load("domain.yml")


def run(coroutine):
    return asyncio.run(coroutine)


def store(path) -> trackers.AdvisorTrackerStore:
    return trackers.AdvisorTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))


async def turn(worker, sender: str, text: str):
    """One message as Rasa handles it: fetch, add the turn's events, save."""
    tracker = await worker.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "ask_question", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_answer_question"))
    tracker.update(SlotSet("fact", text))
    tracker.update(ActionExecuted("action_listen"))
    await worker.save(tracker)


def said(events) -> list[str]:
    return [e.text for e in events if isinstance(e, UserUttered)]


def rasas_view(path, sender):
    """The conversation as Rasa's own SQL tracker store reads it from the table."""
    plain = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))
    return run(plain.retrieve(sender))


def test_turns_handled_by_two_workers_in_turn_are_each_stored_once_and_in_order(tmp_path):
    path = tmp_path / "tracker.db"
    first, second = store(path), store(path)
    questions = [f"question {n}" for n in range(6)]
    for n, text in enumerate(questions):
        run(turn(first if n % 3 else second, "s", text))  # second, first, first, second, ...

    tracker = rasas_view(path, "s")
    assert said(tracker.events) == questions
    assert tracker.get_slot("fact") == questions[-1]
    # each worker sees the other's turns too
    assert run(first.retrieve("s")).get_slot("fact") == questions[-1]
    assert run(second.retrieve("s")).get_slot("fact") == questions[-1]


def test_a_kept_conversation_is_not_read_from_the_table_again(tmp_path, monkeypatch):
    worker = store(tmp_path / "tracker.db")
    run(turn(worker, "s", "one"))
    run(turn(worker, "s", "two"))
    reads = []
    read = SQLTrackerStore.retrieve
    monkeypatch.setattr(
        SQLTrackerStore, "retrieve", lambda self, s: reads.append(s) or read(self, s)
    )

    run(turn(worker, "s", "three"))

    assert reads == []
    assert said(rasas_view(tmp_path / "tracker.db", "s").events) == ["one", "two", "three"]


def test_a_tracker_changed_without_being_stored_is_read_again_from_the_table(tmp_path):
    worker = store(tmp_path / "tracker.db")
    run(turn(worker, "s", "one"))
    run(turn(worker, "s", "two"))
    failed = run(worker.retrieve("s"))
    failed.update(UserUttered("lost in a failed turn"))  # never saved

    tracker = run(worker.retrieve("s"))

    assert said(tracker.events) == ["one", "two"]
    run(turn(worker, "s", "three"))
    assert said(rasas_view(tmp_path / "tracker.db", "s").events) == ["one", "two", "three"]


def test_a_new_session_is_read_as_rasa_reads_it(tmp_path):
    worker = store(tmp_path / "tracker.db")
    run(turn(worker, "s", "yesterday"))
    tracker = run(worker.retrieve("s"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted(timestamp=time.time() + 1))
    tracker.update(ActionExecuted("action_listen"))
    run(worker.save(tracker))

    events = run(worker.retrieve("s")).events

    assert said(events) == []
    assert events == rasas_view(tmp_path / "tracker.db", "s").events


def test_the_sqlite_file_is_in_wal_mode(tmp_path):
    worker = store(tmp_path / "tracker.db")
    with worker.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_two_workers_never_draw_the_same_ticket(tmp_path):
    path = tmp_path / "locks.db"
    first, second = locks.SqliteLockStore(path), locks.SqliteLockStore(path)
    tickets = [w.issue_ticket("s") for w in (first, second, first, second)]

    assert tickets == [0, 1, 2, 3]
    assert first.get_lock("s").now_serving == 0


def test_a_conversation_is_handled_by_one_worker_at_a_time(tmp_path):
    path = tmp_path / "locks.db"
    workers = [locks.SqliteLockStore(path), locks.SqliteLockStore(path)]
    inside, order = [], []

    async def handle(worker, n):
        async with worker.lock("s", wait_time_in_seconds=0.01):
            inside.append(n)
            assert len(inside) == 1  # nobody else in
            await asyncio.sleep(0.02)
            order.append(n)
            inside.remove(n)

    async def all_at_once():
        await asyncio.gather(*(handle(workers[n % 2], n) for n in range(6)))

    run(all_at_once())
    assert order == list(range(6))  # in the order the tickets were drawn
    assert workers[0].get_lock("s") is None  # given back


def test_locks_go_to_redis_when_lock_store_url_is_set(monkeypatch, tmp_path):
    monkeypatch.setenv(locks.ENV_URL, "redis://127.0.0.1:6379/3")
    assert isinstance(locks.ConversationLockStore().backend, locks.RedisLockStore)
    monkeypatch.delenv(locks.ENV_URL)
    monkeypatch.chdir(tmp_path)
    assert isinstance(locks.ConversationLockStore().backend, locks.SqliteLockStore)


@pytest.fixture(autouse=True)
def _in_project(monkeypatch):
    """domain.yml is read relative to the project."""
    from scripts.live import ROOT

    monkeypatch.chdir(ROOT)
