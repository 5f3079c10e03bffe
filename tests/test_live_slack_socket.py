"""Slack in Socket Mode, for real: the running bot (Rasa and action server, at DEBUG level)
connects to a local websocket server standing in for Slack's Socket Mode end, whose URL the
fake Web API hands out from apps.connections.open. Envelopes go down the socket as Slack
sends them; each must be acknowledged, and the replies reach the fake Web API
(chat.postMessage) in the thread of the question. The bot answers from a copy of the real
knowledge/; the figures expected are read from that copy."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import websockets
from conftest import tuition_text

from advisor import replies
from channels.guard import MAX_MESSAGE_CHARS
from scripts.live import Bot
from tests.live_channels import SlackStudent, action_server
from tests.test_live_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    FakeSlackApi,
    bot_with_slack,
    button_click,
    event,
)

pytestmark = pytest.mark.live


class FakeSocketMode:
    """Slack's Socket Mode end: takes the bot's websocket, greets it with ``hello`` as Slack
    does, sends it envelopes and records what the bot sends back."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.sockets: list = []
        self.received: list[dict] = []
        self.server = self._run(self._serve())
        self.url = f"ws://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/"

    async def _serve(self):
        return await websockets.serve(self._session, "127.0.0.1", 0)

    def _run(self, coroutine, timeout: float = 10):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _session(self, socket, path: str = "/") -> None:
        await socket.send(json.dumps({"type": "hello", "num_connections": 1}))
        self.sockets.append(socket)
        async for raw in socket:
            self.received.append(json.loads(raw))

    def wait_for_connections(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.open_sockets()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.open_sockets()) >= count, "the bot did not connect to the socket"

    def open_sockets(self) -> list:
        return [s for s in self.sockets if s.open]

    def send(self, envelope: dict, timeout: float = 10, connection: int = -1) -> bool:
        """Send an envelope on a connection (the newest by default); True once the bot
        acknowledged it."""
        self._run(self.open_sockets()[connection].send(json.dumps(envelope)))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if {"envelope_id": envelope["envelope_id"]} in self.received:
                return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self.server.close()
        self._run(self.server.wait_closed())
        self.loop.call_soon_threadsafe(self.loop.stop)


def events_api(payload: dict, retry_attempt: int = 0) -> dict:
    """An Events API envelope, as Slack sends it down the socket."""
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": "events_api",
        "payload": payload,
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }


def interactive(payload: dict) -> dict:
    """An interactive envelope (a button click), as Slack sends it down the socket."""
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": "interactive",
        "payload": payload,
        "accepts_response_payload": False,
    }


class SocketStudent(SlackStudent):
    """A Slack user whose messages reach the bot down the socket, not over HTTP."""

    def __init__(self, bot, api: FakeSlackApi, socket: FakeSocketMode) -> None:
        super().__init__(bot, api)
        self.socket = socket

    def send(self, text: str, payload: dict | None = None) -> dict:
        payload = payload or event(text)
        payload["event"]["user"] = self.user
        assert self.socket.send(events_api(payload)), "the envelope was not acknowledged"
        return payload


@contextmanager
def bot_with_slack_socket(directory: Path) -> Iterator[tuple[Bot, FakeSlackApi, FakeSocketMode]]:
    """A real bot with Slack in Socket Mode, connected to a FakeSocketMode; its Web API calls
    go to a FakeSlackApi. Both servers log at DEBUG level."""
    socket = FakeSocketMode()
    try:
        with bot_with_slack(directory, socket_url=socket.url, debug=True) as (bot, api):
            socket.wait_for_connections(1)
            yield bot, api, socket
    finally:
        socket.close()


@pytest.fixture(scope="module")
def slack_socket(tmp_path_factory):
    with bot_with_slack_socket(tmp_path_factory.mktemp("slacksocket")) as running:
        yield running


def test_the_bot_connects_with_its_app_token_and_says_so_on_its_health_route(slack_socket):
    bot, api, _ = slack_socket
    opened = [auth for path, auth in api.tokens if path.endswith("apps.connections.open")]
    assert opened and set(opened) == {f"Bearer {APP_TOKEN}"}
    with urllib.request.urlopen(bot.url + "/webhooks/slack_socket/", timeout=10) as answer:
        assert json.loads(answer.read()) == {"status": "ok", "connected": True}


def test_no_events_api_route_is_open_in_socket_mode(slack_socket):
    bot, _, _ = slack_socket
    request = urllib.request.Request(bot.url + "/webhooks/slack/webhook", data=b"{}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 404


def test_a_channel_mention_is_acknowledged_and_answered_in_its_thread(slack_socket):
    bot, api, socket = slack_socket
    student = SocketStudent(bot, api, socket)
    payload = student.send("what would I pay per credit hour at Clarkson?")
    (reply,) = [p for p in api.wait_for_posts(1) if p.get("thread_ts") == payload["event"]["ts"]]
    assert tuition_text(bot.knowledge_dir, "clarkson") in reply["text"]
    assert reply["channel"] == "C0001"
    posted_with = {auth for path, auth in api.tokens if path.endswith("chat.postMessage")}
    assert posted_with == {f"Bearer {BOT_TOKEN}"}


def test_a_direct_message_gets_buttons_and_a_click_is_answered_in_the_same_thread(slack_socket):
    bot, api, socket = slack_socket
    student = SocketStudent(bot, api, socket)
    question = student.send("", event("how much does it cost?", "im", "message"))
    thread = question["event"]["ts"]
    student.replies_in_thread(thread)
    (reply,) = [p for p in student.in_thread(thread) if p.get("blocks")]
    assert reply["channel"] == "D0001"

    click = button_click(student.user, reply, "Clarkson College")
    assert socket.send(interactive(click)), "the click was not acknowledged"
    texts = student.replies_in_thread(thread)
    assert len(texts) > 1
    assert tuition_text(bot.knowledge_dir, "clarkson") in " ".join(texts[1:])


def test_a_repeated_envelope_is_acknowledged_but_not_answered_twice(slack_socket):
    bot, api, socket = slack_socket
    student = SocketStudent(bot, api, socket)
    payload = student.send("where is Weber State?")
    assert "Ogden, Utah" in " ".join(student.replies_in_thread(payload["event"]["ts"]))
    for attempt in (1, 2):  # Slack re-sends an event it thinks went unacknowledged
        assert socket.send(events_api(payload, retry_attempt=attempt))
    time.sleep(3)
    assert len(student.in_thread(payload["event"]["ts"])) == 1


def test_an_over_long_message_gets_its_sentence_in_the_thread(slack_socket):
    bot, api, socket = slack_socket
    student = SocketStudent(bot, api, socket)
    text = "how much is Weber? " * 200
    answer = student.say(text)
    assert answer == [replies.too_long(len(text.strip()), MAX_MESSAGE_CHARS)]


def test_with_the_action_server_down_the_student_gets_the_apology_then_answers(slack_socket):
    bot, api, socket = slack_socket
    student = SocketStudent(bot, api, socket)
    with action_server(bot, "down"):
        assert student.say("is Weber State accredited?") == [replies.NO_ANSWER]
    assert "Ogden, Utah" in " ".join(student.say("where is Weber State?"))


def test_when_slack_asks_the_bot_to_reconnect_it_opens_a_new_connection(slack_socket):
    bot, api, socket = slack_socket
    opened = len([p for p, _ in api.tokens if p.endswith("apps.connections.open")])
    old = socket.open_sockets()[-1]
    socket._run(old.send(json.dumps({"type": "disconnect", "reason": "refresh_requested"})))
    deadline = time.monotonic() + 30
    while socket.open_sockets()[-1:] == [old] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert socket.open_sockets()[-1] is not old
    assert len([p for p, _ in api.tokens if p.endswith("apps.connections.open")]) == opened + 1
    student = SocketStudent(bot, api, socket)
    assert "Omaha, Nebraska" in " ".join(student.say("where is Clarkson College?"))


def test_at_debug_level_no_log_line_holds_what_students_wrote_on_slack(slack_socket):
    bot, api, socket = slack_socket
    marker = f"zebra{uuid.uuid4().hex[:8]}"
    student = SocketStudent(bot, api, socket)
    assert student.say(f"is the {marker} program online?")
    log = (bot.workdir / "rasa.log").read_text()
    assert "DEBUG" in log  # the level really was DEBUG
    assert marker not in log


def test_an_envelope_sent_again_on_another_servers_connection_is_not_answered_twice(
    slack_socket, tmp_path
):
    """The cluster profile: two servers, each with its connection, one store of events taken.
    Slack may re-send an envelope on another connection of the app."""
    bot, api, socket = slack_socket
    shared = f"sqlite:///{bot.workdir / 'slack_events.db'}"
    connections = len(socket.open_sockets())
    with bot_with_slack(tmp_path, socket_url=socket.url, events_url=shared) as (_, other_api):
        socket.wait_for_connections(connections + 1)
        student = SocketStudent(bot, api, socket)
        payload = event("where is Weber State?")
        payload["event"]["user"] = student.user
        assert socket.send(events_api(payload), connection=0)
        assert socket.send(events_api(payload, retry_attempt=1), connection=-1)
        assert "Ogden, Utah" in " ".join(student.replies_in_thread(payload["event"]["ts"]))
        time.sleep(3)
        answers = [p for p in api.posts() + other_api.posts()
                   if p.get("thread_ts") == payload["event"]["ts"]]  # fmt: skip
        assert len(answers) == 1
