"""`make prune`: delete conversations whose last message is older than N days.

Retention is a setting: RETENTION_DAYS (default 365) or --days. A conversation is deleted as
a whole — never the old half of one that is still going on. Works on the tracker store of
`make run` (SQLite) or on TRACKER_STORE_URL (e.g. the PostgreSQL of the cluster profile).

Deleted means gone from the file: SQLite only marks a deleted row's page as free, so its
text stays readable in var/tracker.db until the page is reused. On SQLite the rows are
deleted with ``secure_delete`` (their bytes overwritten with zeros) and the file is then
rebuilt (``VACUUM``), which also gives the space back. (On PostgreSQL, ``VACUUM`` makes the
space reusable; the old row versions stay on disk until overwritten.)

Hand-offs to the admissions team (``channels.handoff``: the staff replies kept for a page
that comes back, a question and e-mail address left for the team) go with their
conversation, and are forgotten on their own when idle as long.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import sqlalchemy

from channels.handoff import HandoffStore, store_url
from scripts.report import DEFAULT_DB

STALE = sqlalchemy.text(
    "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"
)
DELETE = sqlalchemy.text("DELETE FROM events WHERE sender_id = :sender")


def prune(url: str, days: float, now: float | None = None) -> list[str]:
    """Delete every conversation idle for more than ``days``; return their ids."""
    cutoff = (now or time.time()) - days * 86400
    engine = sqlalchemy.create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA secure_delete = ON")
        stale = [row[0] for row in connection.execute(STALE, {"cutoff": cutoff})]
        for sender in stale:
            connection.execute(DELETE, {"sender": sender})
    if stale:
        # VACUUM cannot run inside a transaction
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
    engine.dispose()
    return stale


def prune_handoffs(url: str, days: float, deleted: list[str], now: float | None = None) -> int:
    """Forget the hand-offs of the deleted conversations and those idle as long; the number
    of conversations whose hand-off data went. A SQLite store never created is left alone."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0
    store = HandoffStore(url)
    forgotten = store.prune((now or time.time()) - days * 86400, deleted)
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
            db.exec_driver_sql("VACUUM")
    store.engine.dispose()
    return forgotten


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=float(os.environ.get("RETENTION_DAYS", 365)))
    parser.add_argument("--db", default=os.environ.get("TRACKER_STORE_URL") or DEFAULT_DB)
    parser.add_argument("--handoff-db", default=store_url())
    args = parser.parse_args(argv)
    deleted = prune(args.db, args.days)
    print(f"Deleted {len(deleted)} conversation(s) idle for more than {args.days:g} days.")
    forgotten = prune_handoffs(args.handoff_db, args.days, deleted)
    print(f"Forgot the hand-offs of {forgotten} conversation(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
