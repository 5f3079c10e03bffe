"""Whose conversation a message belongs to.

Two rules, the same on every channel:

- **Conversations are namespaced per channel.** The tracker store keys a conversation by
  ``<channel>:<id>`` — REST sender ``x`` is ``rest:x``, web session ``x`` is ``web:x``, Slack
  user ``x`` is ``slack:x`` — so no channel can name, read or continue another channel's
  conversation.
- **The server, not the browser, chooses a web session.** A web session id is 128 random
  bits from ``secrets``, issued by the server, and handed to the browser as a *session
  token*: ``<id>.<signature>``, the signature an HMAC-SHA256 of the id under a server
  secret. The browser keeps the token (``localStorage``) and presents it on reconnect; a
  token the server did not sign is not honoured — the browser gets a fresh session
  instead. The token is a bearer credential for that one conversation, like a session
  cookie; the id alone (the one the tracker store holds) is not enough to join it.

The web session protocol (socket.io, Rasa's event names), for any page or widget:

1. connect; emit ``session_request`` with ``{"session_id": <stored token or null>}``;
2. receive ``session_confirm`` with a token (a string): the stored one when it was valid,
   else a new one — then drop any transcript kept for an old token;
3. emit ``user_uttered`` with ``{"message": "..."}`` and receive ``bot_uttered``. The socket
   is bound to its session by step 1: a ``session_id`` in ``user_uttered`` is ignored.

The secret: ``PACS_SESSION_SECRET`` when set (every server behind one load balancer needs
the same one), else a random one kept in ``var/session.key`` (created on first start,
readable only by its owner), so tokens survive a restart. Changing the secret ends every
web session: each browser starts a new conversation on its next visit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

ENV_SECRET = "PACS_SESSION_SECRET"
SECRET_FILE = Path("var") / "session.key"
SESSION_BYTES = 16  # 128 bits


def conversation_id(channel: str, sender: str) -> str:
    """The tracker store's key for ``sender`` on ``channel`` (``rest``, ``web``, ``slack``)."""
    return f"{channel}:{sender}"


def sender_of(conversation: str) -> str:
    """The channel's own id back from a conversation id (``rest:x`` -> ``x``)."""
    return conversation.split(":", 1)[1] if ":" in conversation else conversation


def _load_secret(path: Path = SECRET_FILE) -> bytes:
    """The signing secret: from the environment, or the file (created when missing)."""
    from_env = os.environ.get(ENV_SECRET)
    if from_env:
        return from_env.encode()
    try:
        return bytes.fromhex(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two servers starting at once agree on the first one's secret
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


class WebSessions:
    """Issues web session tokens and tells which session a presented token opens."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret if secret is not None else _load_secret()

    def _signature(self, session: str) -> str:
        digest = hmac.new(self.secret, f"web-session:{session}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    def issue(self) -> tuple[str, str]:
        """A new session: (session id, the token the browser keeps)."""
        session = secrets.token_urlsafe(SESSION_BYTES)
        return session, f"{session}.{self._signature(session)}"

    def session_of(self, token: object) -> str | None:
        """The session id a token opens, or None when this server did not issue it."""
        if (
            not isinstance(token, str)
            or not token.isascii()
            or token.count(".") != 1
            or len(token) > 200
        ):
            return None
        session, signature = token.split(".")
        expected = self._signature(session).encode()
        if not session or not hmac.compare_digest(signature.encode(), expected):
            return None
        return session

    def open(self, token: object) -> tuple[str, str]:
        """The session a token opens, or a new one: (session id, token to confirm)."""
        session = self.session_of(token)
        if session is not None:
            return session, str(token)
        return self.issue()
