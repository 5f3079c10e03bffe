"""What every channel checks before a message reaches Rasa, and after it answers.

Students paste odd things: nothing at all, whole documents, control characters, emoji,
right-to-left text, markup. Each gets a clear answer and the conversation goes on. And when
the bot produced no reply at all (the action server is down or failed), the student gets a
short apology with a way forward instead of silence.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from advisor import replies
from advisor.privacy import describe

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128
# metadata is stored with every message of the conversation: a page may pass a few facts
# (its URL, a language), not documents.
MAX_METADATA_BYTES = 2048
# C0/C1 control characters except tab and newline; bidi overrides and other format
# characters are kept: they are legitimate in right-to-left text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone UTF-16 surrogates ("\ud800" in JSON) are not text: no database can store them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class BadJson(ValueError):
    """A body that is not JSON a chat message can be read from."""


def _no_constant(name: str) -> float:
    raise BadJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJson("number out of range")
    return value


def parse_json(body: bytes | str | None) -> Any:
    """Strict JSON: no NaN or Infinity, no numbers out of range, no nesting Python cannot
    follow (a 100,000-deep array) — each of those raises ``BadJson``, never a 500."""
    try:
        return json.loads(body or b"", parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BadJson(type(error).__name__) from None


@dataclass(frozen=True)
class Checked:
    """A message ready for Rasa (``text``), or the answer that replaces it (``reply``)."""

    text: str | None = None
    reply: str | None = None


def clean(text: str) -> str:
    """NFC-normalised text without control characters, lone surrogates or surrounding blanks."""
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", text)).strip()


def check_text(raw: Any) -> Checked:
    """Decide whether a message text goes to Rasa or is answered here."""
    if raw is None or not isinstance(raw, str):
        return Checked(reply=replies.EMPTY_MESSAGE)
    text = clean(raw)
    if not text:
        return Checked(reply=replies.EMPTY_MESSAGE)
    if len(text) > MAX_MESSAGE_CHARS:
        return Checked(reply=replies.too_long(len(text), MAX_MESSAGE_CHARS))
    return Checked(text=text)


def check_sender(raw: Any) -> str | None:
    """A usable conversation id, or None when the request names none that can be used."""
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        return None
    sender = clean(str(raw))
    if not sender or len(sender) > MAX_SENDER_CHARS:
        return None
    return sender


def check_metadata(raw: Any) -> dict | None:
    """Metadata fit to be stored with a message: a JSON object of at most
    ``MAX_METADATA_BYTES``, else None (which the caller refuses or drops)."""
    if not isinstance(raw, dict):
        return None
    try:
        size = len(json.dumps(raw, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    except (ValueError, TypeError, UnicodeEncodeError, RecursionError):
        return None
    return raw if size <= MAX_METADATA_BYTES else None


def with_apology(
    on_new_message: Callable[[Any], Awaitable[Any]],
) -> Callable[[Any], Awaitable[None]]:
    """Rasa's message handler, made to answer: when a turn fails or sends nothing (the
    action server is down, hangs past its deadline or fails), the student gets the
    apology on the channel the message came from. The output channel must count what it
    sent (``sent``). Failures are logged by type and place only: an exception's text may
    hold the conversation."""

    async def handle(message: Any) -> None:
        try:
            await on_new_message(message)
        except Exception as error:  # the student still gets an answer
            logger.error("Handling a %s message failed: %s", message.input_channel, describe(error))
        if not getattr(message.output_channel, "sent", 0):
            await message.output_channel.send_text_message(message.sender_id, replies.NO_ANSWER)

    return handle
