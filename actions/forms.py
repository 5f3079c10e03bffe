"""Guided advising ("help me choose"): a Rasa form that asks only what narrows the choice.

Each answer may be typed or clicked, and "skip" (or "no preference") is always accepted. The
form's slots are read into ``advisor.advising.Constraints``; the result lists the matching
programs with reasons, the possible ones, why the others were left out, and — when nothing
matches — the nearest options and what would have to change. "Change an answer" buttons
clear one slot, and the form asks just that question again.

The form can be left and interrupted. Its slots have custom mappings: the ``extract_<slot>``
methods below take the message as the answer to the question asked, unless it says "stop"
(or goodbye) or does something else that fails to read as an answer — a question, a
comparison, a statement about the student. Then nothing is extracted, the form rejects the
message, and a rule of data/rules.yml answers it: it leaves the form, or answers the question
and lets the form ask its question again. "Help me choose" always starts from no answers
(``ActionStartAdvice``), saying what it already knows about the student.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.actions import (
    ANSWERED_BY_PROFILE,
    AdvisorAction,
    current_knowledge,
    matching,
    profile_of,
    remembered,
    shown_events,
)
from actions.meaning import meaning_of
from advisor import replies
from advisor.advising import Budget, Constraints, filter_programs, nearest
from advisor.constraints import parse_budget, parse_months
from advisor.profile import Profile
from advisor.understanding import (
    ADVICE,
    ASK,
    COMPARE,
    FALLBACK,
    FILTER,
    INFORM,
    LIST,
    OUT_OF_SCOPE,
    RANK,
    SHARE_PROFILE,
    STOP,
)

SKIP = "skip"
QUESTIONS = tuple(replies.CHANGE_ADVICE)  # the form's slots, in the order asked
_SKIP = re.compile(
    r"\b(skip|no preference|any|either|whatever|not sure|no idea|no rush|no (?:fixed |set )?budget|"
    r"(?:don'?t|doesn'?t|does not|do not) (?:care|mind|know|matter))\b",
    re.IGNORECASE,
)
_YES = re.compile(r"\b(yes|yeah|yep|y|sure|i am|i do|licensed|must|definitely)\b", re.IGNORECASE)
_NO = re.compile(r"\b(no|nope|not|n|don'?t|do not|never)\b", re.IGNORECASE)


# Messages the form never takes as an answer: each leaves it (data/rules.yml).
_LEAVING = (STOP, "goodbye")
# Messages that do something else: taken as an answer only when they read as one and ask
# nothing ("within a year" is a question about duration to the classifier, and an answer
# here; "how long is weber?" is a question). The rules answer them, then the form resumes.
_ELSEWHERE = (ASK, INFORM, LIST, FILTER, RANK, COMPARE, SHARE_PROFILE, OUT_OF_SCOPE, ADVICE,
              FALLBACK, "bot_challenge", "change_advice", "ask_human")  # fmt: skip
# Of those, the ones that do something even when they ask nothing and name no program.
_ACTS_UNASKED = (SHARE_PROFILE, OUT_OF_SCOPE, ADVICE, "bot_challenge", "change_advice",
                 "ask_human")  # fmt: skip
# Actions that may run between a message and the form's reading of it without answering it.
_NOT_ANSWERS = ("action_listen", "action_extract_slots", "advising_form")


def _yes_no(value: Any) -> str | None:
    text = str(value or "")
    if _SKIP.search(text):
        return SKIP
    if _NO.search(text):
        return "no"
    if _YES.search(text):
        return "yes"
    return None


class ValidateAdvisingForm(FormValidationAction):
    """Turns each free-text or button answer into a value the advice can use."""

    def name(self) -> str:
        return "validate_advising_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The form's questions, less those the student already answered in passing."""
        profile = profile_of(tracker)
        return [s for s in domain_slots if not ANSWERED_BY_PROFILE[s](profile)]

    def _extracted(self, slot: str, tracker: Tracker) -> dict:
        """The latest message as the answer to ``slot``, if that is the question asked, the
        message is new to the form (not one a rule has just answered) and it is an answer."""
        if tracker.get_slot("requested_slot") != slot or not _unanswered(tracker):
            return {}
        meaning = meaning_of(tracker)
        text = str(tracker.latest_message.get("text") or "")
        if meaning.intent in _LEAVING and not _SKIP.search(text):
            return {}  # "skip" skips the question, even where the classifier hears "stop"
        if meaning.intent not in _ELSEWHERE:
            return {slot: text}
        if meaning.asks:
            return {}  # "how much is weber?", "is it online? yes": a question first
        if READ[slot](text) is not None:
            return {slot: text}  # "within a year", "under 8000 total"
        # Neither an answer nor a question: something to act on goes to its rule ("weber",
        # "I live in Utah"); the rest ("0 months") is an answer that did not read.
        acts = meaning.programs or meaning.intent in _ACTS_UNASKED
        return {} if acts else {slot: text}

    def extract_advice_licensed(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict:  # fmt: skip
        return self._extracted("advice_licensed", tracker)

    def extract_advice_online(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict:  # fmt: skip
        return self._extracted("advice_online", tracker)

    def extract_advice_months(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict:  # fmt: skip
        return self._extracted("advice_months", tracker)

    def extract_advice_budget(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict:  # fmt: skip
        return self._extracted("advice_budget", tracker)

    def extract_advice_credential(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict:  # fmt: skip
        return self._extracted("advice_credential", tracker)

    def _checked(self, slot: str, said: Any, dispatcher: CollectingDispatcher) -> dict:
        """The answer as kept, or None and a hint: asked again. A slot just cleared (by
        "help me choose" or "Change: ...") is validated too, and is no answer to complain
        about."""
        if said is None:
            return {slot: None}
        value = READ[slot](said)
        if value is None:
            dispatcher.utter_message(text=replies.ADVICE_NOT_UNDERSTOOD)
        return {slot: value}

    def validate_advice_licensed(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        return self._checked("advice_licensed", value, dispatcher)

    def validate_advice_online(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        return self._checked("advice_online", value, dispatcher)

    def validate_advice_months(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        return self._checked("advice_months", value, dispatcher)

    def validate_advice_budget(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        return self._checked("advice_budget", value, dispatcher)

    def validate_advice_credential(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        return self._checked("advice_credential", value, dispatcher)


def _unanswered(tracker: Tracker) -> bool:
    """No action but Rasa's own and the form has run since the latest message: the form
    reads it now. After a rule answered it ("how much is weber?"), the form only asks again."""
    events = tracker.events
    last = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last is None:
        return False
    return all(
        e.get("name") in _NOT_ANSWERS for e in events[last + 1 :] if e.get("event") == "action"
    )


def _months(value: Any) -> str | None:
    text = str(value or "")
    if (text.isdigit() and int(text) > 0) or text == SKIP:  # as stored (the form re-checks)
        return text
    months = parse_months(text, bare=True)
    return SKIP if _SKIP.search(text) else (str(months) if months else None)


def _budget(value: Any) -> str | None:
    text = str(value or "")
    if text == SKIP or _stored_budget(text):  # as stored (the form re-checks)
        return text
    budget = parse_budget(text, bare=True)
    if budget is None:
        return SKIP if _SKIP.search(text) else None
    return json.dumps(budget.as_dict())


def _credential(value: Any) -> str | None:
    text = str(value or "").lower()
    if _SKIP.search(text):
        return SKIP
    if re.search(r"degree|associate", text):
        return "degree"
    if re.search(r"certif", text):
        return "certificate"
    return None


# Each question's reading of an answer, typed or clicked: the value kept, or None (asked again).
READ: dict[str, Callable[[Any], str | None]] = {
    "advice_licensed": _yes_no,
    "advice_online": _yes_no,
    "advice_months": _months,
    "advice_budget": _budget,
    "advice_credential": _credential,
}


def _stored_budget(text: str) -> Budget | None:
    """A budget as this form stores it (JSON); None for anything else, "{oops" included."""
    try:
        return Budget.from_dict(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def answers_from(tracker: Tracker) -> Profile:
    """The form's answers, as the student profile they add to ("skip" adds nothing)."""
    slot = tracker.get_slot
    months = str(slot("advice_months") or "")
    yes_no = {"yes": True, "no": False}
    credential = slot("advice_credential")
    return Profile(
        licensed=yes_no.get(slot("advice_licensed") or ""),
        online_only=yes_no.get(slot("advice_online") or ""),
        months=int(months) if months.isdigit() and int(months) > 0 else None,
        budget=_stored_budget(str(slot("advice_budget") or "")),
        credential=credential if credential in ("degree", "certificate") else None,
    )


def constraints_from(tracker: Tracker) -> Constraints:
    """What to look for: the form's answers over what the student said before it."""
    return profile_of(tracker).merged(answers_from(tracker)).wishes()


class ActionAdvise(Action):
    """The recommendation at the end of the form."""

    def name(self) -> str:
        return "action_advise"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = current_knowledge()
        residency_of = profile_of(tracker).residency_at
        verdicts = filter_programs(knowledge, constraints_from(tracker), residency_of)
        text, shown = replies.advice(verdicts, nearest(verdicts))
        buttons = [
            {"title": title,
             "payload": "/change_advice" + json.dumps({"advice_question": slot})}
            for slot, title in replies.CHANGE_ADVICE.items()
        ]  # fmt: skip
        dispatcher.utter_message(text=text, buttons=buttons)
        profile = profile_of(tracker).merged(answers_from(tracker))
        events = [*shown_events(shown, matching(verdicts)), SlotSet("profile", profile.as_dict())]
        return events + remembered(tracker, events)


class ActionStartAdvice(AdvisorAction):
    """ "Help me choose": the form starts from no answers of its own — whatever an earlier
    round left (an answer given before "stop", one from an earlier session, one that no
    longer reads) is not reused. What the student has told about themselves still counts,
    and is said, with a button to start over without it."""

    def name(self) -> str:
        return "action_start_advice"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        profile = profile_of(tracker)
        if any(ANSWERED_BY_PROFILE[slot](profile) for slot in QUESTIONS):
            dispatcher.utter_message(
                text=replies.advice_from_profile(profile), buttons=[replies.START_OVER]
            )
        return [SlotSet(slot, None) for slot in (*QUESTIONS, "requested_slot")]


# The part of the student's profile each question of the form asks for.
PROFILE_FIELD = {"advice_licensed": "licensed", "advice_online": "online_only",
                 "advice_months": "months", "advice_budget": "budget",
                 "advice_credential": "credential"}  # fmt: skip
ALL = "all"  # "Start over": every question again


class ActionChangeAdvice(Action):
    """Clears one answer (or all: "Start over") so that the form asks it again."""

    def name(self) -> str:
        return "action_change_advice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        entities = tracker.latest_message.get("entities") or []
        question = next(
            (e.get("value") for e in entities if e.get("entity") == "advice_question"), None
        )
        if question not in (*QUESTIONS, ALL):
            return []
        questions = QUESTIONS if question == ALL else (question,)
        # Forgotten in the profile too, or the form would not ask it again.
        forgotten = Profile.from_dict(tracker.get_slot("profile"))
        for slot in questions:
            forgotten = forgotten.forgetting(PROFILE_FIELD[slot])
        return [SlotSet(slot, None) for slot in questions] + [
            SlotSet("profile", forgotten.as_dict())
        ]


class _AskAdvice(Action):
    """Asks one question of the form, with its buttons (``action_ask_<slot>``)."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text, buttons = replies.ADVICE_QUESTIONS[self.slot]
        dispatcher.utter_message(
            text=text, buttons=[{"title": title, "payload": payload} for title, payload in buttons]
        )
        return []


class ActionAskAdviceLicensed(_AskAdvice):
    slot = "advice_licensed"


class ActionAskAdviceOnline(_AskAdvice):
    slot = "advice_online"


class ActionAskAdviceMonths(_AskAdvice):
    slot = "advice_months"


class ActionAskAdviceBudget(_AskAdvice):
    slot = "advice_budget"


class ActionAskAdviceCredential(_AskAdvice):
    slot = "advice_credential"
