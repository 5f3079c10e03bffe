"""What every channel checks before a message reaches Rasa, and after it answers.

Students paste odd things: nothing at all, whole documents, control characters, emoji,
right-to-left text, markup. Each gets a clear answer and the conversation goes on. And when
the bot produced no reply at all (the action server is down or failed), the student gets a
short apology with a way forward instead of silence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from advisor import replies

MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128
# C0/C1 control characters except tab and newline; bidi overrides and other format
# characters are kept: they are legitimate in right-to-left text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Checked:
    """A message ready for Rasa (``text``), or the answer that replaces it (``reply``)."""

    text: str | None = None
    reply: str | None = None


def clean(text: str) -> str:
    """NFC-normalised text without control characters or surrounding blanks."""
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


def or_apology(messages: list[dict[str, Any]], recipient: str) -> list[dict[str, Any]]:
    """The bot's messages, or an apology when it produced none."""
    return messages or [{"recipient_id": recipient, "text": replies.NO_ANSWER}]
