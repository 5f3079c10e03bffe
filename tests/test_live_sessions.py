"""A conversation belongs to the one person who started it: web sessions are issued by the
server, conversations are namespaced per channel, REST can require a token."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from scripts.live import Bot
from tests.live_channels import RestStudent, WebSocket, WebStudent, rest_status, user_texts

pytestmark = [pytest.mark.live, pytest.mark.chaos]  # takeover attempts
TOKEN = "rest-token-" + uuid.uuid4().hex
WEBER = "Weber State University is in Ogden, Utah."
WEBER_TUITION = "Estimated tuition at Weber State University"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    running = Bot(tmp_path_factory.mktemp("sessions"), extra_env={"REST_TOKEN": TOKEN}).start()
    yield running
    running.stop()


def test_the_server_issues_a_session_of_128_random_bits_with_a_signed_token(bot):
    first, second = WebStudent(bot), WebStudent(bot)
    assert WEBER in first.say("where is Weber State?")
    second.say("hi")
    session, signature = first.token.split(".")
    assert len(session) == 22 and len(signature) == 43  # base64url of 16 and 32 bytes
    assert first.token != second.token
    assert user_texts(bot, f"web:{session}") == ["where is Weber State?"]


def test_a_reload_continues_the_conversation_of_the_person_who_started_it(bot):
    student = WebStudent(bot)  # each say() is a new socket presenting the kept token
    assert WEBER in student.say("where is Weber State?")
    token = student.token
    assert any(WEBER_TUITION in reply for reply in student.say("how much is it?"))
    assert student.token == token


@pytest.mark.parametrize("named", ["session id", "conversation id", "unsigned guess"])
def test_a_browser_that_names_someone_elses_session_gets_its_own_instead(bot, named):
    owner = WebStudent(bot)
    owner.say("where is Weber State?")
    session = owner.token.split(".")[0]
    claimed = {
        "session id": session,
        "conversation id": f"web:{session}",
        "unsigned guess": "web-k3j4h5" + "lq1w2e3",  # what the old page generated
    }[named]

    intruder = WebStudent(bot, token=claimed)
    replies = intruder.say("how much is it?")

    assert intruder.token != owner.token
    assert not any(WEBER_TUITION in reply for reply in replies)  # no context of the owner's
    assert user_texts(bot, f"web:{session}") == ["where is Weber State?"]


def test_a_socket_cannot_talk_into_another_session_by_naming_it_in_a_message(bot):
    owner = WebStudent(bot)
    owner.say("where is Weber State?")

    async def scenario():
        async with WebSocket(bot.url, owner.token) as owners_tab, WebSocket(bot.url) as other:
            answer = await other.ask({"message": "how much is it?", "session_id": owner.token})
            overheard = await owners_tab.more(settle=1.5)
            return answer, overheard

    answer, overheard = asyncio.run(scenario())
    assert not any(WEBER_TUITION in reply for reply in answer)
    assert overheard == []  # the owner's open tab received nothing of the other's talk
    assert user_texts(bot, owner.conversation) == ["where is Weber State?"]


def test_the_owners_two_tabs_both_see_the_conversation(bot):
    owner = WebStudent(bot)
    owner.say("where is Weber State?")

    async def scenario():
        async with WebSocket(bot.url, owner.token) as one, WebSocket(bot.url, owner.token) as two:
            answer = await one.ask({"message": "how much is it?"})
            return answer, [m.get("text", "") for m in await two.more(settle=1.5)]

    answer, seen_in_other_tab = asyncio.run(scenario())
    assert any(WEBER_TUITION in reply for reply in answer)
    assert seen_in_other_tab == answer


def test_rest_web_and_slack_ids_are_different_conversations(bot):
    web = WebStudent(bot)
    web.say("where is Weber State?")
    session = web.token.split(".")[0]
    for sender in (session, f"web:{session}", web.token):
        rest = RestStudent(bot, token=TOKEN)
        rest.sender = sender
        assert not any(WEBER_TUITION in r for r in rest.say("how much is it?"))
    assert user_texts(bot, f"rest:{session}") == ["how much is it?"]
    assert user_texts(bot, web.conversation) == ["where is Weber State?"]


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong-token", TOKEN, f"Basic {TOKEN}", "Bearer "]
)
def test_with_rest_token_set_rest_refuses_a_request_without_it(bot, authorization):
    body = json.dumps({"sender": "s", "message": "where is Weber State?"}).encode()
    headers = {"Authorization": authorization} if authorization else {}
    status, answer = rest_status(bot, body, headers)
    assert status == 401
    assert answer["error"] == "This channel needs the token: Authorization: Bearer <REST_TOKEN>."


def test_with_the_rest_token_rest_answers(bot):
    assert WEBER in RestStudent(bot, token=TOKEN).say("where is Weber State?")


def test_a_restart_keeps_every_web_and_rest_conversation(bot):
    web, rest = WebStudent(bot), RestStudent(bot, token=TOKEN)
    web.say("where is Weber State?")
    rest.say("where is Weber State?")
    bot.rasa.stop()
    bot.rasa.start()
    assert any(WEBER_TUITION in reply for reply in web.say("how much is it?"))
    assert any(WEBER_TUITION in reply for reply in rest.say("how much is it?"))
