"""The guided form ("help me choose") on the running bot, over REST: it can be left at any
question, a question asked in the middle is answered and the form goes on, and starting it
again — in the same session or a new one — starts from no answers."""

from pathlib import Path

import pytest
import yaml

from advisor import replies
from tests.live_channels import RestStudent

pytestmark = pytest.mark.live

DOMAIN = yaml.safe_load((Path(__file__).resolve().parent.parent / "domain.yml").read_text())
STOPPED = DOMAIN["responses"]["utter_advice_stopped"][0]["text"]
LICENSED, ONLINE, MONTHS, BUDGET, CREDENTIAL = (
    replies.ADVICE_QUESTIONS[slot][0] for slot in replies.CHANGE_ADVICE
)


def test_the_form_answered_in_free_text_ends_in_advice(bot):
    student = RestStudent(bot)
    assert student.say("help me choose") == [LICENSED]
    assert student.say("no im not registered with anything yet") == [ONLINE]
    assert student.say("yes has to be online") == [MONTHS]
    assert student.say("within a year") == [BUDGET]
    assert student.say("skip") == [CREDENTIAL]
    (advice,) = student.say("certificate")
    assert advice.startswith("These programs match:")


@pytest.mark.parametrize("leave", ["stop", "cancel", "never mind", "/stop"])
def test_stop_cancel_never_mind_or_the_stop_button_leave_the_form_at_any_question(bot, leave):
    student = RestStudent(bot)
    student.say("help me choose")
    assert student.say("no") == [ONLINE]
    assert student.say(leave) == [STOPPED]
    # out of the form: "yes" is no longer an answer to it, and questions get their answers
    assert ONLINE not in student.say("yes")
    assert "Weber State University is in Ogden, Utah." in student.say("where is Weber State?")


def test_a_question_in_the_middle_is_answered_then_the_form_asks_its_question_again(bot):
    student = RestStudent(bot)
    student.say("help me choose")
    assert student.say("no") == [ONLINE]
    assert student.say("where is Weber State?") == [
        "Weber State University is in Ogden, Utah.",
        ONLINE,
    ]
    assert student.say("yes") == [MONTHS]  # the answer goes to the question asked


def test_an_answer_that_does_not_read_is_asked_again_and_the_form_can_still_be_left(bot):
    student = RestStudent(bot)
    student.say("help me choose")
    student.say("no")
    student.say("yes")
    assert student.say("0 months") == [replies.ADVICE_NOT_UNDERSTOOD, MONTHS]
    assert student.say("{oops") == [replies.ADVICE_NOT_UNDERSTOOD, MONTHS]
    assert student.say("never mind") == [STOPPED]


def test_help_me_choose_again_starts_from_no_answers_also_in_a_new_session(bot):
    student = RestStudent(bot)
    student.say("help me choose")
    student.say("no")
    assert student.say("yes") == [MONTHS]
    assert student.say("stop") == [STOPPED]
    assert student.say("help me choose") == [LICENSED]  # not the months question
    student.say("no")
    student.say("yes")
    student.say("/session_start")  # a new session: the slots are carried over into it
    assert student.say("help me choose") == [LICENSED]


def test_after_advice_help_me_choose_goes_by_the_answers_given_and_offers_to_start_over(bot):
    student = RestStudent(bot)
    for answer in ("help me choose", "no", "yes", "within a year", "skip"):
        student.say(answer)
    assert student.say("certificate")[0].startswith("These programs match:")
    going_by, question = student.say("help me choose")
    assert going_by.startswith("I'll go by what you've told me: you don't have a license yet")
    assert question == BUDGET  # the one question skipped before
    # the "Start over" button: every question again
    assert student.say(replies.START_OVER["payload"]) == [LICENSED]
