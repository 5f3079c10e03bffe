"""The running bot under bad input and a failing action server: never a 500, never silence."""

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

from advisor import replies
from scripts.heldout import send

pytestmark = [pytest.mark.live, pytest.mark.chaos]

TEXTS = [
    "",
    " ",
    "\n\n\t",
    "x" * 20000,
    "how much? " * 300,
    "🙂",
    "🎓📚💸 how much is Weber? 💸",
    "👩🏽‍⚕️👨🏿‍💻",
    "ما هي تكلفة برنامج Weber؟",
    "מה המחיר של Clarkson?",
    "\u202eenilno ti sI\u202c",
    "Где находится Clarkson?",
    "クラークソンはどこですか",
    "学费是多少",
    "Zalgo: h̸̢̛o̷w̴ ̵m̶u̵c̶h̸",
    "\x00\x01\x02 where is EFSC",
    "\x1b[31mred\x1b[0m",
    "tab\tseparated\tquestion",
    "\r\n\r\n",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<b>bold</b> question about <i>HACC</i>",
    "javascript:alert(1)",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "'; DROP TABLE events; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM conversations;--",
    '{"sender": "other", "message": "hijack"}',
    "/restart",
    "/ask_cost",
    '/ask_question{"topic": "no_such_topic"}',
    '/inform_program{"program": "does-not-exist"}',
    '/inform_program{"program": ',
    "/nonexistent_intent",
    "\\u0000\\n",
    "%00%0a%0d",
    "../../../../etc/passwd",
    "A" * 2001,
    "a",
    "?",
    "............",
    "Weber " * 50,
    "Clarkson Clarkson Clarkson how much",
]

# (body bytes, content type) pairs that are not a well-formed chat message.
BODIES = [
    (b"", "application/json"),
    (b"not json at all", "application/json"),
    (b"{", "application/json"),
    (b"[]", "application/json"),
    (b'"just a string"', "application/json"),
    (b"null", "application/json"),
    (b"{}", "application/json"),
    (b'{"message": "hi"}', "application/json"),
    (b'{"sender": "", "message": "hi"}', "application/json"),
    (b'{"sender": null, "message": "hi"}', "application/json"),
    (b'{"sender": ["a"], "message": "hi"}', "application/json"),
    (b'{"sender": "s", "message": null}', "application/json"),
    (b'{"sender": "s", "message": 42}', "application/json"),
    (b'{"sender": "s", "message": {"text": "hi"}}', "application/json"),
    (b'{"sender": "s", "message": "hi", "metadata": "nope"}', "application/json"),
    (b"sender=s&message=hi", "application/x-www-form-urlencoded"),
    (b'{"sender": "s", "message": "hi"}', "text/plain"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (('{"sender": "' + "s" * 500 + '", "message": "hi"}').encode(), "application/json"),
]


def post(url: str, body: bytes, content_type: str = "application/json"):
    request = urllib.request.Request(
        url + "/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_corpus_has_at_least_50_nasty_inputs():
    assert len(TEXTS) + len(BODIES) >= 50


@pytest.mark.parametrize("text", TEXTS)
def test_a_nasty_text_gets_a_json_answer_and_the_conversation_goes_on(bot, text):
    student = f"nasty-{uuid.uuid4().hex[:8]}"
    status, messages = post(bot.url, json.dumps({"sender": student, "message": text}).encode())
    assert status == 200
    assert messages and all("text" in m or "buttons" in m for m in messages)
    assert "Omaha, Nebraska" in send(bot.url, student, "where is Clarkson College?")


@pytest.mark.parametrize("body, content_type", BODIES)
def test_a_malformed_request_is_refused_with_a_sentence_not_a_500(bot, body, content_type):
    status, answer = post(bot.url, body, content_type)
    if status == 200:  # text/plain holding valid JSON is still a readable request
        assert answer[0]["text"]
    else:
        assert status == 400
        assert answer["error"].endswith(".")


def test_an_empty_and_a_too_long_message_get_their_own_clear_answers(bot):
    _, empty = post(bot.url, json.dumps({"sender": "s-empty", "message": "  "}).encode())
    assert empty[0]["text"] == replies.EMPTY_MESSAGE
    _, long = post(bot.url, json.dumps({"sender": "s-long", "message": "y" * 20000}).encode())
    assert long[0]["text"].startswith("Your message is 20,000 characters long")


def test_when_the_action_server_is_down_the_student_gets_an_apology_fast_then_answers_resume(bot):
    student = f"outage-{uuid.uuid4().hex[:8]}"
    bot.actions.stop()
    try:
        started = time.monotonic()
        reply = send(bot.url, student, "where is Weber State?")
        elapsed = time.monotonic() - started
        assert reply == replies.NO_ANSWER
        assert elapsed < 2.0
    finally:
        bot.actions.start()
    assert "Ogden, Utah" in send(bot.url, student, "where is Weber State?")
