"""Guided advising: typed or clicked answers become constraints; the advice explains itself."""

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import SKIP, ActionAdvise, ValidateAdvisingForm, constraints_from
from advisor.advising import Budget, Constraints
from advisor.knowledge import Residency, Unit

FORM = ValidateAdvisingForm()
pytestmark = pytest.mark.usefixtures("actions_on_fixture_knowledge")


def tracker(**slots):
    return Tracker("s", slots, {"intent": {}, "entities": [], "text": ""}, [], False, None,
                   {}, "action_listen")  # fmt: skip


@pytest.mark.parametrize(
    "method, said, stored",
    [
        ("validate_advice_licensed", "nope, not licensed", "no"),
        ("validate_advice_licensed", "yes I am", "yes"),
        ("validate_advice_online", "doesn't matter", SKIP),
        ("validate_advice_months", "within a year", "12"),
        ("validate_advice_months", "6 months", "6"),
        ("validate_advice_months", "12", "12"),  # re-checked when the form resumes
        ("validate_advice_credential", "an associate degree", "degree"),
        ("validate_advice_credential", "either", SKIP),
        ("validate_advice_budget", "no fixed budget", SKIP),
    ],
)
def test_answers_are_normalised(method, said, stored):
    dispatcher = CollectingDispatcher()
    result = getattr(FORM, method)(said, dispatcher, tracker(), {})
    assert list(result.values()) == [stored]
    assert dispatcher.messages == []


def test_an_unclear_answer_is_asked_again_with_a_hint():
    dispatcher = CollectingDispatcher()
    assert FORM.validate_advice_months("hmm", dispatcher, tracker(), {}) == {"advice_months": None}
    assert "skip" in dispatcher.messages[0]["text"]


def test_a_budget_answer_keeps_amount_unit_and_residency():
    stored = FORM.validate_advice_budget("$7,000 a year in-state", CollectingDispatcher(),
                                         tracker(), {})["advice_budget"]  # fmt: skip
    wanted = constraints_from(tracker(advice_budget=stored, advice_licensed="no"))
    assert wanted == Constraints(
        no_licence=True, budget=Budget(7000, Unit.PER_YEAR, Residency.IN_STATE)
    )
    assert json.loads(stored)["unit"] == "per_year"


def test_the_advice_lists_matches_with_reasons_and_offers_to_change_each_answer():
    dispatcher = CollectingDispatcher()
    slots = dict(advice_licensed="no", advice_online="yes", advice_months="12",
                 advice_budget=SKIP, advice_credential="certificate")  # fmt: skip
    events = ActionAdvise().run(dispatcher, tracker(**slots), {})
    (message,) = dispatcher.messages
    assert message["text"].startswith("These programs match:\n1. Weber State University: can")
    assert "Left out:\n- Harrisburg Area Community College: takes three years" in message["text"]
    assert len(message["buttons"]) == 5
    assert events[0]["name"] == "shown"
    assert events[0]["value"][:2] == ["weber", "clarkson"]
