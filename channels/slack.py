"""Rasa's Slack connector, configured from the environment, failing like the other channels.

Kept from Rasa: signature check with the signing secret (required), refusal of requests
older than 5 minutes, answering in a background task, Block Kit buttons, mrkdwn text.

Added here:
- configuration from environment variables — SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, optional
  SLACK_CHANNEL, and SLACK_API_URL (the Web API base URL, so tests can stand in for Slack);
- answers always go into the thread of the question;
- the same input checks as REST and the web chat (``channels.guard``): an over-long message
  or an empty mention gets its sentence, and never reaches the bot;
- the same apology as the other channels when the bot sent nothing (action server down,
  failing, or hung past ``ACTION_TIMEOUT``);
- conversations of their own: Slack user ``U1`` is the conversation ``slack:U1``;
- **no second answer on a retry.** Slack re-sends an event it thinks was slow, with
  X-Slack-Retry-Num. Rasa only drops retries whose reason is ``http_timeout``; here every
  event id is remembered for an hour outside the process (``channels.seen``: SQLite by
  default, Redis in the cluster profile), so a retry is acknowledged, not answered — after
  a restart too, and on whichever instance it lands;
- a malformed (but signed) body gets 400, not 500.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from advisor.privacy import describe
from channels import action_calls, guard, limits, privacy, seen, sessions

logger = logging.getLogger(__name__)
DEFAULT_API_URL = "https://slack.com/api/"


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

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        privacy.protect_logs()
        webhook = super().blueprint(guard.with_apology(on_new_message))
        limits.cap_bodies(webhook)

        @webhook.exception(Exception)
        async def malformed(request: Request, error: Exception) -> Any:
            logger.warning("A Slack request could not be read: %s", describe(error))
            return response.json({"error": "The request could not be read."}, status=400)

        return webhook

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str | None,
        metadata: dict | None,
    ) -> Any:
        body = request.json if request.headers.get("content-type") == "application/json" else None
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not await self.seen.first_time(str(event_id)):
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})
        if not sender_id:
            return response.text("")
        conversation = sessions.conversation_id("slack", sender_id)
        checked = guard.check_text(text)
        if checked.reply:  # answered here, in the question's thread, like the bot would
            metadata = metadata or {}
            output = self.get_output_channel(metadata.get("out_channel"), metadata.get("thread_id"))
            self._in_background(output.send_text_message(conversation, checked.reply))
            return response.text("")
        return await super().process_message(
            request, on_new_message, checked.text, conversation, metadata
        )

    def _in_background(self, sending: Awaitable[None]) -> None:
        async def send() -> None:
            try:
                await sending
            except Exception as error:
                logger.error("Answering on Slack failed: %s", describe(error))

        task = asyncio.create_task(send())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
