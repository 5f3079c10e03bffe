"""The meaning of the latest message, as the NLU decided it (``components.understanding``).

For a button's payload ("/ask_question{"topic": "cost", "program": "weber"}") Rasa's
RegexMessageHandler replaces the NLU's result, ``meaning`` included, by the payload's intent
and entities. Then those are the whole meaning.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from advisor.understanding import Meaning


def meaning_of(tracker: Tracker) -> Meaning:
    return _meaning(tracker.latest_message or {})


def previous_meaning(tracker: Tracker) -> Meaning:
    """The meaning of the student's message before the latest ("which of the others is
    cheapest" after "what about the others?"), as the advisor's answer to it kept it (the
    ``last_meaning`` slot: the action server may be sent only this turn's events)."""
    kept = tracker.get_slot("last_meaning")
    return Meaning.from_dict(kept) if isinstance(kept, dict) else Meaning("")


def _meaning(message: dict[str, Any]) -> Meaning:
    decided = message.get("meaning")
    if decided:
        return Meaning.from_dict(decided)
    intent = (message.get("intent") or {}).get("name") or ""
    values: dict[str, list[Any]] = {}
    for entity in message.get("entities") or []:
        value = entity.get("value")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                values.setdefault(entity.get("entity"), []).append(item)
    return Meaning(
        intent,
        topic=(values.get("topic") or [None])[0],
        programs=tuple(dict.fromkeys(values.get("program", []))),
        states=tuple(dict.fromkeys(values.get("us_state", []))),
        full="full" in values.get("detail", []),  # the "Tell me more" button
    )
