"""Slack retry de-duplication: an event id is answered once — across a restart, across
instances, within an hour — in SQLite by default and in Redis for the cluster."""

import asyncio
import socket
import uuid

import pytest

from channels import seen


def test_an_event_is_taken_once_and_a_restarted_server_still_knows_it(tmp_path):
    path = tmp_path / "slack_events.db"
    before_restart = seen.SqliteSeenEvents(path)
    assert asyncio.run(before_restart.first_time("Ev1")) is True
    assert asyncio.run(before_restart.first_time("Ev1")) is False
    after_restart = seen.SqliteSeenEvents(path)  # a new process opening the same table
    assert asyncio.run(after_restart.first_time("Ev1")) is False
    assert asyncio.run(after_restart.first_time("Ev2")) is True


def test_of_many_instances_taking_the_same_event_at_once_exactly_one_wins(tmp_path):
    instances = [seen.SqliteSeenEvents(tmp_path / "shared.db") for _ in range(8)]

    async def race():
        return await asyncio.gather(*(i.first_time("EvRACE") for i in instances))

    assert sorted(asyncio.run(race())) == [False] * 7 + [True]


def test_an_event_is_forgotten_after_an_hour(tmp_path):
    store = seen.SqliteSeenEvents(tmp_path / "slack_events.db")
    assert store.take("Ev1", now=1000.0)
    assert not store.take("Ev1", now=1000.0 + 3599)
    assert store.take("Ev1", now=1000.0 + 3601)


def test_the_store_is_chosen_by_url(tmp_path, monkeypatch):
    monkeypatch.setenv("SLACK_EVENTS_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert isinstance(seen.from_url(), seen.SqliteSeenEvents)
    assert isinstance(seen.from_url("redis://127.0.0.1:6379/1"), seen.RedisSeenEvents)
    with pytest.raises(ValueError, match="SLACK_EVENTS_URL"):
        seen.from_url("postgresql://x/y")


def redis_running() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not redis_running(), reason="needs Redis on 127.0.0.1:6379")
def test_in_redis_two_instances_share_what_was_taken_and_it_expires():
    event_id = f"Ev{uuid.uuid4().hex}"

    async def scenario():
        one = seen.RedisSeenEvents("redis://127.0.0.1:6379/1")
        two = seen.RedisSeenEvents("redis://127.0.0.1:6379/1")
        taken = await asyncio.gather(one.first_time(event_id), two.first_time(event_id))
        again = await two.first_time(event_id)
        ttl = await one.redis.ttl(one.prefix + event_id)
        await one.redis.delete(one.prefix + event_id)
        await one.redis.close()
        await two.redis.close()
        return sorted(taken), again, ttl

    taken, again, ttl = asyncio.run(scenario())
    assert taken == [False, True]
    assert again is False
    assert 3500 < ttl <= 3600
