"""Guided advising ("help me choose"): a Rasa form that asks only what narrows the choice.

Each answer may be typed or clicked, and "skip" (or "no preference") is always accepted. The
form's slots are read into ``advisor.advising.Constraints``; the result lists the matching
programs with reasons, the possible ones, why the others were left out, and — when nothing
matches — the nearest options and what would have to change. "Change an answer" buttons
clear one slot, and the form asks just that question again.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.actions import current_knowledge, profile_of
from advisor import replies
from advisor.advising import Budget, Constraints, filter_programs, nearest
from advisor.constraints import parse_budget, parse_months
from advisor.knowledge import Residency, Unit
from advisor.profile import Profile

SKIP = "skip"
QUESTIONS = tuple(replies.CHANGE_ADVICE)  # the form's slots, in the order asked
_SKIP = re.compile(
    r"\b(skip|no preference|any|either|whatever|not sure|no idea|no rush|no (?:fixed |set )?budget|"
    r"(?:don'?t|doesn'?t|does not|do not) (?:care|mind|know|matter))\b",
    re.IGNORECASE,
)
_YES = re.compile(r"\b(yes|yeah|yep|y|sure|i am|i do|licensed|must|definitely)\b", re.IGNORECASE)
_NO = re.compile(r"\b(no|nope|not|n|don'?t|do not|never)\b", re.IGNORECASE)


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

    def _checked(self, slot: str, value: str | None, dispatcher: CollectingDispatcher) -> dict:
        if value is None:
            dispatcher.utter_message(text=replies.ADVICE_NOT_UNDERSTOOD)
        return {slot: value}

    def validate_advice_licensed(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        return self._checked("advice_licensed", _yes_no(value), dispatcher)

    def validate_advice_online(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        return self._checked("advice_online", _yes_no(value), dispatcher)

    def validate_advice_months(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        text = str(value or "")
        if (text.isdigit() and int(text) > 0) or text == SKIP:  # already validated
            return {"advice_months": text}
        months = parse_months(text, bare=True)
        answer = SKIP if _SKIP.search(text) else (str(months) if months else None)
        return self._checked("advice_months", answer, dispatcher)

    def validate_advice_budget(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        text = str(value or "")
        if text == SKIP or _stored_budget(text):  # already validated (the form re-checks)
            return {"advice_budget": text}
        budget = parse_budget(text, bare=True)
        if _SKIP.search(text) and budget is None:
            return {"advice_budget": SKIP}
        if budget is None:
            return self._checked("advice_budget", None, dispatcher)
        stored = {"amount": budget.amount, "unit": budget.unit and budget.unit.value,
                  "residency": budget.residency.value}  # fmt: skip
        return {"advice_budget": json.dumps(stored)}

    def validate_advice_credential(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        text = str(value or "").lower()
        if _SKIP.search(text):
            answer = SKIP
        elif re.search(r"degree|associate", text):
            answer = "degree"
        elif re.search(r"certif", text):
            answer = "certificate"
        else:
            answer = None
        return self._checked("advice_credential", answer, dispatcher)


def _stored_budget(text: str) -> Budget | None:
    """A budget as this form stores it (JSON); None for anything else, "{oops" included."""
    try:
        stored = json.loads(text)
        unit = Unit(stored["unit"]) if stored.get("unit") else None
        return Budget(float(stored["amount"]), unit, Residency(stored["residency"]))
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


# Which form question each part of the profile answers: a question the student has already
# answered in passing ("i need it online") is not asked again.
ANSWERED_BY_PROFILE = {
    "advice_licensed": lambda p: p.licensed is not None,
    "advice_online": lambda p: p.online_only is not None,
    "advice_months": lambda p: p.months is not None,
    "advice_budget": lambda p: p.budget is not None,
    "advice_credential": lambda p: p.credential is not None,
}


class ActionAdvise(Action):
    """The recommendation at the end of the form."""

    def name(self) -> str:
        return "action_advise"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = current_knowledge()
        verdicts = filter_programs(knowledge, constraints_from(tracker))
        text, shown = replies.advice(verdicts, nearest(verdicts))
        buttons = [
            {"title": title,
             "payload": "/change_advice" + json.dumps({"advice_question": slot})}
            for slot, title in replies.CHANGE_ADVICE.items()
        ]  # fmt: skip
        dispatcher.utter_message(text=text, buttons=buttons)
        profile = profile_of(tracker).merged(answers_from(tracker))
        return [SlotSet("shown", shown), SlotSet("profile", profile.as_dict())]


class ActionChangeAdvice(Action):
    """Clears one answer so that the form asks that question again."""

    def name(self) -> str:
        return "action_change_advice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        entities = tracker.latest_message.get("entities") or []
        question = next(
            (e.get("value") for e in entities if e.get("entity") == "advice_question"), None
        )
        if question not in QUESTIONS:
            return []
        # Forgotten in the profile too, or the form would not ask it again.
        field = {"advice_licensed": "licensed", "advice_online": "online_only",
                 "advice_months": "months", "advice_budget": "budget",
                 "advice_credential": "credential"}[question]  # fmt: skip
        forgotten = Profile.from_dict(tracker.get_slot("profile")).forgetting(field)
        return [SlotSet(question, None), SlotSet("profile", forgotten.as_dict())]


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
