"""Custom actions: read the conversation, ask ``advisor`` for the answer, send it.

The actions hold no facts and no wording; they decide *which* programs and *which* fact a
turn is about (from this message's entities, else from the conversation's focus) and pass
that to ``advisor.replies``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from advisor import replies
from advisor.knowledge import Knowledge, KnowledgeStore

logger = logging.getLogger(__name__)

STORE = KnowledgeStore(
    on_error=lambda error: logger.error(
        "Knowledge edit refused, still answering from the last good version:\n%s", error
    )
)

# Which fact each question intent asks for.
INTENT_FACTS: dict[str, str] = {
    "ask_overview": "overview",
    "ask_cost": "cost",
    "ask_admission": "admission",
    "ask_online": "online",
    "ask_duration": "duration",
    "ask_location": "location",
    "ask_accreditation": "accreditation",
    "ask_financial_aid": "financial_aid",
    "ask_start_terms": "start_terms",
    "ask_credential": "credential",
    "ask_exams": "exams",
    "ask_contact": "contact",
}
# Which general topic each explanation intent asks for (ids in knowledge/topics.yml).
INTENT_TOPICS: dict[str, str] = {
    "explain_pacs": "what_is_pacs",
    "explain_certificate": "pacs_certificate",
    "explain_accreditation": "accreditation",
    "explain_abii": "abii",
}
# A general question that names a program is about that program: "is Oregon Tech good for
# ABII?" asks for its exam eligibility, not for an explanation of ABII.
TOPIC_FACTS: dict[str, str] = {
    "abii": "exams",
    "accreditation": "accreditation",
    "pacs_certificate": "credential",
}


def program_buttons(knowledge: Knowledge, intent: str = "inform_program") -> list[dict[str, str]]:
    """One button per program, in the file's order; the payload names the program by id."""
    return [
        {"title": p.name, "payload": f"/{intent}{json.dumps({'program': p.id})}"}
        for p in knowledge.programs
    ]


def mentioned_programs(tracker: Tracker, knowledge: Knowledge) -> list[str]:
    """Programs this message names, in order; a named state stands for its programs."""
    entities = tracker.latest_message.get("entities") or []
    named = [e.get("value") for e in entities if e.get("entity") == "program"]
    if not named:
        states = {e.get("value") for e in entities if e.get("entity") == "us_state"}
        named = [p.id for p in knowledge.programs if p.location.state in states]
    known: list[str] = []
    for program_id in named:
        if knowledge.has_program(program_id) and program_id not in known:
            known.append(program_id)
    return known


def programs_in_focus(tracker: Tracker, knowledge: Knowledge) -> list[str]:
    """Programs named now, else the ones the conversation was about (still in the file)."""
    named = mentioned_programs(tracker, knowledge)
    if named:
        return named
    remembered = tracker.get_slot("programs") or []
    return [p for p in remembered if knowledge.has_program(p)]


class ActionAnswerFact(Action):
    """Answers one fact (cost, duration, ...) about each program in focus."""

    def name(self) -> str:
        return "action_answer_fact"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        knowledge = STORE.current()
        intent = tracker.latest_message.get("intent", {}).get("name")
        fact = self._fact(intent, tracker)
        programs = programs_in_focus(tracker, knowledge)
        if not programs:
            if fact == "admission":
                dispatcher.utter_message(text=replies.topic(knowledge, "admission_requirements"))
            dispatcher.utter_message(
                text=replies.which_program(fact), buttons=program_buttons(knowledge)
            )
            return [SlotSet("fact", fact)]
        for answer in replies.facts(knowledge, programs, fact):
            dispatcher.utter_message(text=answer)
        return [SlotSet("programs", programs), SlotSet("fact", fact)]

    @staticmethod
    def _fact(intent: str | None, tracker: Tracker) -> str:
        if intent in INTENT_FACTS:
            return INTENT_FACTS[intent]
        # "and at Clarkson?" keeps the question that was asked before; else an overview.
        return tracker.get_slot("fact") or "overview"


class ActionExplainTopic(Action):
    """Explains a general topic (what PACS is, accreditation, ABII, ...)."""

    def name(self) -> str:
        return "action_explain_topic"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        knowledge = STORE.current()
        intent = tracker.latest_message.get("intent", {}).get("name")
        topic_id = INTENT_TOPICS.get(intent)
        if topic_id is None:
            dispatcher.utter_message(response="utter_rephrase")
            return []
        named = mentioned_programs(tracker, knowledge)
        fact = TOPIC_FACTS.get(topic_id)
        if named and fact:
            for answer in replies.facts(knowledge, named, fact):
                dispatcher.utter_message(text=answer)
            return [SlotSet("programs", named), SlotSet("fact", fact)]
        dispatcher.utter_message(text=replies.topic(knowledge, topic_id))
        return []


class ActionListPrograms(Action):
    """Lists every program in the file's order, with a button for each."""

    def name(self) -> str:
        return "action_list_programs"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        knowledge = STORE.current()
        dispatcher.utter_message(
            text=replies.program_list(knowledge),
            buttons=program_buttons(knowledge, "ask_overview"),
        )
        return []
