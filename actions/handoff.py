"""Asking for a person: the action asks the student to confirm, and on confirmation hands
the channel what staff will see. The hand-off itself — Slack, the thread, the replies — is the
channel's (``channels.handoff``): the action server never talks to Slack.

The channel says in the message's metadata whether it can hand over (``"handoff": true``,
only the web chat with a staff channel configured); without it the student is told honestly
that no person can be reached from here, and what the bot can do instead.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import current_knowledge, handoff_available, slot_programs
from advisor import replies
from advisor.handoff import Request, Turn

ASK_HUMAN = "ask_human"
CONFIRM = "confirm"


class ActionHandoff(Action):
    """ "can I talk to someone": confirm first; "Yes, connect me": hand over."""

    def name(self) -> str:
        return "action_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not handoff_available(tracker):
            dispatcher.utter_message(
                text=replies.HANDOFF_UNAVAILABLE, buttons=replies.HANDOFF_UNAVAILABLE_BUTTONS
            )
            return []
        entities = (tracker.latest_message or {}).get("entities") or []
        confirmed = any(
            e.get("entity") == "handoff" and e.get("value") == CONFIRM for e in entities
        )
        if not confirmed:
            dispatcher.utter_message(
                text=replies.HANDOFF_CONFIRM, buttons=replies.HANDOFF_CONFIRM_BUTTONS
            )
            return []
        knowledge = current_knowledge()
        request = Request.of(
            turns_before_request(tracker.events),
            [knowledge.program(p).name for p in slot_programs(tracker, knowledge, "programs")],
            tracker.get_slot("unanswered") or [],
        )
        dispatcher.utter_message(json_message={"handoff": request.as_dict()})
        return []


def turns_before_request(events: list[dict]) -> list[Turn]:
    """The conversation's text turns, without the asking for a person itself: the student's
    typed messages (not button payloads) and the bot's answers."""
    asking = {replies.HANDOFF_CONFIRM, replies.HANDOFF_OFFER}
    turns = []
    for event in events:
        text = event.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if not text.startswith("/") and intent != ASK_HUMAN:
                turns.append(Turn("student", text))
        elif event.get("event") == "bot" and text not in asking:
            turns.append(Turn("bot", text))
    return turns
