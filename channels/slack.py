"""Rasa's Slack connector, configured from the environment, failing like the other channels.

Slack delivers a question in one of two ways, and both end in the same place:

- the **Events API** (this module's ``AdvisorSlackInput``, ``/webhooks/slack/webhook``):
  Slack POSTs each event to a public HTTPS request URL, signed with the signing secret;
- **Socket Mode** (``channels.slack_socket``): the bot opens a websocket to Slack and the
  events come down it, with no public URL.

Either way the transport hands the event's body to ``receive_event`` (a message, a mention)
or ``receive_interaction`` (a button click), which reads it into a ``SlackMessage``, and
``answer`` does the rest: de-duplication, input checks, the turn, the reply in the thread.

Kept from Rasa: signature check with the signing secret (required for the Events API),
refusal of requests older than 5 minutes, which events are for the bot (mentions, direct
messages, the one configured channel; never a bot's own), the bot's mention taken out of
the text, answering in a background task, Block Kit buttons, mrkdwn text.

Added here:
- configuration from environment variables — SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, optional
  SLACK_CHANNEL, and SLACK_API_URL (the Web API base URL, so tests can stand in for Slack);
- answers always go into the thread of the question;
- the same input checks as REST and the web chat (``channels.guard``): an over-long message
  or an empty mention gets its sentence, and never reaches the bot;
- the same apology as the other channels when the bot sent nothing (action server down,
  failing, or hung past ``ACTION_TIMEOUT``);
- conversations of their own: Slack user ``U1`` is the conversation ``slack:U1``, in both modes;
- **no second answer on a retry.** Slack re-sends an event it thinks was slow (Events API:
  X-Slack-Retry-Num; Socket Mode: an envelope not acknowledged in time). Rasa only drops
  retries whose reason is ``http_timeout``; here every event id (and every button click's
  trigger id) is remembered for an hour outside the process (``channels.seen``: SQLite by
  default, Redis in the cluster profile), so a repeat is acknowledged, not answered — after
  a restart too, and on whichever instance or connection it lands;
- a malformed (but signed) body gets 400, not 500;
- the hand-off channel (``HANDOFF_SLACK_CHANNEL``) is the hand-off's: its events and its
  Close button are taken by ``channels.handoff`` before the bot sees them, in both modes.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from advisor.privacy import describe
from channels import action_calls, guard, handoff, limits, privacy, seen, sessions

logger = logging.getLogger(__name__)
DEFAULT_API_URL = "https://slack.com/api/"
# The channel name stored with each message and used in conversation ids, whichever way the
# message came: a student is the same conversation over the Events API and Socket Mode.
CHANNEL = "slack"

Handler = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class SlackMessage:
    """What a student said to the bot on Slack — a message, a mention or a button click —
    read from the event, whichever way the event came."""

    key: str | None  # the event id or the click's trigger id: a repeat of it is not answered
    user: str
    text: str | None
    channel: str | None
    thread_id: str | None  # the thread the answer goes to: the question's own ts, or its thread's
    users: list[str] = field(default_factory=list)  # Rasa's metadata: who the event is for

    @property
    def metadata(self) -> dict[str, Any]:
        """Rasa's Slack metadata, stored with the message."""
        return {"out_channel": self.channel, "thread_id": self.thread_id, "users": self.users}


class AdvisorSlackBot(SlackBot):
    """Slack output that talks to a configurable Web API base URL and counts what it sent."""

    def __init__(self, token: str, channel: str | None, thread_id: str | None,
                 proxy: str | None, api_url: str) -> None:  # fmt: skip
        super().__init__(token, channel, thread_id, proxy)
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)
        self.sent = 0

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        self.sent += 1
        await super()._post_message(channel, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        """Slack has no tables: the plain-text version of a table was already sent."""
        if "table" not in json_message:
            await super().send_custom_json(recipient_id, json_message, **kwargs)


class AdvisorSlackInput(SlackInput):
    """Slack Events API input: /webhooks/slack/webhook."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> AdvisorSlackInput:
        action_calls.prepare()
        credentials = credentials or {}
        channel = cls(
            credentials.get("slack_token") or os.environ.get("SLACK_BOT_TOKEN", ""),
            credentials.get("slack_channel") or os.environ.get("SLACK_CHANNEL") or None,
            credentials.get("proxy"),
            "x-slack-retry-reason",
            "x-slack-retry-num",
            None,
            True,  # answer in the thread of the question
            credentials.get("slack_signing_secret") or os.environ.get("SLACK_SIGNING_SECRET", ""),
            credentials.get("conversation_granularity", "sender"),
        )
        channel.api_url = os.environ.get("SLACK_API_URL") or DEFAULT_API_URL
        channel.seen = seen.from_url()
        return channel

    api_url: str = DEFAULT_API_URL
    seen: seen.SeenEvents

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        return AdvisorSlackBot(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url
        )

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """The Events API: Slack's signed POSTs, read and handed to the shared path."""
        privacy.protect_logs()
        handle = guard.with_apology(on_new_message)
        webhook = Blueprint("slack_webhook", __name__)
        limits.cap_bodies(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET", "POST"])
        async def webhook_event(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                return response.text(
                    "Message is not properly signed with a valid X-Slack-Signature header",
                    status=HTTPStatus.BAD_REQUEST,
                )
            content_type = request.headers.get("content-type")
            if content_type == "application/json":
                body = guard.parse_json(request.body)
                if isinstance(body, dict) and "challenge" in body:  # the request URL check
                    return response.json({"challenge": body["challenge"]})
                first_time = await self.receive_event(body, handle)
            elif content_type == "application/x-www-form-urlencoded":
                first_time = await self.receive_interaction(
                    guard.parse_json(request.form.get("payload")), handle
                )
            else:
                return response.text("")
            if not first_time:
                return response.text("", headers={"X-Slack-No-Retry": "1"})
            return response.text("")

        @webhook.exception(Exception)
        async def malformed(request: Request, error: Exception) -> Any:
            logger.warning("A Slack request could not be read: %s", describe(error))
            return response.json({"error": "The request could not be read."}, status=400)

        return webhook

    # --- the path both modes share: an event's body arrives, the student is answered ---------

    async def receive_event(self, body: Any, handle: Handler) -> bool:
        """An Events API body (``event_callback``: a message or a mention), from the request
        URL or a Socket Mode envelope. Answers it when it is for the bot; False when it
        repeats an event already taken."""
        taken = await handoff.bridge().take_slack_event(body, self.seen.first_time)
        if taken is not None:  # the hand-off channel's: a staff reply, "done", or its talk
            return taken
        message = self.message_of_event(body)
        return await self.answer(message, handle) if message else True

    async def receive_interaction(self, payload: Any, handle: Handler) -> bool:
        """An interaction payload (``block_actions``: a button of the bot's was clicked), from
        the request URL or a Socket Mode envelope; False when it repeats one already taken."""
        taken = await handoff.bridge().take_slack_action(payload, self.seen.first_time)
        if taken is not None:  # the Close button of a hand-off
            return taken
        message = self.message_of_interaction(payload)
        return await self.answer(message, handle) if message else True

    def message_of_event(self, body: Any) -> SlackMessage | None:
        """The student's message in an event body, or None when the event is not one for the
        bot: a bot's own message, an edit, a channel where it was not mentioned."""
        if not isinstance(body, dict) or not isinstance(body.get("event"), dict):
            return None
        if not self._is_user_message(body):
            return None
        event = body["event"]
        authorizations = body.get("authorizations") or [{}]
        bot = authorizations[0].get("user_id") if isinstance(authorizations[0], dict) else None
        users = [str(u) for u in body.get("authed_users") or [bot] if u]
        message = SlackMessage(
            key=body.get("event_id"),
            user=str(event.get("user") or ""),
            text=self._sanitize_user_message(str(event["text"]), users),
            channel=event.get("channel"),
            thread_id=event.get("thread_ts", event.get("ts")),
            users=users,
        )
        return message if self._is_supported_channel(body, message.metadata) else None

    def message_of_interaction(self, payload: Any) -> SlackMessage | None:
        """The answer a button click gives, or None for anything else (a link button, a kind
        of interaction the bot does not offer)."""
        if not isinstance(payload, dict) or not self._is_interactive_message(payload):
            return None
        text = self._get_interactive_response(payload["actions"][0])
        user = (payload.get("user") or {}).get("id")
        if text is None or not user:
            return None
        message = payload.get("message") or {}
        return SlackMessage(
            key=payload.get("trigger_id"),
            user=str(user),
            text=text,
            channel=(payload.get("channel") or {}).get("id"),
            thread_id=message.get("thread_ts", message.get("ts")),
            users=[str(user)],
        )

    async def answer(self, message: SlackMessage, handle: Handler) -> bool:
        """Take a message once (False for a repeat), check it, and answer it in its thread
        in the background — the same for every way a Slack message arrives."""
        if message.key and not await self.seen.first_time(str(message.key)):
            return False
        if not message.user:
            return True
        conversation = sessions.conversation_id(
            CHANNEL, self._get_conversation_id(message.user, message.channel, message.thread_id)
        )
        output = self.get_output_channel(message.channel, message.thread_id)
        checked = guard.check_text(message.text)
        if checked.reply:  # answered here, in the question's thread, like the bot would
            self._in_background(output.send_text_message(conversation, checked.reply))
            return True
        self._in_background(
            handle(
                UserMessage(
                    checked.text,
                    output,
                    conversation,
                    input_channel=CHANNEL,
                    metadata=message.metadata,
                )
            )
        )
        return True

    def _in_background(self, sending: Awaitable[None]) -> None:
        async def send() -> None:
            try:
                await sending
            except Exception as error:
                logger.error("Answering on Slack failed: %s", describe(error))

        task = asyncio.create_task(send())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
