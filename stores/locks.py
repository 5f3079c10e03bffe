"""One message of a conversation at a time, across every worker process of the Rasa server.

Rasa handles the messages of one conversation one after the other by taking a ticket lock
per conversation. Its default lock store lives in the memory of one process, so Rasa runs a
single worker with it (``SANIC_WORKERS`` is ignored): one of this machine's cores would sit
idle. ``ConversationLockStore`` keeps the locks where every worker sees them:

- by default in a SQLite file (``var/locks.db``, or ``db:`` in endpoints.yml): nothing to
  install, and enough for the workers of one machine;
- in Redis when ``LOCK_STORE_URL`` is set (``redis://host:port/db``): Rasa's own
  ``RedisLockStore``, for servers on several machines (the cluster profile).

Taking a ticket and giving it back are single SQLite transactions (``BEGIN IMMEDIATE``), so
two workers can never draw the same ticket. Rasa's Redis store reads and writes in two steps;
that is Rasa's behaviour and kept as it is.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore

ENV_URL = "LOCK_STORE_URL"
DEFAULT_DB = "var/locks.db"
T = TypeVar("T")


class SqliteLockStore(LockStore):
    """Ticket locks in a SQLite table, one row per conversation being handled."""

    def __init__(self, path: str | Path = DEFAULT_DB) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per process, used by its event loop; autocommit unless a
        # transaction is opened explicitly.
        self._db = sqlite3.connect(
            self.path, timeout=30, isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        self._db.execute("PRAGMA synchronous=NORMAL")  # a lock need not survive a crash
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS locks (conversation_id TEXT PRIMARY KEY, lock TEXT)"
        )
        self._guard = threading.Lock()
        super().__init__()

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        row = self._db.execute(
            "SELECT lock FROM locks WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    def delete_lock(self, conversation_id: str) -> None:
        deleted = self._db.execute(
            "DELETE FROM locks WHERE conversation_id = ?", (conversation_id,)
        ).rowcount
        self._log_deletion(conversation_id, deleted > 0)

    def save_lock(self, lock: TicketLock) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO locks (conversation_id, lock) VALUES (?, ?)",
            (lock.conversation_id, lock.dumps()),
        )

    def _atomically(self, change: Callable[[], T]) -> T:
        """Run ``change`` (reads and writes of this store) as one write transaction."""
        with self._guard:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = change()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue() -> int:
            lock = self.get_or_create_lock(conversation_id)
            ticket = lock.issue_ticket(lock_lifetime)
            self.save_lock(lock)
            return ticket

        try:
            return self._atomically(issue)
        except sqlite3.Error as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._atomically(lambda: LockStore.update_lock(self, conversation_id))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back, and drop the lock when no one else holds a ticket."""

        def give_back() -> None:
            lock = self.get_lock(conversation_id)
            if lock is None:
                return
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                self.save_lock(lock)
            else:
                self.delete_lock(conversation_id)

        self._atomically(give_back)


def redis_lock_store(url: str, key_prefix: str | None = None) -> RedisLockStore:
    """Rasa's Redis lock store at ``redis://[:password@]host:port/db``."""
    parsed = urlparse(url)
    return RedisLockStore(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 6379,
        db=int((parsed.path or "/0").lstrip("/") or 0),
        password=parsed.password,
        use_ssl=parsed.scheme == "rediss",
        key_prefix=key_prefix,
    )


class ConversationLockStore(LockStore):
    """The lock store of endpoints.yml: SQLite, or Redis when ``LOCK_STORE_URL`` is set.

    ``lock_store: {type: stores.locks.ConversationLockStore, db: var/locks.db}``; Rasa
    accepts a lock store class as an endpoint and then allows ``SANIC_WORKERS`` > 1.
    """

    def __init__(self, endpoint_config: Any = None) -> None:
        settings = dict(getattr(endpoint_config, "kwargs", None) or {})
        url = os.environ.get(ENV_URL)
        self.backend: LockStore = (
            redis_lock_store(url, settings.get("key_prefix"))
            if url
            else SqliteLockStore(settings.get("db") or DEFAULT_DB)
        )
        super().__init__()

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self.backend.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.backend.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.backend.save_lock(lock)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self.backend.issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        self.backend.update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self.backend.cleanup(conversation_id, ticket_number)
