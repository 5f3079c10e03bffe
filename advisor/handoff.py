"""Handing a conversation to a person: the states a hand-off goes through and what decides
each step. Pure Python, no Rasa, no Slack: the channel layer (``channels.handoff``) stores
the state and talks to Slack and the browser; the actions only ask for it.

A hand-off, once the student confirmed it:

    waiting ──(a staff reply)──► with_staff ──("close" / "done")──► closed
       │                              ▲
       └──(no staff reply in time)──► timed_out ──(the student leaves a question)──►
                                      leaving_question ──► leaving_email ──► left

While it is ``waiting`` or ``with_staff`` the bot does not answer: the student's messages go
to the staff thread. From ``timed_out`` on, the bot answers again; a staff reply that still
comes (to the question left, say) reaches the student and makes it ``with_staff`` again. Only
``closed`` ends it for good: the thread is then no longer heard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import Enum
from zoneinfo import ZoneInfo


class State(str, Enum):
    WAITING = "waiting"  # posted in the staff channel; no staff reply yet
    WITH_STAFF = "with_staff"  # a person has answered: the bot stays quiet
    TIMED_OUT = "timed_out"  # nobody answered in time (or out of office hours); bot answers
    LEAVING_QUESTION = "leaving_question"  # the student is typing the question to leave
    LEAVING_EMAIL = "leaving_email"  # ... and then, if they like, an e-mail address
    LEFT = "left"  # a question was left for the team
    CLOSED = "closed"  # staff closed it: the thread is no longer heard

    @property
    def bot_quiet(self) -> bool:
        """While staff handle the conversation, the bot does not answer in between."""
        return self in (State.WAITING, State.WITH_STAFF)

    @property
    def staff_heard(self) -> bool:
        """A staff reply in the thread still reaches the student."""
        return self is not State.CLOSED

    @property
    def active(self) -> bool:
        """A new request for a person would duplicate this one."""
        return self.bot_quiet or self in (State.LEAVING_QUESTION, State.LEAVING_EMAIL)


# The bot offers a person after its second "I don't have that" in a conversation.
OFFER_AFTER_BLANKS = 2
# How many of the last turns the staff thread gets: enough to see what was asked and
# answered, no more of the conversation than that.
TURNS_FOR_STAFF = 6
# How many of the bot's "I don't have ..." sentences the summary names.
UNANSWERED_FOR_STAFF = 3
MAX_TURN_CHARS = 400
# What a staff member types in the thread to end the hand-off (besides the Close button).
_DONE = re.compile(r"^\s*(done|close|closed|end|resolved)\s*[.!]?\s*$", re.IGNORECASE)
# What a student types to leave no e-mail address.
_NO_EMAIL = re.compile(r"^\s*(skip|no|nope|no thanks|no thank you|none)\s*[.!]?\s*$", re.I)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$")


def should_offer(blanks_before: int, blanks_now: int) -> bool:
    """True once, for the answer that made it the second "I don't have that"."""
    return blanks_before < OFFER_AFTER_BLANKS <= blanks_now


def is_done(staff_text: str) -> bool:
    """A staff message that ends the hand-off ("done", "close")."""
    return bool(_DONE.match(staff_text))


def email_answer(text: str) -> tuple[bool, str | None]:
    """The student's answer to "an e-mail address, if you like": (understood, address).
    (True, None) is a no; (False, None) is neither an address nor a no."""
    if _NO_EMAIL.match(text):
        return True, None
    address = text.strip().strip("<>").removeprefix("mailto:")
    return (True, address) if _EMAIL.match(address) else (False, None)


@dataclass(frozen=True)
class Turn:
    """One message of the conversation as staff see it: who said it, and what."""

    speaker: str  # "student" or "bot"
    text: str

    def clipped(self) -> Turn:
        text = " ".join(self.text.split())
        if len(text) > MAX_TURN_CHARS:
            text = text[: MAX_TURN_CHARS - 1].rstrip() + "…"
        return Turn(self.speaker, text)


@dataclass(frozen=True)
class Request:
    """What the staff post carries: what was asked, the programs in focus, what the bot
    could not answer, and the last few turns. Built by the action from the conversation,
    carried to the channel in the bot's message."""

    asked: str | None
    programs: tuple[str, ...]
    unanswered: tuple[str, ...]
    turns: tuple[Turn, ...]

    @classmethod
    def of(
        cls,
        turns: Sequence[Turn],
        programs: Sequence[str],
        unanswered: Sequence[str],
    ) -> Request:
        said = [t for t in turns if t.speaker == "student"]
        return cls(
            asked=said[-1].clipped().text if said else None,
            programs=tuple(programs),
            unanswered=tuple(unanswered[-UNANSWERED_FOR_STAFF:]),
            turns=tuple(t.clipped() for t in turns[-TURNS_FOR_STAFF:]),
        )

    def as_dict(self) -> dict:
        return {
            "asked": self.asked,
            "programs": list(self.programs),
            "unanswered": list(self.unanswered),
            "turns": [{"speaker": t.speaker, "text": t.text} for t in self.turns],
        }

    @classmethod
    def from_dict(cls, data: object) -> Request:
        """Anything malformed is left out rather than refused: the hand-off still happens."""
        data = data if isinstance(data, dict) else {}

        def strings(value: object) -> list[str]:
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

        turns = [
            Turn(t["speaker"], t["text"]).clipped()
            for t in data.get("turns") or []
            if isinstance(t, dict)
            and t.get("speaker") in ("student", "bot")
            and isinstance(t.get("text"), str)
        ]
        asked = data.get("asked")
        return cls(
            asked=asked if isinstance(asked, str) and asked else None,
            programs=tuple(strings(data.get("programs"))),
            unanswered=tuple(strings(data.get("unanswered"))[-UNANSWERED_FOR_STAFF:]),
            turns=tuple(turns[-TURNS_FOR_STAFF:]),
        )


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<start>\d{1,2}:\d{2})-"
    r"(?P<end>\d{1,2}:\d{2})\s+(?P<zone>\S+)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OfficeHours:
    """When someone is there to answer: "Mon-Fri 09:00-17:00 America/Chicago"."""

    text: str
    days: frozenset[int]
    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        found = _HOURS.match(text)
        if not found:
            raise ValueError(
                f"Office hours must read like 'Mon-Fri 09:00-17:00 America/Chicago', not {text!r}"
            )
        first = _DAYS.index(found["first"].lower())
        last = _DAYS.index((found["last"] or found["first"]).lower())
        days = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        return cls(
            text.strip(),
            frozenset(days),
            time.fromisoformat(found["start"].zfill(5)),
            time.fromisoformat(found["end"].zfill(5)),
            ZoneInfo(found["zone"]),
        )

    def open_at(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return local.weekday() in self.days and self.start <= local.time() < self.end
