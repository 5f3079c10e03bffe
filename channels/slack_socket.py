"""Slack in Socket Mode: the bot connects out to Slack over a websocket, so it needs no public
HTTPS request URL — for a school whose IT will not open one.

Configured by SLACK_APP_TOKEN (an app-level token, ``xapp-…``, with ``connections:write``)
and SLACK_BOT_TOKEN (``xoxb-…``, for posting the answers); SLACK_CHANNEL and SLACK_API_URL as
for the Events API. No signing secret: the connection is opened with the app token, so
what comes down it is Slack's.

Of slack_sdk's four Socket Mode clients, ``builtin`` and ``websocket_client`` run their
listeners on threads of their own (and the latter needs websocket-client, which Rasa does not
bring); ``websockets`` and ``aiohttp`` run on the server's event loop, and aiohttp is the HTTP
library Rasa itself uses, already pinned — so no package is added.

When the Rasa server starts, the client asks ``apps.connections.open`` for a websocket URL
and connects; it reconnects when Slack closes the connection (Slack refreshes it every few
hours) and is closed when the server stops. Each envelope is acknowledged at once
(``{"envelope_id": …}``: Slack re-sends an envelope not acknowledged within seconds), then
its payload takes the same path as an Events API request
(``AdvisorSlackInput.receive_event`` / ``receive_interaction``): de-duplication, input
checks, the answer in the question's thread, the apology when the bot sent nothing.

Several servers may each hold a connection (several instances): Slack spreads envelopes
over an app's connections, and an envelope it re-sends on another connection is recognised
by the shared store of events already taken (``channels.seen``).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from advisor.privacy import describe
from channels import guard, privacy
from channels.slack import AdvisorSlackInput, Handler

logger = logging.getLogger(__name__)
# slack_sdk's client logs every message it receives, text included, at DEBUG: its own logger,
# kept at INFO whatever level the server runs at, says how the connection does and no more.
client_logger = logging.getLogger(__name__ + ".client")
client_logger.setLevel(logging.INFO)


class AdvisorSlackSocketInput(AdvisorSlackInput):
    """Slack Socket Mode input: no route for Slack to call, only a health check at
    ``/webhooks/slack_socket/`` that says whether the connection is up."""

    app_token: str = ""
    client: SocketModeClient | None = None

    @classmethod
    def name(cls) -> str:
        return "slack_socket"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> AdvisorSlackSocketInput:
        channel = super().from_credentials(credentials)
        assert isinstance(channel, AdvisorSlackSocketInput)
        channel.app_token = (credentials or {}).get("slack_app_token") or os.environ.get(
            "SLACK_APP_TOKEN", ""
        )
        if not channel.app_token or not channel.slack_token:
            raise InvalidConfigException(
                "Slack Socket Mode needs an app-level token (SLACK_APP_TOKEN=xapp-…) and the "
                "bot token (SLACK_BOT_TOKEN=xoxb-…)."
            )
        return channel

    def _validate_credentials(self) -> None:
        """No signing secret in Socket Mode: nothing is received over HTTP."""

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        privacy.protect_logs()
        handle = guard.with_apology(on_new_message)
        socket = Blueprint("slack_socket", __name__)

        @socket.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            connected = self.client is not None and await self.client.is_connected()
            return response.json({"status": "ok", "connected": connected})

        @socket.listener("after_server_start")
        async def connect(app: Any, loop: Any) -> None:
            await self.connect(handle)

        @socket.listener("before_server_stop")
        async def disconnect(app: Any, loop: Any) -> None:
            if self.client is not None:
                await self.client.close()

        return socket

    async def connect(self, handle: Handler) -> None:
        """Open the connection in the background: the server answers its other channels
        while Slack is reached, and keeps trying (every few seconds) while it cannot be."""
        self.client = SocketModeClient(
            self.app_token,
            logger=client_logger,
            web_client=AsyncWebClient(self.slack_token, proxy=self.proxy, base_url=self.api_url),
            proxy=self.proxy,
        )

        async def on_envelope(client: Any, request: SocketModeRequest) -> None:
            await self.receive_envelope(client, request, handle)

        self.client.socket_mode_request_listeners.append(on_envelope)
        self._in_background(self.client.connect())

    async def receive_envelope(
        self, client: SocketModeClient, request: SocketModeRequest, handle: Handler
    ) -> None:
        """Acknowledge an envelope, then hand its payload to the path the Events API takes."""
        await client.send_socket_mode_response(SocketModeResponse(request.envelope_id))
        try:
            if request.type == "events_api":
                await self.receive_event(request.payload, handle)
            elif request.type == "interactive":
                await self.receive_interaction(request.payload, handle)
        except Exception as error:  # a bad envelope must not stop the ones after it
            logger.warning("A Slack envelope could not be read: %s", describe(error))
