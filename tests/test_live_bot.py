"""The running bot, over the REST channel, as a student would use it.

The bot answers from a copy of the real knowledge/ (``bot.knowledge_dir``); the tuition
figures expected here are read from that copy (``tuition_text``, ``tuition_amount``). The
other quoted facts (places, durations) are the real file's as it stands: an edit of those
needs one here too.
"""

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import yaml
from conftest import tuition_amount, tuition_text

from advisor.knowledge import load
from scripts.heldout import replay, send, summary

pytestmark = pytest.mark.live


def new_student() -> str:
    return f"student-{uuid.uuid4().hex[:10]}"


@contextmanager
def edited(bot, file: str, edit: Callable[[str], str]) -> Iterator[None]:
    """A knowledge file of the running bot changed by ``edit`` while the block runs, then
    put back; both servers look for edits once a second."""
    path = bot.knowledge_dir / file
    original = path.read_text()
    path.write_text(edit(original))
    try:
        time.sleep(2.5)
        yield
    finally:
        path.write_text(original)
        time.sleep(2.5)


def appended(key: str, entry: dict) -> Callable[[str], str]:
    """An edit that adds one entry to a knowledge file's list."""

    def edit(text: str) -> str:
        data = yaml.safe_load(text)
        data[key].append(entry)
        return yaml.safe_dump(data, sort_keys=False)

    return edit


def test_the_clarkson_example_from_the_readme(bot):
    student = new_student()
    assert tuition_text(bot.knowledge_dir, "clarkson") in send(
        bot.url, student, "what would I pay per credit hour at Clarkson"
    )
    assert "Omaha, Nebraska" in send(bot.url, student, "and where is that school?")


def test_and_at_another_school_switches_program_and_keeps_the_question(bot):
    student = new_student()
    assert "six months" in send(bot.url, student, "how long does EFSC take?")
    reply = send(bot.url, student, "and at HACC?")
    assert "Harrisburg Area Community College" in reply
    assert "three years" in reply


def ask(bot, student: str, text: str) -> list[dict]:
    """One REST turn, the bot's messages as sent (text, buttons, custom)."""
    body = json.dumps({"sender": student, "message": text}).encode()
    request = urllib.request.Request(
        bot.url + "/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_a_question_without_a_program_gets_every_programs_answer_and_a_way_to_narrow(bot):
    (message,) = ask(bot, new_student(), "How long does the program take to complete?")
    lines = message["text"].splitlines()
    assert lines[0] == "Expected time to completion, for each of the 5 programs I know:"
    assert "2. Harrisburg Area Community College: three years" in lines
    payload = message["buttons"][2]["payload"]
    assert json.loads(payload.removeprefix("/ask_question")) == {
        "program": "weber",
        "topic": "duration",
    }


def test_a_narrowing_button_answers_for_that_program(bot):
    student = new_student()
    (listed,) = ask(bot, student, "is it online?")
    assert listed["text"].startswith("Online study, for each of the 5 programs I know:")
    reply = send(bot.url, student, '/ask_question{"program": "weber", "topic": "online"}')
    assert reply.startswith("Yes — Weber State University's PACS program can be taken online.")


def test_a_question_the_file_cannot_answer_names_what_is_unknown_never_a_neighbouring_fact(bot):
    reply = send(bot.url, new_student(), "What's the application fee at Clarkson?")
    assert reply.startswith(
        "I don't have information about the application fee for Clarkson College."
    )
    assert tuition_amount(bot.knowledge_dir, "clarkson") not in reply  # another question


def test_a_school_not_in_the_file_is_said_plainly_after_talking_about_another(bot):
    student = new_student()
    assert "Omaha, Nebraska" in send(bot.url, student, "where is Clarkson?")
    reply = send(bot.url, student, "how much is Stanford?")
    assert reply.startswith("I have no records for Stanford.")
    assert tuition_amount(bot.knowledge_dir, "clarkson") not in reply


def test_a_topic_added_to_the_question_library_is_recognised_without_retraining(bot):
    parking = {
        "id": "parking",
        "name": "parking on campus",
        "examples": [
            "where can I park my car on campus",
            "is there a parking lot for students",
            "how much is a parking permit",
            "is parking free at the college",
        ],
    }
    with edited(bot, "questions.yml", appended("topics", parking)):
        reply = send(bot.url, new_student(), "Where do students park their cars?")
        assert reply.startswith("I don't have information about parking on campus")


def test_a_clicked_program_button_answers_the_pending_question(bot):
    student = new_student()
    send(bot.url, student, "how much does it cost?")
    reply = send(bot.url, student, '/inform_program{"program": "weber"}')
    assert tuition_text(bot.knowledge_dir, "weber") in reply


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "<script>alert(1)</script>", "x" * 20000])
def test_odd_input_gets_an_answer_and_the_bot_keeps_working(bot, text):
    student = new_student()
    body = json.dumps({"sender": student, "message": text}).encode()
    request = urllib.request.Request(
        bot.url + "/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
    assert "Klamath Falls" in send(bot.url, student, "where is Oregon Tech?")


def test_at_least_95_percent_of_held_out_questions_are_answered_correctly(bot):
    results = replay(bot.url, knowledge=load(bot.knowledge_dir))
    table = summary(results)
    wrong = [(r.said, r.missing, r.forbidden, r.reply) for r in results if not r.correct]
    assert table["all"]["total"] >= 60
    assert table["all"]["accuracy"] >= 0.95, wrong


def test_a_restarted_server_remembers_the_conversation(bot):
    student = new_student()
    assert "Ogden, Utah" in send(bot.url, student, "where is Weber State?")
    bot.rasa.stop()
    with pytest.raises(urllib.error.URLError):
        send(bot.url, student, "hello?")
    bot.rasa.start()
    assert tuition_text(bot.knowledge_dir, "weber") in send(bot.url, student, "how much is it?")


def test_a_program_added_to_the_knowledge_file_is_answered_without_retraining_or_restart(bot):
    riverbend = {
        "id": "riverbend",
        "name": "Riverbend Technical College",
        "aliases": ["Riverbend"],
        "location": {"city": "Boise", "state": "Idaho"},
        "duration": {"text": "nine months", "min_months": 9, "max_months": 9},
        "tuition": [{"amount": 450, "unit": "per_credit", "residency": "any"}],
        "source": "Test entry, Riverbend Technical College.",
    }
    with edited(bot, "programs.yml", appended("programs", riverbend)):
        student = new_student()
        reply = send(bot.url, student, "what would Riverbend Technical College cost me?")
        assert "Estimated tuition at Riverbend Technical College: $450 per credit hour." in reply
        assert "nine months" in send(bot.url, student, "and how long does it take?")
        assert "Boise, Idaho" in send(bot.url, student, "where's riverbnd?")


def test_an_invalid_knowledge_edit_is_refused_with_a_precise_error_and_the_last_good_one_serves(
    bot,
):
    rate = tuition_text(bot.knowledge_dir, "clarkson")
    ids = [p.id for p in load(bot.knowledge_dir).programs]

    def misspell(text: str) -> str:
        data = yaml.safe_load(text)
        clarkson = data["programs"][ids.index("clarkson")]
        clarkson["tution"] = clarkson.pop("tuition")
        return yaml.safe_dump(data, sort_keys=False)

    with edited(bot, "programs.yml", misspell):
        assert rate in send(bot.url, new_student(), "how much is Clarkson?")
        entry = f"entry #{ids.index('clarkson') + 1} (id 'clarkson')"
        expected = f"{entry}, field 'tution': extra fields not permitted"
        assert expected in (bot.workdir / "actions.log").read_text()
        assert expected in (bot.workdir / "rasa.log").read_text()


@pytest.mark.parametrize("path", ["/status", "/conversations/someone/tracker", "/model/parse"])
def test_rasas_http_api_is_off(bot, path):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(bot.url + path, timeout=10)
    assert error.value.code in (404, 405)


def test_message_text_is_not_written_to_the_logs(bot):
    marker = f"unicorn-{uuid.uuid4().hex[:8]}"
    send(bot.url, new_student(), f"is {marker} online?")
    for log in ("rasa.log", "actions.log"):
        assert marker not in (bot.workdir / log).read_text()
