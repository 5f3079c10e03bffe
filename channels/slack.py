"""Rasa's Slack connector, configured from the environment and safe against retries.

Kept from Rasa: signature check with the signing secret (required), refusal of requests
older than 5 minutes, answering in a background task, Block Kit buttons, mrkdwn text.

Added here:
- configuration from environment variables — SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, optional
  SLACK_CHANNEL, and SLACK_API_URL (the Web API base URL, so tests can stand in for Slack);
- answers always go into the thread of the question;
- **no second answer on a retry.** Slack re-sends an event it thinks was slow, with
  X-Slack-Retry-Num. Rasa only drops retries whose reason is ``http_timeout``; here every
  event id is remembered for an hour and any repeat of it is acknowledged, not answered.
  (One process remembers; behind a load balancer, route Slack to one instance.)
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

DEFAULT_API_URL = "https://slack.com/api/"
REMEMBER_SECONDS = 3600.0


class AdvisorSlackBot(SlackBot):
    """Slack output that talks to a configurable Web API base URL."""

    def __init__(self, token: str, channel: str | None, thread_id: str | None,
                 proxy: str | None, api_url: str) -> None:  # fmt: skip
        super().__init__(token, channel, thread_id, proxy)
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        """Slack has no tables: the plain-text version of a table was already sent."""
        if "table" not in json_message:
            await super().send_custom_json(recipient_id, json_message, **kwargs)


class SeenEvents:
    """Event ids seen in the last hour, oldest first."""

    def __init__(self, ttl: float = REMEMBER_SECONDS) -> None:
        self.ttl = ttl
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, event_id: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        while self._seen and next(iter(self._seen.values())) < now - self.ttl:
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True


class AdvisorSlackInput(SlackInput):
    """Slack Events API input: /webhooks/slack/webhook."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> AdvisorSlackInput:
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
        return channel

    api_url: str = DEFAULT_API_URL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen = SeenEvents()

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        return AdvisorSlackBot(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url
        )

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
        if event_id and not self.seen.first_time(event_id):
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})
        return await super().process_message(request, on_new_message, text, sender_id, metadata)
