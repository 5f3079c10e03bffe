"""The socket.io channel for the web chat, hardened.

Rasa's ``SocketIOInput`` accepts connections from any origin (``cors_allowed_origins=[]``
switches python-engineio's origin check off), crashes on a payload that is not an object,
and stays silent when the action server is down. This subclass keeps Rasa's events
(``session_request`` / ``session_confirm`` / ``user_uttered`` / ``bot_uttered``) and adds:
an origin allow-list, the checks of ``channels.guard``, an apology instead of silence, and
an awaited ``enter_room`` (a coroutine in current python-socketio: Rasa's call without
``await`` leaves the client outside its session room, so it never receives a reply).

Allowed origins: ``cors_allowed_origins`` in credentials.yml, or the comma-separated
environment variable ``PACS_ALLOWED_ORIGINS`` (which wins).
"""

from __future__ import annotations

import inspect
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from advisor import replies
from channels import guard

logger = logging.getLogger(__name__)
DEFAULT_ORIGINS = ["http://localhost:8080", "http://127.0.0.1:8080"]


class CountingOutput(SocketIOOutput):
    """Socket.io output that remembers whether anything was sent for this message."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """A reply with a table goes out as one message: the page shows the table."""
        table = (message.get("custom") or {}).get("table")
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
        channel = cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", True),
            credentials.get("socketio_path", "/socket.io"),
        )
        from_env = os.environ.get("PACS_ALLOWED_ORIGINS")
        origins = from_env.split(",") if from_env else credentials.get("cors_allowed_origins")
        channel.allowed_origins = [o.strip() for o in origins or DEFAULT_ORIGINS if o.strip()]
        return channel

    allowed_origins: list[str] = DEFAULT_ORIGINS

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Any:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allowed_origins)
        webhook = SocketBlueprint(sio, self.socketio_path, "advisor_socketio_webhook", __name__)
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            session = guard.check_sender(data.get("session_id")) or uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, session)
                if inspect.isawaitable(joined):  # a coroutine since python-socketio 5.x
                    await joined
            await sio.emit("session_confirm", session, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            output = CountingOutput(sio, self.bot_message_evt)
            data = data if isinstance(data, dict) else {}
            sender = guard.check_sender(data.get("session_id")) if self.session_persistence else sid
            if sender is None:
                await sio.emit(self.bot_message_evt, {"text": replies.NO_SESSION}, room=sid)
                return
            checked = guard.check_text(data.get("message"))
            if checked.reply:
                await output.send_text_message(sender, checked.reply)
                return
            metadata = data.get("metadata")
            try:
                await on_new_message(
                    UserMessage(
                        checked.text,
                        output,
                        sender,
                        input_channel=self.name(),
                        metadata=metadata if isinstance(metadata, dict) else None,
                    )
                )
            except Exception:  # the student still gets an answer; the log gets the details
                logger.exception("Handling a socket.io message failed (session %s).", sender)
            if not output.sent:
                await output.send_text_message(sender, replies.NO_ANSWER)

        return webhook
