"""One student on each channel of a running bot, behind one interface, and action servers
that misbehave — for live tests of how every channel fails (and for fault injection).

``student(channel, bot, slack_api)`` gives an object whose ``say(text)`` returns the bot's
reply texts for one turn: over REST, over the web chat's socket.io (reconnecting each turn
with the session token it was issued, as a page reload does), or as signed Slack events
whose replies reach ``FakeSlackApi``.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import socketio

from tests.test_live_slack import FakeSlackApi, event, post, signed

CHANNELS = ["rest", "web", "slack"]
WEB_ORIGIN = "http://localhost:8080"


class RestStudent:
    def __init__(self, bot, token: str | None = None) -> None:
        self.url = bot.url + "/webhooks/rest/webhook"
        self.sender = f"rest-{uuid.uuid4().hex[:10]}"
        self.token = token
        self.conversation = f"rest:{self.sender}"

    def say(self, text: str, timeout: float = 60) -> list[str]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(self.url, data=body, headers=headers)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return [m.get("text", "") for m in json.loads(response.read())]


class WebStudent:
    """The web chat: one socket per turn, presenting the token it was issued."""

    def __init__(self, bot, token: str | None = None) -> None:
        self.url = bot.url
        self.token = token

    @property
    def conversation(self) -> str:
        return "web:" + (self.token or "").split(".")[0]

    def say(self, text: str, timeout: float = 60, settle: float = 0.8) -> list[str]:
        return asyncio.run(self.turn({"message": text}, timeout, settle))

    async def turn(self, payload, timeout: float = 60, settle: float = 0.8) -> list[str]:
        async with WebSocket(self.url, self.token) as socket:
            self.token = socket.token
            return await socket.ask(payload, timeout, settle)


class WebSocket:
    """One socket.io connection that asked for a session (``token`` or a new one)."""

    def __init__(self, url: str, token: object = None, origin: str = WEB_ORIGIN) -> None:
        self.url, self.requested, self.origin = url, token, origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", self.replies.put_nowait)
        self.token: str | None = None

    async def __aenter__(self) -> WebSocket:
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        self.client.on("session_confirm", lambda token: confirmed.set_result(token))
        await self.client.connect(
            self.url, headers={"Origin": self.origin}, transports=["websocket"]
        )
        await self.client.emit("session_request", {"session_id": self.requested})
        self.token = await asyncio.wait_for(confirmed, 10)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.eio.disconnect(abort=True)

    async def ask(self, payload, timeout: float = 60, settle: float = 0.8) -> list[str]:
        await self.client.emit("user_uttered", payload)
        received = [await asyncio.wait_for(self.replies.get(), timeout)]
        return [m.get("text", "") for m in received + await self.more(settle)]

    async def more(self, settle: float = 0.8) -> list[dict]:
        """Whatever else arrives until nothing came for ``settle`` seconds."""
        received = []
        while True:
            try:
                received.append(await asyncio.wait_for(self.replies.get(), settle))
            except asyncio.TimeoutError:
                return received


class SlackStudent:
    """A Slack user mentioning the bot in a channel; replies are read from the fake API."""

    def __init__(self, bot, api: FakeSlackApi) -> None:
        self.bot, self.api = bot, api
        self.user = f"U{uuid.uuid4().hex[:8].upper()}"
        self.conversation = f"slack:{self.user}"

    def send(self, text: str, payload: dict | None = None) -> dict:
        payload = payload or event(text)
        payload["event"]["user"] = self.user
        body = json.dumps(payload)
        status, _ = post(self.bot, body, signed(body))
        assert status == 200
        return payload

    def say(self, text: str, timeout: float = 60, settle: float = 1.0) -> list[str]:
        ts = self.send(text)["event"]["ts"]
        return self.replies_in_thread(ts, timeout, settle)

    def replies_in_thread(self, ts: str, timeout: float = 60, settle: float = 1.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while not self.in_thread(ts) and time.monotonic() < deadline:
            time.sleep(0.1)
        count = -1
        while count != len(self.in_thread(ts)):
            count = len(self.in_thread(ts))
            time.sleep(settle)
        return [p.get("text", "") for p in self.in_thread(ts)]

    def in_thread(self, ts: str) -> list[dict]:
        return [p for p in self.api.posts() if p.get("thread_ts") == ts]


def student(channel: str, bot, slack_api: FakeSlackApi | None = None):
    if channel == "rest":
        return RestStudent(bot)
    if channel == "web":
        return WebStudent(bot)
    return SlackStudent(bot, slack_api)


def user_texts(bot, conversation: str) -> list[str]:
    """What the tracker store holds as said in a conversation, in order."""
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (conversation,),
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


class _Misbehaving(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def action_server(bot, behaviour: str) -> Iterator[None]:
    """Replace the bot's action server while the block runs: ``down`` (nothing listens),
    ``hung`` (accepts the call, never answers) or ``failing`` (a 500 whose body quotes the
    whole request, as rasa_sdk answers for an action that raised)."""
    bot.actions.stop()
    server = None
    if behaviour != "down":

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if behaviour == "hung":
                    time.sleep(600)
                    return
                reply = json.dumps(
                    {"error": "boom", "request_body": json.loads(body or b"null")}
                ).encode()
                self.send_response(500)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        server = _Misbehaving(("127.0.0.1", bot.actions_port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        if server:
            server.shutdown()
            server.server_close()
        bot.actions.start()


def rest_status(bot, body: bytes, headers: dict | None = None) -> tuple[int, object]:
    """POST a raw body to the REST webhook: (status, parsed JSON answer)."""
    request = urllib.request.Request(
        bot.url + "/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
