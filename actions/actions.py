"""Custom actions: read the conversation, ask ``advisor`` for the answer, send it.

The actions hold no facts and no wording, and they do not read the student's text: what a
message asks was decided once, in the NLU (``components.understanding``), and arrives as its
meaning (``actions.meaning``). The actions combine it with the conversation (the programs in
focus, the list last shown) and pass that to ``advisor.replies``.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.meaning import meaning_of, previous_meaning
from advisor import replies
from advisor.advising import (
    Constraints,
    Outcome,
    Verdict,
    filter_programs,
    rank_by_cost,
    rank_by_duration,
    resolve_reference,
)
from advisor.bottom_line import best_option, cheapest, confirm_figure, fastest
from advisor.handoff import should_offer
from advisor.knowledge import Knowledge, KnowledgeStore, QuestionTopic, Residency, Unit
from advisor.profile import Profile
from advisor.understanding import ASK, INFORM, RANK, Meaning

logger = logging.getLogger(__name__)

_store: KnowledgeStore | None = None
# The "I don't have ..." sentences kept for the staff summary (the last few are named).
UNANSWERED_KEPT = 10


def _refused(error: str) -> None:
    logger.error("Knowledge edit refused, still answering from the last good version:\n%s", error)


def current_knowledge() -> Knowledge:
    """The knowledge the actions answer from. The store opens on first use, not on import,
    from ``PACS_KNOWLEDGE_DIR`` or ``knowledge/`` (``advisor.knowledge.knowledge_dir``):
    importing the actions reads no file, and a test hands them its own store (``use_store``)."""
    global _store
    if _store is None:
        _store = KnowledgeStore(on_error=_refused)
    return _store.current()


def use_store(store: KnowledgeStore | None) -> None:
    """Answer from ``store`` from now on; None: the default store again, opened on next use."""
    global _store
    _store = store


def profile_of(tracker: Tracker) -> Profile:
    """What the student has said about themselves so far, this message included."""
    return Profile.from_dict(tracker.get_slot("profile")).merged(meaning_of(tracker).profile)


class AdvisorAction(Action, ABC):
    """An answer of the advisor. What the student said about themselves in the message
    ("i live in utah") is kept for the rest of the conversation, whichever answer it gets."""

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kept = Profile.from_dict(tracker.get_slot("profile"))
        now = profile_of(tracker)
        sent_before = len(dispatcher.messages)
        events = self.respond(dispatcher, tracker, domain)
        events += note_unanswered(dispatcher, tracker, sent_before)
        events += remembered(tracker, events)
        return [SlotSet("profile", now.as_dict())] + events if now != kept else events

    @abstractmethod
    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The answer to the message (abstract: rasa_sdk registers only concrete actions)."""


def handoff_available(tracker: Tracker) -> bool:
    """Whether the channel can hand this conversation to a person: it says so in the
    message's metadata (``channels.socketio``); every other channel cannot."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return isinstance(metadata, dict) and metadata.get("handoff") is True


def note_unanswered(
    dispatcher: CollectingDispatcher, tracker: Tracker, since: int
) -> list[EventType]:
    """Remember each "I don't have ..." this answer gave (the ``unanswered`` slot: the staff
    summary names them), and after the second in the conversation offer a person, when the
    channel can hand over."""
    said = [
        m["text"]
        for m in dispatcher.messages[since:]
        if isinstance(m.get("text"), str) and replies.is_not_known(m["text"])
    ]
    if not said:
        return []
    before = list(tracker.get_slot("unanswered") or [])
    now = before + [replies.first_sentence(text) for text in said]
    if should_offer(len(before), len(now)) and handoff_available(tracker):
        dispatcher.utter_message(text=replies.HANDOFF_OFFER, buttons=[replies.ASK_HUMAN_BUTTON])
    return [SlotSet("unanswered", now[-UNANSWERED_KEPT:])]


def program_buttons(knowledge: Knowledge, topic: str | None = None) -> list[dict[str, str]]:
    """One button per program, in the file's order; the payload names the program by id and,
    given, the topic to answer about it."""
    buttons = []
    for program in knowledge.programs:
        entities = {"program": program.id, **({"topic": topic} if topic else {})}
        intent = "ask_question" if topic else "inform_program"
        buttons.append({"title": program.name, "payload": f"/{intent}{json.dumps(entities)}"})
    return buttons


def slot_programs(tracker: Tracker, knowledge: Knowledge, slot: str) -> list[str]:
    """Program ids kept in a slot ("programs" in focus, "shown" last), minus any since removed
    from the knowledge file."""
    return [p for p in tracker.get_slot(slot) or [] if knowledge.has_program(p)]


def named_programs(meaning: Meaning, knowledge: Knowledge) -> list[str]:
    """Programs this message names, in order; a named state stands for its programs."""
    named = list(meaning.programs) or [
        p.id for p in knowledge.programs if p.location.state in meaning.states
    ]
    return [p for p in dict.fromkeys(named) if knowledge.has_program(p)]


def referenced_programs(meaning: Meaning, tracker: Tracker, knowledge: Knowledge) -> list[str]:
    """ "the first one", "both", "the cheaper one" — against the list last shown, in its order;
    "the others" — the programs not just talked about."""
    if not meaning.reference:
        return []
    shown = slot_programs(tracker, knowledge, "shown")
    focus = slot_programs(tracker, knowledge, "programs")
    again = previous_meaning(tracker).reference == meaning.reference
    recent = recent_groups(tracker, knowledge)
    return resolve_reference(meaning.reference, shown, knowledge, focus, recent, again)


def recent_groups(tracker: Tracker, knowledge: Knowledge) -> list[list[str]]:
    """The groups of programs the student saw or asked about, latest first (the ``seen``
    slot), minus any since removed from the knowledge file."""
    kept = tracker.get_slot("seen")
    groups = [g for g in kept if isinstance(g, list)] if isinstance(kept, list) else []
    return [ids for g in groups if (ids := [p for p in g if knowledge.has_program(p)])]


# How many groups of programs ``seen`` keeps: enough for "those two" and "the other one".
SEEN = 6


def remembered(tracker: Tracker, events: Sequence[EventType]) -> list[EventType]:
    """What an answer's events add to the conversation's memory: the groups of programs it
    showed or talked about (``seen``, latest first, the same group not twice in a row) and
    the meaning of the message it answered (``last_meaning``)."""
    kept = tracker.get_slot("seen")
    seen = [g for g in kept if isinstance(g, list)] if isinstance(kept, list) else []
    for event in events:
        value = event.get("value")
        about = event.get("name") in ("shown", "programs") and isinstance(value, list) and value
        if about and (not seen or seen[0] != value):
            seen = [list(value), *seen][:SEEN]
    memory: list[EventType] = [SlotSet("last_meaning", meaning_of(tracker).as_dict())]
    return memory + ([SlotSet("seen", seen)] if seen != kept else [])


def unserved_states(meaning: Meaning, knowledge: Knowledge) -> list[str]:
    """States this message names, with no program named and none located there."""
    if meaning.programs:
        return []
    served = {p.location.state for p in knowledge.programs}
    return [] if any(s in served for s in meaning.states) else list(meaning.states)


def answered_not_in_records(
    dispatcher: CollectingDispatcher, meaning: Meaning, knowledge: Knowledge
) -> bool:
    """A school or a state the file does not hold gets an honest "no records", instead of the
    programs in focus or the whole list as if the name had not been said. Beside a program
    the file holds, the unknown school is named first and the answer goes on (False)."""
    if meaning.unknown_schools and not meaning.programs:
        dispatcher.utter_message(
            text=replies.unknown_school(knowledge, meaning.unknown_schools),
            buttons=[replies.LIST_PROGRAMS_BUTTON],
        )
        return True
    named = [knowledge.program(p) for p in named_programs(meaning, knowledge)]
    if meaning.unknown_schools and named:
        dispatcher.utter_message(text=replies.unknown_beside(meaning.unknown_schools, named))
    states = unserved_states(meaning, knowledge)
    if states:
        dispatcher.utter_message(
            text=replies.no_program_in(knowledge, states),
            buttons=[replies.LIST_PROGRAMS_BUTTON],
        )
    return bool(states)


def ranking_scope(meaning: Meaning, tracker: Tracker, knowledge: Knowledge) -> list[str] | None:
    """Programs named now; else those referred to ("the others", "those two"); else, after a
    comparative or "all of them", the list last shown; else all (None)."""
    named = named_programs(meaning, knowledge)
    if named:
        return named
    if meaning.reference in _GROUPS:
        # "which of the others is cheapest", "rank those two"
        return referenced_programs(meaning, tracker, knowledge) or None
    shown = slot_programs(tracker, knowledge, "shown")
    if len(shown) >= 2 and (meaning.reference == "all" or meaning.comparative):
        return shown
    return None


def shown_events(shown: list[str], winners: Sequence[str] = ()) -> list[EventType]:
    """The programs in the order the student saw them; a lone winner (the one match, the
    fastest) is also the program in focus, for "do i need a license for that one?"."""
    events: list[EventType] = [SlotSet("shown", shown)]
    return events + ([SlotSet("programs", list(winners))] if len(winners) == 1 else [])


def topic_for(knowledge: Knowledge, fact: str | None) -> str | None:
    """The library's first topic that asks for this per-program fact."""
    return next((q.id for q in knowledge.questions if fact and q.fact == fact), None)


def matching(verdicts: Sequence[Verdict]) -> list[str]:
    """The programs that meet every wish."""
    return [v.program.id for v in verdicts if v.outcome is Outcome.MEETS]


# References to several programs at once (not "the cheaper one", which is a ranking itself).
_GROUPS = ("both", "first_two", "others")


class ActionAnswerQuestion(AdvisorAction):
    """Answers a question of the library about the programs asked about: the fact from
    programs.yml, the general text from topics.yml, or an honest "I don't have that"."""

    def name(self) -> str:
        return "action_answer_question"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        knowledge = current_knowledge()
        meaning = meaning_of(tracker)
        if answered_not_in_records(dispatcher, meaning, knowledge):
            return []
        before = previous_meaning(tracker)
        if meaning.intent == INFORM and not meaning.topic and meaning.programs and before.checking:
            # "what about clarkson for a texas resident?" after "so is weber my best option?":
            # the same check, about the program named now
            again = replace(before, programs=meaning.programs, figure=None)
            return ActionRankPrograms.check(dispatcher, tracker, knowledge, again)
        entry = self._topic(meaning, tracker, knowledge)
        if entry is None:
            return ActionClarify().respond(dispatcher, tracker, domain)
        named = named_programs(meaning, knowledge) or referenced_programs(
            meaning, tracker, knowledge
        )
        if meaning.unfamiliar:
            dispatcher.utter_message(text=replies.unfamiliar(meaning.unfamiliar, entry))
        if meaning.parts:
            # "how much is clarkson and when can i start": every question, in order
            events: list[EventType] = []
            for part in meaning.parts:
                if knowledge.has_question(part.topic):
                    own = [p for p in part.programs if knowledge.has_program(p)] or named
                    events += self._answer(
                        dispatcher, tracker, knowledge, replace(meaning, parts=()),
                        knowledge.question(part.topic), own,
                    )  # fmt: skip
            return events
        return self._answer(dispatcher, tracker, knowledge, meaning, entry, named)

    def _answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        knowledge: Knowledge,
        meaning: Meaning,
        entry: QuestionTopic,
        named: list[str],
    ) -> list[EventType]:
        """One question of the library answered about the programs it is about."""
        if entry.blank:
            # When two blank topics shared the doubt, the answer names both.
            doubt = [
                t
                for t in meaning.alternatives
                if t != entry.id and knowledge.has_question(t) and knowledge.question(t).blank
            ]
            entries = [entry, *(knowledge.question(t) for t in doubt)]
            return self._not_known(dispatcher, knowledge, entries, named)
        if meaning.full and entry.general:
            # "Tell me more": the whole general text, not a program's fact
            dispatcher.utter_message(text=replies.topic(knowledge, entry.general))
            return [SlotSet("fact", entry.id)]
        programs = named or (slot_programs(tracker, knowledge, "programs") if entry.fact else [])
        if entry.fact and programs:
            residency = Residency(meaning.residency) if meaning.residency else None
            profile = profile_of(tracker)
            for answer in replies.facts(knowledge, programs, entry.fact, residency, profile):
                dispatcher.utter_message(text=answer)
            if meaning.tentative:
                self._offer_instead(dispatcher, knowledge, meaning, programs)
            return [SlotSet("programs", programs), SlotSet("fact", entry.id)]
        if entry.general:
            text, more = replies.topic_brief(knowledge, entry.general)
            buttons = [replies.more_button(entry.id)] if more else []
            dispatcher.utter_message(text=text, buttons=buttons)
            return [SlotSet("fact", entry.id)]
        # A per-program question that names no program: every program's answer at once.
        assert entry.fact is not None  # neither blank nor general: the topic has a fact
        dispatcher.utter_message(
            text=replies.each_program(knowledge, entry.fact),
            buttons=program_buttons(knowledge, entry.id),
        )
        return [SlotSet("fact", entry.id), SlotSet("shown", [p.id for p in knowledge.programs])]

    @staticmethod
    def _topic(meaning: Meaning, tracker: Tracker, knowledge: Knowledge) -> QuestionTopic | None:
        """This message's topic; for "and at Clarkson?" the one asked before; else the
        program overview."""
        if meaning.topic:
            known = knowledge.has_question(meaning.topic)
            return knowledge.question(meaning.topic) if known else None
        if meaning.intent != INFORM:
            return None
        last = tracker.get_slot("fact")
        if meaning.full and knowledge.has_question(last) and not knowledge.question(last).general:
            last = None  # "tell me more" after a program's fact: the program's overview
        for topic in (last, "program_overview"):
            if topic and knowledge.has_question(topic):
                return knowledge.question(topic)
        return None

    @staticmethod
    def _offer_instead(
        dispatcher: CollectingDispatcher,
        knowledge: Knowledge,
        meaning: Meaning,
        programs: list[str],
    ) -> None:
        """After a tentative answer, the other readings of the question, one click away."""
        others = [knowledge.question(t) for t in meaning.alternatives if knowledge.has_question(t)]
        if others:
            dispatcher.utter_message(
                text=replies.OR_DID_YOU_MEAN,
                buttons=[replies.topic_button(entry, programs) for entry in others],
            )

    @staticmethod
    def _not_known(
        dispatcher: CollectingDispatcher,
        knowledge: Knowledge,
        entries: list[QuestionTopic],
        programs: list[str],
    ) -> list[EventType]:
        entry = entries[0]
        wanted = [t for e in entries for t in e.related]
        related = [
            knowledge.question(t) for t in dict.fromkeys(wanted) if knowledge.has_question(t)
        ]
        text = replies.not_known(
            entries, [knowledge.program(p) for p in programs], offers=bool(related)
        )
        dispatcher.utter_message(
            text=text, buttons=[replies.topic_button(r, programs) for r in related]
        )
        events: list[EventType] = [SlotSet("fact", entry.id)]
        return events + ([SlotSet("programs", programs)] if programs else [])


# Which question of the guided form each part of the profile answers: a question the student
# has already answered in passing ("i need it online") is not asked again.
ANSWERED_BY_PROFILE = {
    "advice_licensed": lambda p: p.licensed is not None,
    "advice_online": lambda p: p.online_only is not None,
    "advice_months": lambda p: p.months is not None,
    "advice_budget": lambda p: p.budget is not None,
    "advice_credential": lambda p: p.credential is not None,
}


class ActionNoteProfile(AdvisorAction):
    """ "actually I moved to Ohio": say back what was noted and, when the last question
    depends on it, answer it again for them."""

    def name(self) -> str:
        return "action_note_profile"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = current_knowledge()
        said = meaning_of(tracker).profile
        if said.is_empty():
            # "what do you know about me so far?"
            dispatcher.utter_message(text=replies.what_i_know(profile_of(tracker), knowledge))
            return []
        asked = tracker.get_slot("requested_slot")
        if tracker.active_loop_name and ANSWERED_BY_PROFILE.get(asked, lambda _: False)(said):
            # "no im not registered with anything yet" to the form's question: its answer,
            # kept in the profile; the form goes on to the next question
            return []
        dispatcher.utter_message(text=replies.noted(said))
        profile = profile_of(tracker)
        wanted = profile.wishes()
        if (said.tells_wishes() or said.state) and not wanted.is_empty():
            # "i want a degree, budget about 15k total", "online doesn't matter", "im in utah
            # btw, does that change anything" (which tuition applies): what fits now
            verdicts = filter_programs(knowledge, wanted, profile.residency_at)
            text, shown = replies.filtered(verdicts)
            dispatcher.utter_message(text=text)
            return shown_events(shown, matching(verdicts))
        last = tracker.get_slot("fact")
        programs = slot_programs(tracker, knowledge, "programs")
        depends = {"cost": said.state, "admission": said.licensed, "licence": said.licensed}
        if not (last and knowledge.has_question(last) and programs):
            return []
        fact = knowledge.question(last).fact
        if fact in depends and depends[fact] is not None:
            for answer in replies.facts(knowledge, programs, fact, None, profile_of(tracker)):
                dispatcher.utter_message(text=answer)
        return []


class ActionClarify(AdvisorAction):
    """Unsure what was asked: say what was understood and offer the closest topics."""

    def name(self) -> str:
        return "action_clarify"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = current_knowledge()
        meaning = meaning_of(tracker)
        if answered_not_in_records(dispatcher, meaning, knowledge):
            return []
        named = named_programs(meaning, knowledge)
        close = [knowledge.question(t) for t in meaning.alternatives if knowledge.has_question(t)]
        buttons = [replies.topic_button(entry, named) for entry in close]
        dispatcher.utter_message(
            text=replies.clarify(close, [knowledge.program(p) for p in named], meaning.unfamiliar),
            buttons=buttons or [replies.LIST_PROGRAMS_BUTTON],
        )
        return [SlotSet("programs", named)] if named else []


class ActionListPrograms(AdvisorAction):
    """Lists every program in the file's order, with a button for each."""

    def name(self) -> str:
        return "action_list_programs"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        knowledge = current_knowledge()
        if answered_not_in_records(dispatcher, meaning_of(tracker), knowledge):
            return []
        dispatcher.utter_message(
            text=replies.program_list(knowledge),
            buttons=program_buttons(knowledge, "program_overview"),
        )
        return [SlotSet("shown", [p.id for p in knowledge.programs])]


class ActionFilterPrograms(AdvisorAction):
    """Lists the programs that meet the student's constraints, and why the others do not."""

    def name(self) -> str:
        return "action_filter_programs"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = current_knowledge()
        meaning = meaning_of(tracker)
        if meaning.intent == RANK:
            return ActionRankPrograms().respond(dispatcher, tracker, domain)
        if meaning.intent == ASK:
            return ActionAnswerQuestion().respond(dispatcher, tracker, domain)
        wanted = meaning.constraints
        if wanted.is_empty():
            return ActionListPrograms().respond(dispatcher, tracker, domain)
        only_a_place = wanted == Constraints(states=wanted.states)
        if only_a_place and answered_not_in_records(dispatcher, meaning, knowledge):
            return []
        verdicts = filter_programs(knowledge, wanted, profile_of(tracker).residency_at)
        named = [p for p in meaning.programs if knowledge.has_program(p)]
        among = named or referenced_programs(meaning, tracker, knowledge)
        shown = slot_programs(tracker, knowledge, "shown")
        if not among and meaning.comparative and len(shown) >= 2:
            among = shown  # "and which one can i start in summer", after two were compared
        if among:
            # "which of those two is online?": only them
            verdicts = [v for v in verdicts if v.program.id in among]
        text, shown = replies.filtered(verdicts)
        dispatcher.utter_message(text=text)
        # "and the other one?" asks the same of another program
        asked = topic_for(knowledge, wanted.fact())
        return shown_events(shown, matching(verdicts)) + ([SlotSet("fact", asked)] if asked else [])


class ActionRankPrograms(AdvisorAction):
    """Cheapest or most expensive (like with like), fastest or longest programs."""

    def name(self) -> str:
        return "action_rank_programs"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = current_knowledge()
        meaning = meaning_of(tracker)
        again = meaning.comparative and not meaning.programs and previous_meaning(tracker).checking
        if meaning.checking or again:
            # "and quicker?" after "so clarkson is cheaper, right?": checked the same way
            return self.check(dispatcher, tracker, knowledge, meaning)
        among = ranking_scope(meaning, tracker, knowledge)
        profile = profile_of(tracker)
        # What the student told rules programs out ("the fastest i can actually get into",
        # without a license): they are left out of a ranking of every program, and said so
        # (not of the programs the student chose to rank).
        wishes = profile.wishes()
        ruled_out = (
            [
                v
                for v in filter_programs(knowledge, wishes, profile.residency_at)
                if v.outcome is Outcome.FAILS
            ]
            if among is None and not wishes.is_empty()
            else []
        )
        if ruled_out:
            out = {v.program.id for v in ruled_out}
            among = [p.id for p in knowledge.programs if p.id not in out]
        winners: list[str] = []
        if meaning.rank_by == "duration":
            tiers = rank_by_duration(knowledge, among, meaning.descending)
            answer, shown = replies.duration_ranking(tiers, meaning.descending)
            winners = [p.id for p in tiers[0]] if tiers else []
        else:
            considered = among or [p.id for p in knowledge.programs]
            groups = rank_by_cost(knowledge, considered, meaning.descending, profile.residency_at)
            unit = Unit(meaning.unit) if meaning.unit else None
            if unit is not None:
                # "which is cheapest per credit hour": that unit's figures only
                groups = [g for g in groups if g.unit is unit]
            answer, shown = replies.cost_ranking(
                knowledge, groups, considered, meaning.descending, profile, unit
            )
            if unit is not None and len(groups) == 1:
                winners = [groups[0].entries[0][0]]
        if ruled_out:
            answer += "\n" + replies.ruled_out(ruled_out)
        dispatcher.utter_message(text=answer)
        return shown_events(shown, winners)

    @staticmethod
    def check(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        knowledge: Knowledge,
        meaning: Meaning,
    ) -> list[EventType]:
        """ "so clarkson is cheaper for me, right?": yes, no or it depends, with the figures
        (and any assumption) it rests on. Against the other programs named, else those just
        shown or talked about, else all."""
        named = named_programs(meaning, knowledge)
        focus = slot_programs(tracker, knowledge, "programs")
        shown = slot_programs(tracker, knowledge, "shown")
        subject = (named or focus or shown or [p.id for p in knowledge.programs])[0]
        others = named[1:] or [p for p in [*focus, *shown] if p != subject]
        others = list(dict.fromkeys(others)) or [p.id for p in knowledge.programs if p != subject]
        profile = profile_of(tracker)
        if meaning.rank_by == "fit":
            # "is that my best option?": the one program last talked about, against what the
            # student told (not against the others shown)
            alone = next((g[0] for g in recent_groups(tracker, knowledge) if len(g) == 1), None)
            subject = (named or ([alone] if alone else []) or [subject])[0]
            fit = best_option(knowledge, subject, profile)
            dispatcher.utter_message(text=replies.best_option(fit, profile))
            return [SlotSet("programs", [subject])]
        if meaning.figure and len(named) <= 1 and meaning.rank_by != "duration":
            # "so its 9739 a semester for me, just one semester, right?": one program's cost
            program = knowledge.program(subject)
            line = confirm_figure(program, profile.residency_at(program), meaning.figure)
            dispatcher.utter_message(text=replies.figure_confirmed(line, profile))
            return [SlotSet("programs", [subject])]
        if meaning.rank_by == "duration":
            line = fastest(knowledge, subject, others)
        else:
            line = cheapest(knowledge, subject, others, profile.residency_at)
        text = replies.bottom_line(line, meaning.rank_by or "cost", profile)
        dispatcher.utter_message(text=text)
        return [SlotSet("programs", [subject, *others])]


class ActionComparePrograms(AdvisorAction):
    """Two or more programs side by side."""

    def name(self) -> str:
        return "action_compare_programs"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = current_knowledge()
        meaning = meaning_of(tracker)
        named = named_programs(meaning, knowledge)
        referenced = referenced_programs(meaning, tracker, knowledge)
        # "compare both with oregon tech": those referred to, then the one named
        programs = list(dict.fromkeys([*referenced, *named])) if named else referenced
        if meaning.reference == "all" and not programs:
            programs = [p.id for p in knowledge.programs]
        if len(programs) == 1:
            # "compare it with Weber": the program in focus, then the one named
            focus = slot_programs(tracker, knowledge, "programs")
            programs = [p for p in focus if p not in programs][:1] + programs
        if len(programs) < 2:
            shown = slot_programs(tracker, knowledge, "shown")
            programs = shown if len(shown) >= 2 else programs
        if len(programs) < 2:
            dispatcher.utter_message(text=replies.NEED_TWO, buttons=program_buttons(knowledge))
            return []
        table = replies.comparison_table(knowledge, programs)
        # Plain text for every channel; the table for those that can draw one (the web chat).
        text = replies.comparison(knowledge, programs, profile_of(tracker))
        dispatcher.utter_message(text=text, json_message={"table": table})
        return [SlotSet("shown", programs), SlotSet("programs", programs)]
