"""How much a request may carry, and how long a turn may wait for the action server.

- **Bodies**: at most ``MAX_BODY_BYTES`` (64 KB) on every route of the Rasa server — a chat
  message is at most 2,000 characters; Sanic's default would take 100 MB. A larger body
  gets 413 with a sentence, before it is read. socket.io messages have the same limit.
- **Action calls**: Rasa 3.6 waits up to 300 s for the action server
  (``rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT``; neither endpoints.yml nor the
  command line can change it). A hung action server would hold the student that long, so
  the Rasa server waits ``ACTION_TIMEOUT`` seconds (default 8), then the turn ends without
  the action and the channel apologises (``guard.with_apology``) — within about 10 s.
"""

from __future__ import annotations

import os
from typing import Any

from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge

MAX_BODY_BYTES = 64 * 1024
DEFAULT_ACTION_TIMEOUT = 8.0


def action_timeout() -> float:
    """Seconds the Rasa server waits for one action call (``ACTION_TIMEOUT``)."""
    try:
        value = float(os.environ.get("ACTION_TIMEOUT") or DEFAULT_ACTION_TIMEOUT)
    except ValueError:
        return DEFAULT_ACTION_TIMEOUT
    return value if value > 0 else DEFAULT_ACTION_TIMEOUT


def limit_action_calls() -> None:
    """Make Rasa's action call give up after ``action_timeout()`` seconds."""
    from rasa.core.actions import action

    action.DEFAULT_REQUEST_TIMEOUT = action_timeout()


async def _too_large(request: Any, exception: Exception) -> Any:
    return response.json(
        {"error": f"The request is too large: at most {MAX_BODY_BYTES // 1024} KB."}, status=413
    )


def cap_bodies(blueprint: Blueprint) -> None:
    """Cap request bodies on the whole server once the blueprint is registered."""

    @blueprint.listener("before_server_start")
    async def cap(app: Any, _: Any) -> None:
        app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_BODY_BYTES)
        app.error_handler.add(PayloadTooLarge, _too_large)
