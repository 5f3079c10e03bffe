"""The REST channel (``POST /webhooks/rest/webhook``), hardened — a server-to-server channel.

Rasa's own ``RestInput`` answers malformed JSON or a missing field with a 500 and a stack
trace in the log, and an empty list when the action server is down. This subclass keeps its
URL and its request and reply format, and adds:

- a 400 with a sentence for malformed requests, including JSON Python cannot follow
  (a 100,000-deep array), NaN or numbers out of range;
- the checks of ``channels.guard`` for the text; metadata only as a JSON object of at most
  2 KB (it is stored with every message);
- an apology instead of silence, also when the action server hangs (``channels.limits``);
- conversations of their own: sender ``x`` is the conversation ``rest:x``
  (``channels.sessions``), never a web or Slack conversation;
- a bearer token when ``REST_TOKEN`` is set: ``Authorization: Bearer <REST_TOKEN>``, else
  401. The REST channel is for the school's own servers (a portal, a test harness): the
  sender id is whatever the caller says, so anyone who may call it may continue any REST
  conversation. Browsers use the socket.io channel, whose sessions are issued by the server.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import action_calls, guard, limits, privacy, sessions


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class CountingCollector(CollectingOutputChannel):
    """Rasa's collecting output, with the count ``guard.with_apology`` reads."""

    @property
    def sent(self) -> int:
        return len(self.messages)


class AdvisorRestInput(RestInput):
    """REST input with validation and a reply for every request."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> AdvisorRestInput:
        action_calls.prepare()
        return cls()

    def authorised(self, request: Request) -> bool:
        """True when no ``REST_TOKEN`` is set, or the request carries it as a bearer token."""
        token = os.environ.get("REST_TOKEN")
        if not token:
            return True
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            value.strip().encode(), token.encode()
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        privacy.protect_logs()
        webhook = Blueprint("advisor_rest_webhook", __name__)
        limits.cap_bodies(webhook)
        handle = guard.with_apology(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return _error(
                    401, "This channel needs the token: Authorization: Bearer <REST_TOKEN>."
                )
            try:
                payload = guard.parse_json(request.body)
            except guard.BadJson:
                return _error(400, 'The body must be JSON: {"sender": "...", "message": "..."}.')
            if not isinstance(payload, dict):
                return _error(400, 'The body must be a JSON object with "sender" and "message".')
            sender = guard.check_sender(payload.get("sender"))
            if sender is None:
                return _error(400, '"sender" must be a non-empty string of up to 128 characters.')
            raw_metadata = payload.get("metadata")
            metadata = guard.check_metadata(raw_metadata)
            if raw_metadata is not None and metadata is None:
                return _error(
                    400,
                    f'"metadata" must be a JSON object of at most {guard.MAX_METADATA_BYTES:,} '
                    "bytes when given.",
                )

            checked = guard.check_text(payload.get("message"))
            if checked.reply:
                return response.json([{"recipient_id": sender, "text": checked.reply}])

            collector = CountingCollector()
            await handle(
                UserMessage(
                    checked.text,
                    collector,
                    sessions.conversation_id("rest", sender),
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )
            # the caller knows its conversation by its own sender id
            return response.json([{**m, "recipient_id": sender} for m in collector.messages])

        return webhook
