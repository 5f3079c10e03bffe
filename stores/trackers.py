"""Rasa's SQL tracker store, made cheap for long conversations and several workers.

Rasa's ``SQLTrackerStore`` rebuilds a conversation from all its rows at every message, and
before writing counts them again, so turn 30 of a conversation costs more than turn 1
(`make bench` measures both). ``AdvisorTrackerStore`` is the same store with three changes:

- **The latest conversations stay in memory.** Each worker keeps the trackers it stored
  last (``RECENT_CONVERSATIONS``) with the id of the last row it wrote. A message of a kept
  conversation costs one indexed query (is that id still the last row of this
  conversation?) instead of reading and replaying every event; when another worker or
  server wrote in between, or the tracker was changed without being stored (a turn that
  failed), the rows are read as Rasa reads them. Only the events the worker has not stored
  yet are written, without counting the rows first. Rasa's lock store already makes sure
  that one worker at a time handles a conversation. A new session (``SessionStarted``)
  is read from the table, as Rasa would; with an event broker the store is Rasa's own.
- **The policies read only the new events.** Rasa's rule and memoization policies replay
  the whole session at every prediction; the dialogue states are kept per conversation
  and extended (``stores/dialogue_states.py``).
- **SQLite in WAL mode.** With SQLite's default journal a writer blocks every reader, and
  each turn's commit waits for the disk twice. In WAL mode readers and the writer go on side
  by side and a commit is one sequential append (``synchronous=NORMAL``: an OS crash may
  lose the last turns, never corrupt the file; a crash of the server loses nothing). A
  writer waits up to 30 s for another worker instead of failing.

The table and its rows are Rasa's, so `make report`, `make prune` and Rasa's own tools read
them as before. endpoints.yml: ``tracker_store: {type: stores.trackers.AdvisorTrackerStore,
dialect: sqlite, db: var/tracker.db}`` — the settings of Rasa's ``type: SQL``.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from itertools import islice
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from stores import dialogue_states

BUSY_TIMEOUT_S = 30
RECENT_CONVERSATIONS = 128


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    events: int  # how many of the tracker's events are rows of the table
    last_id: int | None  # the id of the last of those rows


class AdvisorTrackerStore(SQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` with the latest trackers kept; SQLite in WAL mode."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            self.engine.dispose()  # connections opened while creating the table: tuned anew
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        # The policies' reading of the conversations kept here, extended event by event.
        dialogue_states.install(RECENT_CONVERSATIONS)

    def _last_id(self, sender_id: str) -> int | None:
        with self.session_scope() as session:
            return (
                session.query(sa.func.max(self.SQLEvent.id))
                .filter(self.SQLEvent.sender_id == sender_id)
                .scalar()
            )

    def _keep(self, tracker: DialogueStateTracker, last_id: int | None) -> None:
        self._kept[tracker.sender_id] = _Kept(tracker, len(tracker.events), last_id)
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > RECENT_CONVERSATIONS:
            self._kept.popitem(last=False)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The tracker of the conversation's latest session."""
        kept = self._kept.pop(sender_id, None)
        last_id = self._last_id(sender_id)  # before reading: a later row makes it stale
        if kept and len(kept.tracker.events) == kept.events and kept.last_id == last_id:
            self._keep(kept.tracker, last_id)
            return kept.tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None and self.event_broker is None:
            self._keep(tracker, last_id)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events of ``tracker`` that are not rows yet."""
        kept = self._kept.pop(tracker.sender_id, None)
        if self.event_broker is not None or kept is None or kept.tracker is not tracker:
            await super().save(tracker)  # counts the rows to find the new events
            return
        new = list(islice(tracker.events, kept.events, None))
        last_id = self._insert(tracker.sender_id, new) if new else kept.last_id
        if not any(isinstance(event, SessionStarted) for event in new):
            self._keep(tracker, last_id)

    def _insert(self, sender_id: str, events: list[Event]) -> int:
        """Write ``events`` as Rasa's ``SQLTrackerStore.save`` writes them; the last row's id."""
        with self.session_scope() as session:
            rows = []
            for event in events:
                data = event.as_dict()
                rows.append(
                    self.SQLEvent(
                        sender_id=sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {})
                        .get("intent", {})
                        .get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.add_all(rows)
            session.flush()  # assigns the ids
            last_id = int(rows[-1].id)
            session.commit()
            return last_id


def _tune_sqlite(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
