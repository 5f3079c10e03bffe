"""Which Slack events were already taken: retry de-duplication that survives a restart and
is shared by every instance.

Slack re-sends an event it thinks went unanswered (``X-Slack-Retry-Num``), also after our
server restarted, and behind a load balancer the retry may reach another instance. So the
event ids are kept outside the process for ``REMEMBER_SECONDS`` (an hour; Slack retries
within minutes):

- default: a SQLite table (``var/slack_events.db``);
- ``SLACK_EVENTS_URL=redis://host:port/db``: Redis, one key per event with a TTL (the
  cluster profile uses its lock store's Redis);
- ``SLACK_EVENTS_URL=sqlite:///path``: another SQLite file.

Taking an event is atomic (SQLite ``INSERT OR IGNORE``, Redis ``SET NX``): of two
deliveries racing on two instances, exactly one is answered.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

REMEMBER_SECONDS = 3600
DEFAULT_URL = "sqlite:///var/slack_events.db"


class SeenEvents(Protocol):
    async def first_time(self, event_id: str) -> bool:
        """True the first time an event id is taken, False for any repeat within the TTL."""


class SqliteSeenEvents:
    """Event ids in a SQLite table, each with the time it was first seen."""

    def __init__(self, path: str | Path, ttl: float = REMEMBER_SECONDS) -> None:
        self.path, self.ttl = Path(path), ttl
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS slack_events "
                "(event_id TEXT PRIMARY KEY, seen REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def take(self, event_id: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        with self._connect() as db:
            db.execute("DELETE FROM slack_events WHERE seen < ?", (now - self.ttl,))
            taken = db.execute(
                "INSERT OR IGNORE INTO slack_events (event_id, seen) VALUES (?, ?)",
                (event_id, now),
            ).rowcount
        return taken == 1

    async def first_time(self, event_id: str) -> bool:
        return await asyncio.to_thread(self.take, event_id)


class RedisSeenEvents:
    """Event ids as Redis keys that expire after the TTL."""

    def __init__(self, url: str, ttl: int = REMEMBER_SECONDS, prefix: str = "pacs:slack:") -> None:
        from redis import asyncio as aioredis

        self.redis = aioredis.from_url(url, socket_timeout=5)
        self.ttl, self.prefix = ttl, prefix

    async def first_time(self, event_id: str) -> bool:
        return bool(await self.redis.set(self.prefix + event_id, 1, nx=True, ex=self.ttl))


def from_url(url: str | None = None) -> SeenEvents:
    """The store ``SLACK_EVENTS_URL`` (or ``url``) names; SQLite in var/ by default."""
    url = url or os.environ.get("SLACK_EVENTS_URL") or DEFAULT_URL
    parsed = urlparse(url)
    if parsed.scheme in ("redis", "rediss", "unix"):
        return RedisSeenEvents(url)
    if parsed.scheme == "sqlite":
        return SqliteSeenEvents(url.removeprefix("sqlite:///"))
    raise ValueError(f"SLACK_EVENTS_URL must be a sqlite:/// or redis:// URL, not {url!r}")
