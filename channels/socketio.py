"""The socket.io channel for the web chat, hardened.

Rasa's ``SocketIOInput`` accepts connections from any origin (``cors_allowed_origins=[]``
switches python-engineio's origin check off), crashes on a payload that is not an object,
stays silent when the action server is down, and lets a browser name any session id it
likes — a second browser naming someone's id joins their conversation. This subclass keeps
Rasa's events (``session_request`` / ``session_confirm`` / ``user_uttered`` /
``bot_uttered``) and adds:

- sessions issued by the server (``channels.sessions``: the protocol is described there):
  128 random bits, a signed token the browser keeps for reload-and-continue, and each
  socket bound to the session it was confirmed — a ``session_id`` in ``user_uttered``
  is ignored; conversations are ``web:<session id>`` in the tracker store;
- an origin allow-list, the checks of ``channels.guard``, metadata of at most 2 KB (else
  dropped), messages of at most 64 KB (``channels.limits``);
- WebSocket only, no long-polling: the Rasa server runs several worker processes (one per
  core) or several servers behind a load balancer, and a socket.io session lives in the
  process that opened it. A WebSocket stays with that process; long-polling's separate
  requests would land on the others (or need sticky sessions in front); replies to a
  conversation open in two tabs reach both, whichever workers hold them (``channels.relay``);
- an apology instead of silence, also when the action server hangs;
- an awaited ``enter_room`` (a coroutine in current python-socketio: Rasa's call without
  ``await`` leaves the client outside its session room, so it never receives a reply).

Allowed origins: ``cors_allowed_origins`` in credentials.yml, or the comma-separated
environment variable ``PACS_ALLOWED_ORIGINS`` (which wins).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from advisor import replies
from channels import action_calls, guard, handoff, limits, privacy, relay, sessions

DEFAULT_ORIGINS = ["http://localhost:8080", "http://127.0.0.1:8080"]


class CountingOutput(SocketIOOutput):
    """Socket.io output that remembers whether anything was sent for this message, and hands
    a hand-off request of the bot (``action_handoff``) to ``channels.handoff``."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """A reply with a table goes out as one message: the page shows the table."""
        custom = message.get("custom") or {}
        if "handoff" in custom:
            self.sent += 1
            await handoff.bridge().start(recipient_id, custom["handoff"])
            return
        table = custom.get("table")
        if table and message.get("text"):
            await self._send_message(recipient_id, {"text": message["text"], "table": table})
            return
        await super().send_response(recipient_id, message)


class AdvisorSocketIOInput(SocketIOInput):
    """Socket.io input with an origin allow-list, input checks and a reply for every message."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> AdvisorSocketIOInput:
        credentials = credentials or {}
        action_calls.prepare()
        channel = cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,  # a session outlives its socket: reload-and-continue
            credentials.get("socketio_path", "/socket.io"),
        )
        from_env = os.environ.get("PACS_ALLOWED_ORIGINS")
        origins = from_env.split(",") if from_env else credentials.get("cors_allowed_origins")
        channel.allowed_origins = [o.strip() for o in origins or DEFAULT_ORIGINS if o.strip()]
        return channel

    allowed_origins: list[str] = DEFAULT_ORIGINS

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Any:
        privacy.protect_logs()
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.allowed_origins,
            max_http_buffer_size=limits.MAX_BODY_BYTES,
            # One socket, one worker process: long-polling sends each request anew, to
            # whichever of the Rasa workers takes it, and that one does not know the session.
            transports=["websocket"],
            # a reply reaches the conversation's sockets in the other workers too
            client_manager=relay.client_manager(),
        )
        webhook = SocketBlueprint(sio, self.socketio_path, "advisor_socketio_webhook", __name__)
        limits.cap_bodies(webhook)
        self.sio = sio
        web_sessions = sessions.WebSessions()
        handle = guard.with_apology(on_new_message)
        bridge = handoff.bridge()

        async def to_conversation(conversation: str, message: dict) -> None:
            await sio.emit(
                self.bot_message_evt, message, room=conversation, namespace=self.namespace
            )

        @webhook.listener("after_server_start")
        async def start_handoffs(*_: Any) -> None:
            bridge.attach_web(to_conversation)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            session, token = web_sessions.open(data.get("session_id"))
            conversation = sessions.conversation_id("web", session)
            previous = await self._conversation_of(sid)
            if previous and previous != conversation:
                await _call(sio.leave_room(sid, previous, namespace=self.namespace))
            await sio.save_session(sid, {"conversation": conversation}, namespace=self.namespace)
            await _call(sio.enter_room(sid, conversation, namespace=self.namespace))
            await sio.emit("session_confirm", token, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            output = CountingOutput(sio, self.bot_message_evt)
            data = data if isinstance(data, dict) else {}
            conversation = await self._conversation_of(sid)
            if conversation is None:  # no session_request on this socket yet
                await sio.emit(self.bot_message_evt, {"text": replies.NO_SESSION}, room=sid)
                return
            checked = guard.check_text(data.get("message"))
            if checked.reply:
                await output.send_text_message(conversation, checked.reply)
                return
            if await bridge.intercept(conversation, checked.text or ""):
                return  # a person is handling it, or a question is being left for them
            metadata = guard.check_metadata(data.get("metadata"))
            if metadata is not None:  # whether this chat can hand over is the server's word
                metadata.pop("handoff", None)
            if bridge.available:
                metadata = {**(metadata or {}), "handoff": True}
            await handle(
                UserMessage(
                    checked.text,
                    output,
                    conversation,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        @sio.on("handoff_history", namespace=self.namespace)
        async def handoff_history(sid: str, data: Any = None) -> None:
            """A page that comes back asks for what the admissions team (and the bot, about
            the hand-off) sent after the last message it saw: ``{"after": <handoff_id>}``."""
            conversation = await self._conversation_of(sid)
            if conversation is None:
                return
            after = data.get("after") if isinstance(data, dict) else None
            for message in await bridge.history(conversation, after):
                await sio.emit(self.bot_message_evt, message, room=sid, namespace=self.namespace)

        return webhook

    async def _conversation_of(self, sid: str) -> str | None:
        """The conversation this socket was confirmed, if any."""
        try:
            return (await self.sio.get_session(sid, namespace=self.namespace)).get("conversation")
        except KeyError:  # a socket that disconnected meanwhile
            return None


async def _call(result: Any) -> None:
    """Await ``result`` when python-socketio returned a coroutine (5.x), else nothing to do."""
    if inspect.isawaitable(result):
        await result
