"""Several Rasa processes at once: nothing lost, nothing doubled, no reply crossed.

Two set-ups, the same check:

- the embedded default (``make run``): one Rasa server with 2 worker processes, SQLite
  tracker and lock stores (stores/);
- the scale-out profile (``make run-cluster``): 2 Rasa + 2 action servers behind nginx,
  PostgreSQL and Redis.

20 students talk at once, 10 turns each, spread over both Rasa processes: every event is
stored once and in order, no context is lost, no reply crosses to another student.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy

from advisor.knowledge import load
from scripts.cluster import Cluster
from scripts.live import Bot, free_port

pytestmark = pytest.mark.live

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS = ("127.0.0.1", 6379)
STUDENTS, TURNS = 20, 10


def reachable(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


@dataclass
class Deployment:
    """Where to talk to the bot, where it stores conversations, and how busy each of its
    Rasa processes has been so far (by any measure that only grows)."""

    url: str
    tracker_url: str
    activity: Callable[[], dict[str, float]]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def worker_cpu(master: int) -> dict[str, float]:
    """CPU time of each worker process of a Rasa server (the children of ``master``)."""
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return {pid: cpu_seconds(int(pid)) for pid in children.stdout.split()}


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    running = Bot(tmp_path_factory.mktemp("embedded"), workers=2).start()
    try:
        yield Deployment(
            running.url,
            f"sqlite:///{running.workdir / 'tracker.db'}",
            lambda: worker_cpu(running.rasa.pid),
        )
    finally:
        running.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    missing = [
        name
        for name, ok in (
            ("PostgreSQL on 127.0.0.1:5432", reachable("127.0.0.1", 5432)),
            ("Redis on 127.0.0.1:6379", reachable(*REDIS)),
            ("nginx", shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")),
        )
        if not ok
    ]
    if missing:
        if os.environ.get("PACS_REQUIRE_CLUSTER"):
            pytest.fail(f"the cluster profile needs {', '.join(missing)}")
        pytest.skip(f"the cluster profile needs {', '.join(missing)}")
    database = f"pacs_test_{uuid.uuid4().hex[:8]}"
    running = Cluster(
        tmp_path_factory.mktemp("cluster"),
        f"{POSTGRES}/{database}",
        "redis://127.0.0.1:6379/1",
        free_port(),
        lock_prefix=f"pacs-test-{database}",
    ).start()
    try:
        yield Deployment(
            running.url,
            running.tracker_url,
            lambda: {upstream: 1.0 for upstream in running.upstreams_used()},
        )
    finally:
        running.stop()
        engine = sqlalchemy.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(
                sqlalchemy.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            )


def script_for(program):
    """Ten turns about one program; only the first names it."""
    alias = program.aliases[0] if program.aliases else program.name
    return [
        (f"where is {alias}?", f"{program.location.city}, {program.location.state}"),
        ("how much is it?", f"Estimated tuition at {program.name}"),
        ("how long does it take?", f"{program.name}: the expected time to completion"),
        ("who accredits it?", f"{program.name} is accredited"),
        ("is it online?", program.name),
        ("any financial aid?", program.name),
        ("when can I start?", program.name),
        ("what credential do I get?", program.name),
        ("where is it located?", f"{program.location.city}, {program.location.state}"),
        ("thanks!", "You're welcome"),
    ]


async def converse(session, url, sender, script, failures):
    for said, expected in script:
        body = {"sender": sender, "message": said}
        async with session.post(f"{url}/webhooks/rest/webhook", json=body) as response:
            assert response.status == 200
            reply = " ".join(m.get("text", "") for m in await response.json())
        if expected not in reply:
            failures.append((sender, said, expected, reply))


async def drive(url, conversations):
    failures = []
    # A connection per message, as a school portal's server calls: the workers share one
    # listening socket, and a burst of kept-alive connections may all go to one of them.
    connector = aiohttp.TCPConnector(force_close=True)
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(
            *(converse(session, url, s, script, failures) for s, script in conversations.items())
        )
    return failures


@pytest.fixture(params=["embedded", "cluster"])
def deployment(request) -> Deployment:
    return request.getfixturevalue(request.param)


def test_20_concurrent_conversations_keep_their_context_and_every_event_once(deployment):
    programs = load().programs
    conversations = {
        f"cluster-{n:02d}-{uuid.uuid4().hex[:6]}": script_for(programs[n % len(programs)])
        for n in range(STUDENTS)
    }
    before = deployment.activity()

    failures = asyncio.run(drive(deployment.url, conversations))

    assert failures == []  # every reply was about the student's own program
    after = deployment.activity()
    busy = [server for server, amount in after.items() if amount > before.get(server, 0.0)]
    assert len(busy) == 2  # both Rasa processes answered

    engine = sqlalchemy.create_engine(deployment.tracker_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text(
                "SELECT sender_id, id, timestamp, type_name, data FROM events "
                "WHERE sender_id LIKE 'rest:cluster-%' ORDER BY sender_id, id"
            )
        ).fetchall()
    engine.dispose()
    by_sender: dict[str, list] = {}
    for row in rows:
        by_sender.setdefault(row[0], []).append(row)
    assert set(by_sender) == {f"rest:{sender}" for sender in conversations}
    for sender, events in by_sender.items():
        said = [json.loads(e[4])["text"] for e in events if e[3] == "user"]
        script = conversations[sender.removeprefix("rest:")]
        assert said == [turn for turn, _ in script]  # each once, in order
        timestamps = [e[2] for e in events]
        assert timestamps == sorted(timestamps)
        bot_texts = [json.loads(e[4]).get("text") for e in events if e[3] == "bot"]
        assert len(bot_texts) >= TURNS
    total_user_events = sum(1 for r in rows if r[3] == "user")
    assert total_user_events == STUDENTS * TURNS
