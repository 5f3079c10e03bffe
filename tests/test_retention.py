"""Retention: whole conversations idle longer than the setting are deleted, others kept."""

import asyncio
import time

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from scripts.retention import prune

DAY = 86400.0


def store_conversations(path, conversations):
    """Save trackers through Rasa's own SQL tracker store, with the given message times."""
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    for sender, times in conversations.items():
        events = []
        for when in times:
            events += [UserUttered("hi", timestamp=when), BotUttered("hello", timestamp=when)]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    return store


def senders(store):
    return sorted(asyncio.run(store.keys()))


def test_conversations_idle_longer_than_the_retention_are_deleted_whole(tmp_path):
    now = time.time()
    store = store_conversations(
        tmp_path / "tracker.db",
        {
            "old": [now - 400 * DAY, now - 380 * DAY],
            "ongoing": [now - 500 * DAY, now - 2 * DAY],  # started long ago, still active
            "recent": [now - 1 * DAY],
        },
    )

    deleted = prune(f"sqlite:///{tmp_path / 'tracker.db'}", days=365, now=now)

    assert deleted == ["old"]
    assert senders(store) == ["ongoing", "recent"]
    ongoing = asyncio.run(store.retrieve("ongoing"))
    assert len([e for e in ongoing.events if isinstance(e, UserUttered)]) == 2


def test_a_pruned_conversation_is_gone_from_the_sqlite_file_not_only_from_the_table(tmp_path):
    now = time.time()
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    secret = "my-social-security-number-is-078-05-1120"
    old = [UserUttered(f"{secret} {n}", timestamp=now - 400 * DAY) for n in range(500)]
    asyncio.run(store.save(DialogueStateTracker.from_events("old", old)))
    recent = [UserUttered("where is Weber?", timestamp=now)]
    asyncio.run(store.save(DialogueStateTracker.from_events("recent", recent)))
    store.engine.dispose()
    assert secret.encode() in db.read_bytes()
    size = db.stat().st_size

    assert prune(f"sqlite:///{db}", days=365, now=now) == ["old"]

    # not even on a free page (SQLite builds differ in whether they zero deleted rows):
    # the file is rebuilt without them
    assert secret.encode() not in db.read_bytes()
    assert db.stat().st_size < size / 4
    assert b"where is Weber?" in db.read_bytes()


def test_a_pruned_conversations_hand_off_goes_with_it_question_and_address_included(tmp_path):
    from advisor.handoff import State
    from channels.handoff import HandoffStore
    from scripts.retention import prune_handoffs

    url = f"sqlite:///{tmp_path / 'handoff.db'}"
    store = HandoffStore(url)
    left = store.open("web:pruned", "CSTAFF", "1.0", State.WAITING)
    store.move(left.id, State.LEFT, (State.WAITING,), question="Secret plan?", email="j@x.org")
    store.open("web:kept", "CSTAFF", "2.0", State.WAITING)

    assert prune_handoffs(url, days=365, deleted=["web:pruned"]) == 1

    assert store.latest("web:pruned") is None and store.latest("web:kept") is not None
    assert b"j@x.org" not in (tmp_path / "handoff.db").read_bytes()


def test_pruning_hand_offs_creates_no_store_where_there_was_none(tmp_path):
    from scripts.retention import prune_handoffs

    assert prune_handoffs(f"sqlite:///{tmp_path / 'none.db'}", days=1, deleted=["web:x"]) == 0
    assert not (tmp_path / "none.db").exists()
