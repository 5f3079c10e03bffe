"""Conversations stored before channels had namespaces keep going after the upgrade."""

import asyncio

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from scripts.conversation_ids import namespace


def test_bare_rest_and_slack_ids_get_their_channels_prefix_and_web_ids_do_not(tmp_path):
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    said = {
        "me": ("rest", "where is Weber State?"),
        "U123": ("slack", "how much is Clarkson?"),
        "web-k3j4h5": ("socketio", "is it online?"),
        "rest:new": ("rest", "hello"),  # already namespaced
        "taken": ("rest", "old"),
        "rest:taken": ("rest", "new"),  # a conversation under the new id exists: no merge
    }
    for sender, (channel, text) in said.items():
        events = [UserUttered(text, input_channel=channel), BotUttered("ok")]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))

    renamed = namespace(f"sqlite:///{db}")

    assert renamed == {"me": "rest:me", "U123": "slack:U123"}
    keys = set(asyncio.run(store.keys()))
    assert keys == {"rest:me", "slack:U123", "web-k3j4h5", "rest:new", "taken", "rest:taken"}
    continued = asyncio.run(store.retrieve("rest:me"))
    assert [e.text for e in continued.events if isinstance(e, UserUttered)] == [
        "where is Weber State?"
    ]
    assert namespace(f"sqlite:///{db}") == {}  # idempotent


def test_a_store_without_conversations_is_left_alone(tmp_path):
    assert namespace(f"sqlite:///{tmp_path / 'empty.db'}") == {}
