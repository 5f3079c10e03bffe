"""Give conversations stored before channels had namespaces their channel's prefix.

Conversations are keyed ``rest:<sender>`` / ``web:<session>`` / ``slack:<user>`` in the
tracker store (``channels.sessions``). A store written by an earlier version holds bare
ids; without this, a REST or Slack conversation going on across the upgrade would start
over. Each bare id gets the prefix of the channel its messages came through (the
``input_channel`` Rasa stored with them):

- ``rest`` -> ``rest:<id>``, ``slack`` -> ``slack:<id>``;
- ``socketio`` conversations stay as they are: their ids were chosen by browsers, so no
  browser can prove one is its own; those students start a new conversation (the old one
  stays in the store for ``make report`` until ``make prune`` removes it);
- an id whose namespaced form already has a conversation is left alone (never merged).

Idempotent; `make run` runs it before starting the servers. Works on the SQLite store of
`make run` or on TRACKER_STORE_URL.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import sqlalchemy

from scripts.report import DEFAULT_DB

PREFIXES = {"rest": "rest:", "slack": "slack:"}
NAMESPACED = ("rest:", "web:", "slack:")

BARE = sqlalchemy.text(
    "SELECT sender_id, data FROM events WHERE type_name = 'user' "
    "AND sender_id NOT LIKE 'rest:%' AND sender_id NOT LIKE 'web:%' "
    "AND sender_id NOT LIKE 'slack:%' ORDER BY id"
)
TAKEN = sqlalchemy.text("SELECT 1 FROM events WHERE sender_id = :sender LIMIT 1")
RENAME = sqlalchemy.text("UPDATE events SET sender_id = :new WHERE sender_id = :old")


def namespace(url: str) -> dict[str, str]:
    """Rename the bare conversation ids of REST and Slack; return {old: new}."""
    engine = sqlalchemy.create_engine(url)
    if not sqlalchemy.inspect(engine).has_table("events"):
        engine.dispose()
        return {}
    renamed: dict[str, str] = {}
    with engine.begin() as connection:
        channels: dict[str, str | None] = {}
        for sender, data in connection.execute(BARE):
            if sender not in channels:  # the channel of its first message
                try:
                    channels[sender] = json.loads(data).get("input_channel")
                except (TypeError, ValueError, AttributeError):
                    channels[sender] = None
        for sender, channel in channels.items():
            prefix = PREFIXES.get(channel or "")
            if not prefix:
                continue
            new = prefix + sender
            if connection.execute(TAKEN, {"sender": new}).first():
                continue
            connection.execute(RENAME, {"new": new, "old": sender})
            renamed[sender] = new
    engine.dispose()
    return renamed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("TRACKER_STORE_URL") or DEFAULT_DB)
    args = parser.parse_args(argv)
    renamed = namespace(args.db)
    if renamed:
        print(f"Gave {len(renamed)} earlier conversation(s) their channel's prefix.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
