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

from actions.actions import current_knowledge
from advisor import replies
from advisor.advising import Budget, Constraints, filter_programs, nearest
from advisor.constraints import parse_budget, parse_months
from advisor.knowledge import Residency, Unit

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
        if text.isdigit() or text == SKIP:  # already validated (the form re-checks on return)
            return {"advice_months": text}
        months = parse_months(text, bare=True)
        answer = SKIP if _SKIP.search(text) else (str(months) if months else None)
        return self._checked("advice_months", answer, dispatcher)

    def validate_advice_budget(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict:  # fmt: skip
        text = str(value or "")
        if text == SKIP or text.startswith("{"):  # already validated
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


def constraints_from(tracker: Tracker) -> Constraints:
    slot = tracker.get_slot
    budget = None
    if slot("advice_budget") not in (None, SKIP):
        stored = json.loads(slot("advice_budget"))
        unit = Unit(stored["unit"]) if stored["unit"] else None
        budget = Budget(stored["amount"], unit, Residency(stored["residency"]))
    months = slot("advice_months")
    return Constraints(
        no_licence=True if slot("advice_licensed") == "no" else None,
        fully_online=True if slot("advice_online") == "yes" else None,
        max_months=int(months) if months not in (None, SKIP) else None,
        budget=budget,
        credential=slot("advice_credential") if slot("advice_credential") != SKIP else None,
    )


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
        return [SlotSet("shown", shown)]


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
        return [SlotSet(question, None)] if question in QUESTIONS else []


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
