"""Custom actions: read the conversation, ask ``advisor`` for the answer, send it.

The actions hold no facts and no wording; they decide *which* programs and *which* fact a
turn is about (from this message's entities, else from the conversation's focus) and pass
that to ``advisor.replies``.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from advisor import replies
from advisor.advising import (
    Constraints,
    filter_programs,
    rank_by_cost,
    rank_by_duration,
    resolve_reference,
)
from advisor.constraints import parse
from advisor.knowledge import Knowledge, KnowledgeStore
from advisor.matching import matcher_for

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


REFERENCE = re.compile(
    r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|both|cheaper|cheapest|"
    r"shorter|shortest|faster|fastest)\b",
    re.IGNORECASE,
)


def slot_programs(tracker: Tracker, knowledge: Knowledge, slot: str) -> list[str]:
    """Program ids kept in a slot ("programs" in focus, "shown" last), minus any since removed
    from the knowledge file."""
    return [p for p in tracker.get_slot(slot) or [] if knowledge.has_program(p)]


def referenced_programs(tracker: Tracker, knowledge: Knowledge) -> list[str]:
    """ "the first one", "both", "the cheaper one" — against the list last shown, in its order."""
    match = REFERENCE.search(tracker.latest_message.get("text") or "")
    shown = slot_programs(tracker, knowledge, "shown")
    return resolve_reference(match.group(1).lower(), shown, knowledge) if match else []


def unserved_states(tracker: Tracker, knowledge: Knowledge) -> list[str]:
    """States this message names, with no program named and none located there."""
    entities = tracker.latest_message.get("entities") or []
    if any(e.get("entity") == "program" for e in entities):
        return []
    served = {p.location.state for p in knowledge.programs}
    states = [e.get("value") for e in entities if e.get("entity") == "us_state"]
    return [] if any(s in served for s in states) else list(dict.fromkeys(states))


def answered_no_program_there(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge
) -> bool:
    """ "Anything in Texas?": say honestly that no program is there, instead of falling back
    to the programs in focus or the whole list as if the state had not been named."""
    states = unserved_states(tracker, knowledge)
    if states:
        dispatcher.utter_message(
            text=replies.no_program_in(knowledge, states),
            buttons=[replies.LIST_PROGRAMS_BUTTON],
        )
    return bool(states)


# "Which of them is cheaper?", "the faster one": a comparative asks about the list last shown.
COMPARATIVE = re.compile(
    r"\b(cheaper|less expensive|faster|quicker|shorter|longer|slower|"
    r"(?:of|between) (?:them|these|those|the two|both))\b",
    re.IGNORECASE,
)


def ranking_scope(tracker: Tracker, knowledge: Knowledge) -> list[str] | None:
    """Programs named now; else, after a comparative, the list last shown; else all (None)."""
    named = mentioned_programs(tracker, knowledge)
    if named:
        return named
    shown = slot_programs(tracker, knowledge, "shown")
    if shown and COMPARATIVE.search(tracker.latest_message.get("text") or ""):
        return shown
    return None


def programs_in_focus(tracker: Tracker, knowledge: Knowledge) -> list[str]:
    """Programs named now, else referred to ("the first one"), else the ones in focus."""
    named = mentioned_programs(tracker, knowledge) or referenced_programs(tracker, knowledge)
    if named:
        return named
    return slot_programs(tracker, knowledge, "programs")


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
        if answered_no_program_there(dispatcher, tracker, knowledge):
            return []
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
        if answered_no_program_there(dispatcher, tracker, knowledge):
            return []
        dispatcher.utter_message(
            text=replies.program_list(knowledge),
            buttons=program_buttons(knowledge, "ask_overview"),
        )
        return [SlotSet("shown", [p.id for p in knowledge.programs])]


RANKING = re.compile(
    r"cheap|afford|expensive|pric|cost|fast|quick|short|soon|long|rank|sort|order", re.I
)


class ActionFilterPrograms(Action):
    """Lists the programs that meet the student's constraints, and why the others do not."""

    def name(self) -> str:
        return "action_filter_programs"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = STORE.current()
        wanted = parse(tracker.latest_message.get("text") or "", knowledge, matcher_for(knowledge))
        if wanted.is_empty():
            # "the most affordable program" names an order, not a constraint
            if RANKING.search(tracker.latest_message.get("text") or ""):
                return ActionRankPrograms().run(dispatcher, tracker, domain)
            return ActionListPrograms().run(dispatcher, tracker, domain)
        only_a_place = wanted == Constraints(states=wanted.states)
        if only_a_place and answered_no_program_there(dispatcher, tracker, knowledge):
            return []
        text, shown = replies.filtered(filter_programs(knowledge, wanted))
        dispatcher.utter_message(text=text)
        return [SlotSet("shown", shown)]


class ActionRankPrograms(Action):
    """Cheapest (like with like), fastest or longest programs."""

    def name(self) -> str:
        return "action_rank_programs"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = STORE.current()
        text = (tracker.latest_message.get("text") or "").lower()
        among = ranking_scope(tracker, knowledge)
        if re.search(r"long|slow|fast|quick|short|soon|time", text):
            longest = bool(re.search(r"longest|slowest|longer|slower|most time|more time", text))
            answer, shown = replies.duration_ranking(
                rank_by_duration(knowledge, among, longest), longest
            )
        else:
            considered = among or [p.id for p in knowledge.programs]
            answer, shown = replies.cost_ranking(
                knowledge, rank_by_cost(knowledge, considered), considered
            )
        dispatcher.utter_message(text=answer)
        return [SlotSet("shown", shown)]


class ActionComparePrograms(Action):
    """Two or more programs side by side."""

    def name(self) -> str:
        return "action_compare_programs"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = STORE.current()
        programs = mentioned_programs(tracker, knowledge) or referenced_programs(tracker, knowledge)
        if len(programs) == 1:
            # "compare it with Weber": the program in focus, then the one named
            focus = slot_programs(tracker, knowledge, "programs")
            programs = [p for p in focus if p not in programs][:1] + programs
        if len(programs) < 2:
            shown = slot_programs(tracker, knowledge, "shown")
            programs = shown if 2 <= len(shown) <= 3 else programs
        if len(programs) < 2:
            dispatcher.utter_message(text=replies.NEED_TWO, buttons=program_buttons(knowledge))
            return []
        table = replies.comparison_table(knowledge, programs)
        # Plain text for every channel; the table for those that can draw one (the web chat).
        dispatcher.utter_message(text=replies.comparison(table), json_message={"table": table})
        return [SlotSet("shown", programs), SlotSet("programs", programs)]
