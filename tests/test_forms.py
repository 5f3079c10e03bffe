"""Guided advising: typed or clicked answers become constraints; the advice explains itself."""

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import (
    SKIP,
    ActionAdvise,
    ActionChangeAdvice,
    ActionStartAdvice,
    ValidateAdvisingForm,
    constraints_from,
)
from advisor.advising import Budget, Constraints
from advisor.knowledge import Residency, Unit

FORM = ValidateAdvisingForm()
pytestmark = pytest.mark.usefixtures("actions_on_fixture_knowledge")


def tracker(**slots):
    return Tracker("s", slots, {"intent": {}, "entities": [], "text": ""}, [], False, None,
                   {}, "action_listen")  # fmt: skip


def asked(slot: str, text: str, intent: str, asks: bool = False, then: tuple[str, ...] = (),
          **slots) -> Tracker:  # fmt: skip
    """The form asked ``slot``; the student wrote ``text``, which the NLU read as ``intent``
    (``asks``: with a question mark or question word); ``then``: actions run since."""
    message = {"text": text, "intent": {"name": intent}, "entities": [],
               "meaning": {"intent": intent, "asks": asks}}  # fmt: skip
    events = [{"event": "action", "name": "advising_form"},
              {"event": "user", "text": text, "parse_data": message},
              {"event": "action", "name": "action_extract_slots"},
              *({"event": "action", "name": name} for name in then),
              {"event": "slot", "name": "requested_slot", "value": slot},
              {"event": "action", "name": "advising_form"}]  # fmt: skip
    return Tracker("s", {"requested_slot": slot, **slots}, message, events, False, None,
                   {"name": "advising_form"}, "advising_form")  # fmt: skip


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
    assert "Left out: HACC (takes three years)" in message["text"]
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


# --- leaving the form, questions in the middle, starting again --------------------------------


@pytest.mark.parametrize(
    "slot, text, intent",
    [
        ("advice_months", "within a year", "ask_question"),  # a question to the classifier
        ("advice_credential", "certificate", "ask_question"),
        ("advice_budget", "under 8000 total", "filter_programs"),
        ("advice_online", "yes has to be online, i work full time", "share_profile"),
        ("advice_budget", "hmm", "nlu_fallback"),  # no answer: validation asks again
        ("advice_online", "skip", "stop"),  # skipping a question is not leaving the form
        ("advice_months", "0 months", "list_programs"),  # not read: asked again
    ],
)
def test_the_form_takes_an_answer_whatever_intent_it_looked_like(slot, text, intent):
    assert FORM._extracted(slot, asked(slot, text, intent)) == {slot: text}


@pytest.mark.parametrize(
    "slot, text, intent, asks",
    [
        ("advice_budget", "how much is Weber?", "ask_question", True),
        ("advice_licensed", "do I need to be licensed for Weber?", "ask_question", True),
        ("advice_online", "compare weber and clarkson", "compare_programs", True),
        ("advice_budget", "I live in Utah", "share_profile", False),
        ("advice_months", "stop", "stop", False),
        ("advice_months", "never mind", "stop", False),
        ("advice_credential", "bye", "goodbye", False),
        ("advice_budget", "whats the gpa cutoff?", "nlu_fallback", True),
    ],
)
def test_a_question_or_stop_is_not_taken_as_an_answer(slot, text, intent, asks):
    # Nothing extracted: the form rejects the message and a rule answers it.
    assert FORM._extracted(slot, asked(slot, text, intent, asks)) == {}


def test_after_a_question_was_answered_the_form_only_asks_again():
    answered = asked("advice_budget", "weber", "inform_program",
                     then=("action_answer_question",))  # fmt: skip
    assert FORM._extracted("advice_budget", answered) == {}
    # and a message for another question than the one asked is not its answer
    assert FORM._extracted("advice_months", asked("advice_budget", "a year", "ask_question")) == {}


def test_help_me_choose_starts_afresh_even_after_a_broken_or_stale_answer():
    dispatcher = CollectingDispatcher()
    stale = tracker(advice_budget="{oops", advice_months="12", requested_slot="advice_budget")
    events = ActionStartAdvice().run(dispatcher, stale, {})
    cleared = {e["name"]: e["value"] for e in events if e["name"].startswith(("advice", "req"))}
    assert cleared == {"advice_licensed": None, "advice_online": None, "advice_months": None,
                       "advice_budget": None, "advice_credential": None,
                       "requested_slot": None}  # fmt: skip
    assert dispatcher.messages == []  # nothing known about the student: nothing to say


def test_help_me_choose_again_says_what_it_goes_by_and_offers_to_start_over():
    from advisor.profile import Profile

    dispatcher = CollectingDispatcher()
    known = Profile(licensed=False, online_only=True, months=12).as_dict()
    ActionStartAdvice().run(dispatcher, tracker(profile=known), {})
    (message,) = dispatcher.messages
    assert message["text"].startswith("I'll go by what you've told me: you don't have a license")
    assert [b["title"] for b in message["buttons"]] == ["Start over"]


def test_start_over_forgets_every_answer_of_the_form_but_not_where_the_student_lives():
    from advisor.profile import Profile

    known = Profile(state="Utah", licensed=False, online_only=True, months=12).as_dict()
    start_over = Tracker("s", {"profile": known, "advice_months": "12"},
                         {"intent": {"name": "change_advice"}, "text": "",
                          "entities": [{"entity": "advice_question", "value": "all"}]},
                         [], False, None, {}, "action_listen")  # fmt: skip
    events = ActionChangeAdvice().run(CollectingDispatcher(), start_over, {})
    profile = next(e["value"] for e in events if e["name"] == "profile")
    assert Profile.from_dict(profile) == Profile(state="Utah")
    assert {e["name"] for e in events if e["value"] is None} >= {"advice_months", "advice_budget"}


def test_every_question_has_a_stop_button():
    from advisor.replies import ADVICE_QUESTIONS

    for text, buttons in ADVICE_QUESTIONS.values():
        assert ("Stop", "/stop") in buttons, text


def test_a_slot_just_cleared_is_no_answer_to_complain_about():
    dispatcher = CollectingDispatcher()
    assert FORM.validate_advice_budget(None, dispatcher, tracker(), {}) == {"advice_budget": None}
    assert dispatcher.messages == []
