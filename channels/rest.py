"""The REST channel (``POST /webhooks/rest/webhook``), hardened.

Rasa's own ``RestInput`` answers malformed JSON or a missing field with a 500 and a stack
trace in the log, and an empty list when the action server is down. This subclass keeps its
URL and its request and reply format, and adds: a 400 with a sentence for malformed
requests, the checks of ``channels.guard`` for the text, and an apology instead of silence.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import guard

logger = logging.getLogger(__name__)


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class AdvisorRestInput(RestInput):
    """REST input with validation and a reply for every request."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("advisor_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return _error(400, 'The body must be JSON: {"sender": "...", "message": "..."}.')
            if not isinstance(payload, dict):
                return _error(400, 'The body must be a JSON object with "sender" and "message".')
            sender = guard.check_sender(payload.get("sender"))
            if sender is None:
                return _error(400, '"sender" must be a non-empty string of up to 128 characters.')
            metadata = payload.get("metadata")
            if metadata is not None and not isinstance(metadata, dict):
                return _error(400, '"metadata" must be a JSON object when given.')

            checked = guard.check_text(payload.get("message"))
            if checked.reply:
                return response.json([{"recipient_id": sender, "text": checked.reply}])

            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        checked.text,
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=metadata,
                    )
                )
            except Exception:  # the student still gets an answer; the log gets the details
                logger.exception("Handling a REST message failed (sender %s).", sender)
            return response.json(guard.or_apology(collector.messages, sender))

        return webhook
