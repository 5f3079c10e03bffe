"""Rasa's SQL tracker store, tuned for the embedded default (SQLite) and several workers.

``make run`` keeps conversations in a SQLite file and runs two Rasa worker processes. With
SQLite's default journal a writer blocks every reader, and each turn's commit waits for the
disk twice. In WAL mode readers and the writer go on side by side and a commit is one
sequential append (``synchronous=NORMAL``: an OS crash may lose the last turns, never
corrupt the file; a crash of the server loses nothing). A writer waits up to 30 s for the
other worker instead of failing. PostgreSQL is used exactly as Rasa configures it.

endpoints.yml: ``tracker_store: {type: stores.trackers.AdvisorTrackerStore, dialect: sqlite,
db: var/tracker.db}`` — the settings of Rasa's ``type: SQL``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

BUSY_TIMEOUT_S = 30


class AdvisorTrackerStore(SQLTrackerStore):
    """Rasa's ``SQLTrackerStore``; on SQLite in WAL mode with a busy timeout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            self.engine.dispose()  # connections opened while creating the table: tuned anew


def _tune_sqlite(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
