"""Fault injection: the bot is killed, flooded and replayed against, and must lose nothing.

``make chaos`` runs this file with the other fault-injection tests (marker ``chaos``): the
action server down, hung and failing on every channel (test_live_failures.py), takeover
attempts on web sessions and REST ids (test_live_sessions.py), hostile request bodies
(test_live_robustness.py, test_live_limits.py) and a Slack event replayed after a restart
(test_live_slack.py). ``make test`` runs them too, as live tests. Each test here prints
its figures (``-s`` shows them); the README quotes them.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from advisor.replies import NO_ANSWER
from scripts.live import Bot
from tests.live_channels import RestStudent, WebSocket, user_texts

pytestmark = [pytest.mark.live, pytest.mark.chaos]

CONVERSATIONS = 50
KILL_AFTER = 10  # second turns answered before Rasa is killed
WEBER = "Weber State University is in Ogden, Utah."
SOCKETS = 200


@pytest.fixture(scope="module")
def own_bot(tmp_path_factory):
    """A bot of this module's own: these tests kill and flood it."""
    bot = Bot(tmp_path_factory.mktemp("chaos")).start()
    yield bot
    bot.stop()


def stored_events(bot, conversation: str) -> list[dict]:
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (conversation,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def turns(events: list[dict]) -> list[list[dict]]:
    """The stored conversation cut at each user message: a turn is the message and all
    that followed it."""
    cut: list[list[dict]] = []
    for event in events:
        if event["event"] == "user":
            cut.append([])
        if cut:
            cut[-1].append(event)
    return cut


def test_rasa_killed_during_50_conversations_keeps_every_whole_turn_and_the_context(own_bot):
    bot = own_bot
    students = [RestStudent(bot) for _ in range(CONVERSATIONS)]
    control = RestStudent(bot)
    control.say("how long is the Weber certificate?")
    expected = control.say("and at Oregon Tech?")  # what a conversation that kept its context gets
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        list(pool.map(lambda s: s.say("how long is the Weber certificate?"), students))

    def second_turn(student: RestStudent) -> list[str] | None:
        try:
            return student.say("and at Clarkson?", timeout=30)
        except OSError:  # the connection died with the server
            return None

    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        futures = [pool.submit(second_turn, s) for s in students]
        deadline = time.monotonic() + 30
        while sum(f.done() for f in futures) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.02)  # then some turns are answered, some under way, some not read
        bot.rasa.kill()  # SIGKILL, the workers too: no shutdown handler runs
        bot.rasa.process.wait()
        answered = [f.result() for f in futures]
    started = time.monotonic()
    bot.rasa.start()
    restart = time.monotonic() - started

    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    kept = 0
    for student, reply in zip(students, answered, strict=True):
        stored = turns(stored_events(bot, student.conversation))
        said = [turn[0]["text"] for turn in stored]
        # nothing lost that was answered, nothing stored twice
        assert said in (
            ["how long is the Weber certificate?", "and at Clarkson?"],
            ["how long is the Weber certificate?"],
        )
        if reply is not None:
            assert len(said) == 2
        kept += len(said) == 2
        # every stored turn is whole: answered, and ended by listening again
        for turn in stored:
            assert any(e["event"] == "bot" for e in turn)
            assert turn[-1]["event"] == "action" and turn[-1]["name"] == "action_listen"
    # the conversation goes on where it was: "and at ...?" still asks about duration
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        after = list(pool.map(lambda s: s.say("and at Oregon Tech?"), students))
    assert all(reply == expected for reply in after)
    replied = sum(reply is not None for reply in answered)
    print(
        f"\nchaos: {CONVERSATIONS} conversations, Rasa SIGKILLed during their second turn: "
        f"{replied} answered before the kill, {kept} turns stored (every one whole), "
        f"integrity ok, restart {restart:.1f} s, context kept in {len(after)}/{CONVERSATIONS}"
    )


def test_200_socketio_connections_at_once_each_get_their_own_session_and_one_reply(own_bot):
    """A burst beyond what two cores answer within the action timeout: each question gets
    its answer or, past the timeout, the apology — never silence, never two — and is kept."""

    async def one(index: int) -> tuple[str, list[str]]:
        async with WebSocket(own_bot.url) as socket:
            return socket.token or "", await socket.ask(
                {"message": "where is Weber State?"}, timeout=180, settle=1.0
            )

    async def all_of_them() -> list[tuple[str, list[str]]]:
        return await asyncio.gather(*(one(i) for i in range(SOCKETS)))

    started = time.monotonic()
    results = asyncio.run(all_of_them())
    seconds = time.monotonic() - started
    tokens = [token for token, _ in results]
    assert len(set(tokens)) == SOCKETS and all(tokens)
    assert all(said in ([WEBER], [NO_ANSWER]) for _, said in results)
    for token, _ in results:
        assert user_texts(own_bot, "web:" + token.split(".")[0]) == ["where is Weber State?"]
    answered = sum(said == [WEBER] for _, said in results)
    # after the burst, a question is answered at once
    assert RestStudent(own_bot).say("where is Weber State?") == [WEBER]
    print(
        f"\nchaos: {SOCKETS} socket.io connections at once, {seconds:.1f} s: {SOCKETS} sessions, "
        f"{answered} answered, {SOCKETS - answered} apologised (action timeout), each question "
        "stored once"
    )
