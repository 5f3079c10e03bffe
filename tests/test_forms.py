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


def test_a_stored_budget_that_is_not_one_is_asked_again_not_trusted():
    dispatcher = CollectingDispatcher()
    assert FORM.validate_advice_budget("{oops", dispatcher, tracker(), {}) == {
        "advice_budget": None
    }
    assert constraints_from(tracker(advice_budget="{oops")).budget is None


def test_zero_months_is_asked_again():
    dispatcher = CollectingDispatcher()
    assert FORM.validate_advice_months("0", dispatcher, tracker(), {}) == {"advice_months": None}


def test_questions_answered_in_passing_are_not_asked_again():
    import asyncio

    from advisor.profile import Profile

    said = Profile(state="Utah", online_only=True, licensed=True, registries=("ARRT",))
    required = asyncio.run(
        FORM.required_slots(
            ["advice_licensed", "advice_online", "advice_months", "advice_budget",
             "advice_credential"],
            CollectingDispatcher(), tracker(profile=said.as_dict()), {},
        )
    )  # fmt: skip
    assert required == ["advice_months", "advice_budget", "advice_credential"]
    wanted = constraints_from(tracker(profile=said.as_dict(), advice_months="12"))
    assert (wanted.fully_online, wanted.max_months, wanted.no_licence) == (True, 12, None)


def test_the_forms_answers_are_kept_as_the_students_profile():
    slots = dict(advice_licensed="no", advice_online="yes", advice_months="12",
                 advice_budget=SKIP, advice_credential="certificate")  # fmt: skip
    events = ActionAdvise().run(CollectingDispatcher(), tracker(**slots), {})
    profile = next(e["value"] for e in events if e["name"] == "profile")
    assert (profile["licensed"], profile["online_only"], profile["months"]) == (False, True, 12)
    assert profile["credential"] == "certificate" and profile["budget"] is None
