"""Handing a web conversation to the admissions team in Slack, for real: a running bot with
the web chat and the Slack channel on, students as real socket.io clients, staff as signed
Slack requests, and the Slack Web API a local fake that records every post
(``tests.test_live_slack.FakeSlackApi``).

The staff channel is ``CSTAFF``; a request nobody answers times out after
``TIMEOUT_SECONDS``."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from advisor import replies
from scripts.live import Bot
from scripts.pages import serve_demo
from tests.live_channels import RestStudent, WebSocket
from tests.test_live_slack import SECRET, FakeSlackApi, post, signed
from tests.test_live_webchat import (  # noqa: F401 - browser is a fixture
    REPORTS,
    ask,
    bot_count,
    browser,
    new_page,
    open_chat,
    wait_for_reply,
)

pytestmark = pytest.mark.live
STAFF_CHANNEL = "CSTAFF"
TIMEOUT_SECONDS = 8
CONFIRM = replies.HANDOFF_CONFIRM_BUTTONS[0]["payload"]
BLANK_QUESTION = "what is the application fee at Weber State?"


@pytest.fixture(scope="module")
def handoff_bot(tmp_path_factory) -> Iterator[tuple[Bot, FakeSlackApi]]:
    api = FakeSlackApi()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    workdir = tmp_path_factory.mktemp("handoff")
    bot = Bot(
        workdir,
        extra_env={
            "HANDOFF_STORE_URL": f"sqlite:///{workdir / 'handoff.db'}",
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"http://127.0.0.1:{api.server_address[1]}/",
            "HANDOFF_SLACK_CHANNEL": STAFF_CHANNEL,
            "HANDOFF_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
        },
        extra_channels="channels.slack.AdvisorSlackInput:\n",
    )
    bot.start()
    try:
        yield bot, api
    finally:
        bot.stop()
        api.shutdown()


# --- the people -------------------------------------------------------------------------


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text", "") for m in messages]


async def say(socket: WebSocket, text: str, settle: float = 1.0) -> list[dict]:
    """What the student gets for one message: every message until none came for ``settle``."""
    await socket.client.emit("user_uttered", {"message": text})
    first = await asyncio.wait_for(socket.replies.get(), 60)
    return [first, *await socket.more(settle)]


async def handed_off(
    bot: Bot, api: FakeSlackApi, question: str = BLANK_QUESTION
) -> tuple[WebSocket, str, dict]:
    """A student who asked something the bot lacks, asked for a person and confirmed: their
    open socket, the staff thread's ts and the summary posted in the staff channel (both
    found by the student's question)."""
    socket = await WebSocket(bot.url).__aenter__()
    await say(socket, question)
    assert texts(await say(socket, "can I talk to someone")) == [replies.HANDOFF_CONFIRM]
    assert texts(await say(socket, CONFIRM)) == [replies.HANDOFF_STARTED]
    deadline = time.monotonic() + 10
    while True:
        mine = [p for p in api.posts()[::-1]
                if p["channel"] == STAFF_CHANNEL and question in p.get("text", "")]  # fmt: skip
        summaries = [p for p in mine if "thread_ts" not in p]
        threads = [p["thread_ts"] for p in mine if p.get("thread_ts")]
        if summaries and threads:
            return socket, threads[0], summaries[0]
        assert time.monotonic() < deadline, "no summary and thread in the staff channel"
        await asyncio.sleep(0.1)


def staff_says(bot: Bot, thread: str, text: str, secret: str = SECRET) -> int:
    """A staff member's reply in a thread of the staff channel, as Slack signs and sends it."""
    body = json.dumps(staff_event(thread, text))
    return post(bot, body, signed(body, secret=secret))[0]


def staff_clicks_close(bot: Bot, thread: str) -> int:
    body = "payload=" + urllib.parse.quote(json.dumps(close_click(thread)))
    headers = {**signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    request = urllib.request.Request(
        bot.url + "/webhooks/slack/webhook", data=body.encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status


def in_thread(api: FakeSlackApi, thread: str) -> list[str]:
    return [p.get("text", "") for p in api.posts() if p.get("thread_ts") == thread]


async def next_message(socket: WebSocket, timeout: float) -> dict:
    return await asyncio.wait_for(socket.replies.get(), timeout)


# --- the tests ----------------------------------------------------------------------------


def test_a_request_posts_a_summary_with_a_close_button_and_the_last_turns_in_its_thread(
    handoff_bot,
):
    bot, api = handoff_bot

    async def scenario() -> None:
        socket, thread, summary = await handed_off(bot, api)
        await socket.__aexit__(None, None, None)
        assert BLANK_QUESTION in summary["text"]
        assert "application fee" in summary["text"]  # what the bot could not answer
        buttons = [e for b in summary["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert [b["text"]["text"] for b in buttons] == [replies.STAFF_CLOSE_BUTTON]
        (turns,) = in_thread(api, thread)
        assert f"*Student:* {BLANK_QUESTION}" in turns
        assert "*Bot:* I don't have information about the application fee" in turns
        assert "talk to someone" not in turns  # the asking itself is not a turn for staff

    asyncio.run(scenario())


def test_after_a_second_i_dont_have_that_the_bot_offers_a_person(handoff_bot):
    bot, _ = handoff_bot

    async def scenario() -> None:
        async with WebSocket(bot.url) as socket:
            first = await say(socket, BLANK_QUESTION)
            assert replies.HANDOFF_OFFER not in texts(first)
            second = await say(socket, "what salary can I expect after the program?")
            assert texts(second)[0].startswith("I don't have")
            offer = next(m for m in second if m.get("text") == replies.HANDOFF_OFFER)
            assert [b["title"] for b in offer["quick_replies"] or offer["buttons"]] == [
                replies.ASK_HUMAN_BUTTON["title"]
            ]

    asyncio.run(scenario())


def test_a_signed_staff_reply_reaches_that_student_only_within_2_s_and_the_bot_stays_quiet(
    handoff_bot,
):
    bot, api = handoff_bot

    async def scenario() -> None:
        student, thread, _ = await handed_off(bot, api)
        async with WebSocket(bot.url) as bystander:
            await bystander.ask({"message": "where is Weber State?"})
            started = time.monotonic()
            assert staff_says(bot, thread, "Hi, I'm Dana from admissions &amp; I can help.") == 200
            reply = await next_message(student, 2.0)
            delay = time.monotonic() - started
            assert reply["text"] == "Hi, I'm Dana from admissions & I can help."
            assert reply["sender"] == replies.STAFF_NAME
            assert delay <= 2.0
            assert await bystander.more(1.5) == []  # never another student's
            # the student's next messages go to staff; the bot says once that it stays out
            assert texts(await say(student, "thanks! is the fee waived for veterans?")) == [
                replies.HANDOFF_QUIET
            ]
            assert texts(await say(student, "how much is Weber?", settle=1.5)) == [""]
            assert in_thread(api, thread)[-2:] == [
                "*Student:* thanks! is the fee waived for veterans?",
                "*Student:* how much is Weber?",
            ]
        await student.__aexit__(None, None, None)

    asyncio.run(scenario())
    logged = (bot.workdir / "rasa.log").read_text() + (bot.workdir / "actions.log").read_text()
    for text in ("Dana from admissions", "waived for veterans", "how much is Weber"):
        assert text not in logged  # message text is not logged


def test_two_students_handed_off_at_once_each_get_only_their_own_staff_reply(handoff_bot):
    bot, api = handoff_bot

    async def scenario() -> None:
        (first, thread1, _), (second, thread2, _) = await asyncio.gather(
            handed_off(bot, api, "what is the application fee at Clarkson College?"),
            handed_off(bot, api, "what is the application fee at Oregon Tech?"),
        )
        assert thread1 != thread2
        assert staff_says(bot, thread2, "For the second student") == 200
        assert staff_says(bot, thread1, "For the first student") == 200
        assert (await next_message(first, 2.0))["text"] == "For the first student"
        assert (await next_message(second, 2.0))["text"] == "For the second student"
        assert await first.more(1.0) == [] and await second.more(0.1) == []
        for socket in (first, second):
            await socket.__aexit__(None, None, None)

    asyncio.run(scenario())


def test_a_forged_staff_reply_is_refused_and_reaches_no_one(handoff_bot):
    bot, api = handoff_bot

    async def scenario() -> None:
        student, thread, _ = await handed_off(bot, api)
        assert staff_says(bot, thread, "Send me your password", secret="not-the-secret") == 400
        assert await student.more(2.0) == []
        await student.__aexit__(None, None, None)

    asyncio.run(scenario())


def test_close_in_slack_gives_the_conversation_back_to_the_bot(handoff_bot):
    bot, api = handoff_bot

    async def scenario() -> None:
        for close in ("button", "done"):
            student, thread, _ = await handed_off(bot, api)
            assert staff_says(bot, thread, "Your fee is waived.") == 200
            assert (await next_message(student, 2.0))["sender"] == replies.STAFF_NAME
            if close == "button":
                assert staff_clicks_close(bot, thread) == 200
            else:
                assert staff_says(bot, thread, "done") == 200
            assert (await next_message(student, 2.0))["text"] == replies.HANDOFF_CLOSED
            assert in_thread(api, thread)[-1].startswith("Closed by <@USTAFF")
            answer = await say(student, "where is Weber State?")
            assert "Ogden, Utah" in " ".join(texts(answer))
            # the thread is no longer heard
            assert staff_says(bot, thread, "one more thing") == 200
            assert await student.more(1.5) == []
            assert in_thread(api, thread)[-1] == replies.STAFF_THREAD_CLOSED
            await student.__aexit__(None, None, None)

    asyncio.run(scenario())


def test_no_staff_reply_in_time_the_student_is_told_and_may_leave_a_question(handoff_bot):
    bot, api = handoff_bot

    async def scenario() -> None:
        student, thread, _ = await handed_off(bot, api)
        told = await next_message(student, TIMEOUT_SECONDS + 5)
        assert told["text"] == replies.handoff_timed_out(TIMEOUT_SECONDS)
        assert told["buttons"] == replies.HANDOFF_LEAVE_BUTTONS
        assert texts(await say(student, replies.LEAVE_QUESTION_PAYLOAD)) == [
            replies.HANDOFF_ASK_QUESTION
        ]
        question = "Can I transfer credits from my associate degree?"
        assert texts(await say(student, question)) == [replies.HANDOFF_ASK_EMAIL]
        assert texts(await say(student, "my email is what?")) == [replies.HANDOFF_EMAIL_UNCLEAR]
        assert texts(await say(student, "jane.doe@example.com")) == [replies.handoff_left(True)]
        assert in_thread(api, thread)[-1] == replies.staff_question_left(
            question, "jane.doe@example.com"
        )
        with sqlite3.connect(bot.workdir / "handoff.db") as db:
            stored = db.execute(
                "SELECT question, email FROM handoffs WHERE thread_ts = ?", (thread,)
            ).fetchone()
        assert stored == (question, "jane.doe@example.com")
        # the bot answers again
        assert "Ogden, Utah" in " ".join(texts(await say(student, "where is Weber State?")))
        await student.__aexit__(None, None, None)

    asyncio.run(scenario())


@pytest.mark.chaos
def test_a_restart_during_a_hand_off_keeps_it_and_a_reply_sent_meanwhile_waits(handoff_bot):
    bot, api = handoff_bot

    async def scenario() -> None:
        student, thread, _ = await handed_off(bot, api)
        token = student.token
        assert staff_says(bot, thread, "Looking into it now.") == 200
        seen = (await next_message(student, 2.0))["handoff_id"]
        await student.__aexit__(None, None, None)  # the page is closed
        bot.rasa.stop()
        bot.rasa.start()
        assert staff_says(bot, thread, "Found it: the fee is $40.") == 200
        back = await WebSocket(bot.url, token).__aenter__()  # the page comes back
        assert back.token == token
        await back.client.emit("handoff_history", {"after": seen})
        waiting = await next_message(back, 5.0)
        assert (waiting["text"], waiting["sender"]) == (
            "Found it: the fee is $40.",
            "Admissions team",
        )
        assert await back.more(1.0) == []  # nothing it had seen comes twice
        # still with staff: the bot does not answer; a live reply reaches the new socket
        assert texts(await say(back, "great, and the deadline?")) == [replies.HANDOFF_QUIET]
        assert staff_says(bot, thread, "March 1.") == 200
        assert (await next_message(back, 2.0))["text"] == "March 1."
        await back.__aexit__(None, None, None)

    asyncio.run(scenario())


def test_a_chat_that_cannot_hand_over_says_so_and_what_it_can_do_instead(handoff_bot):
    bot, _ = handoff_bot
    reply = RestStudent(bot).say("can I talk to someone")
    assert reply == [replies.HANDOFF_UNAVAILABLE]


def test_in_the_browser_a_staff_reply_shows_under_their_name_also_after_the_page_was_closed(
    handoff_bot, browser, tmp_path  # noqa: F811 - the fixture imported above
):
    bot, api = handoff_bot
    server = serve_demo(tmp_path / "web", bot.url, bot.web_port)
    try:
        page = new_page(browser, {"width": 480, "height": 760})
        page.goto(f"http://127.0.0.1:{bot.web_port}/")
        open_chat(page)
        question = BLANK_QUESTION
        ask(page, question)
        confirm = ask(page, "can I talk to someone from admissions?")
        before = bot_count(page)
        confirm.get_by_role("button", name="Yes, connect me").click()
        wait_for_reply(page, before)
        thread = next(p["thread_ts"] for p in api.posts()[::-1]
                      if p.get("thread_ts") and question in p.get("text", ""))  # fmt: skip
        assert staff_says(bot, thread, "Hi, this is Dana from admissions. The fee is $40, "
                          "waived if you apply before March 1.") == 200  # fmt: skip
        staff = page.locator(".msg-staff")
        staff.wait_for(timeout=2000)
        assert staff.locator(".who").inner_text() == replies.STAFF_NAME
        assert "The fee is $40" in staff.inner_text()
        page.wait_for_timeout(300)
        REPORTS.mkdir(exist_ok=True)
        page.screenshot(path=str(REPORTS / "handoff.png"))

        page.goto("about:blank")  # the student closes the page ...
        assert staff_says(bot, thread, "PS: you can apply online.") == 200
        page.goto(f"http://127.0.0.1:{bot.web_port}/")  # ... and comes back
        if not page.get_by_role("dialog").is_visible():
            open_chat(page)
        page.locator(".msg-staff").nth(1).wait_for(timeout=10000)
        assert page.locator(".msg-staff").all_inner_texts()[1].endswith("PS: you can apply online.")
        assert page.locator(".msg-staff").count() == 2  # nothing twice
        assert page.errors == []
    finally:
        server.shutdown()
        server.server_close()


def staff_event(thread: str, text: str) -> dict:
    """A staff member's reply in a thread of the staff channel, as an Events API body."""
    return {
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"user_id": "UBOT"}],
        "event": {
            "type": "message",
            "channel": STAFF_CHANNEL,
            "channel_type": "channel",
            "user": "USTAFF1",
            "text": text,
            "ts": f"{time.time():.6f}",
            "thread_ts": thread,
        },
    }


def close_click(thread: str, user: str = "USTAFF2") -> dict:
    """The Close button of the hand-off posted as ``thread``, clicked."""
    return {
        "type": "block_actions",
        "trigger_id": f"{uuid.uuid4().int % 10**12}.1.{uuid.uuid4().hex[:8]}",
        "user": {"id": user},
        "channel": {"id": STAFF_CHANNEL},
        "message": {"ts": thread},
        "actions": [{"type": "button", "action_id": "handoff_close", "value": "handoff_close"}],
    }


def test_in_socket_mode_staff_replies_and_close_come_down_the_socket(tmp_path):
    from tests.test_live_slack import APP_TOKEN, BOT_TOKEN
    from tests.test_live_slack_socket import FakeSocketMode, events_api, interactive

    socket_mode, api = FakeSocketMode(), FakeSlackApi()
    api.socket_url = socket_mode.url
    threading.Thread(target=api.serve_forever, daemon=True).start()
    bot = Bot(
        tmp_path,
        extra_env={
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_API_URL": f"http://127.0.0.1:{api.server_address[1]}/",
            "HANDOFF_SLACK_CHANNEL": STAFF_CHANNEL,
            "HANDOFF_STORE_URL": f"sqlite:///{tmp_path / 'handoff.db'}",
        },
        extra_channels="channels.slack_socket.AdvisorSlackSocketInput:\n",
    )

    async def scenario() -> None:
        student, thread, _ = await handed_off(bot, api)
        reply = staff_event(thread, "Hello from Slack, over the socket.")
        started = time.monotonic()
        assert await asyncio.to_thread(socket_mode.send, events_api(reply))
        assert (await next_message(student, 2.0))["text"] == "Hello from Slack, over the socket."
        assert time.monotonic() - started <= 2.0
        assert await asyncio.to_thread(socket_mode.send, events_api(reply))  # a repeat ...
        assert await student.more(1.0) == []  # ... is not shown twice
        assert await asyncio.to_thread(socket_mode.send, interactive(close_click(thread)))
        assert (await next_message(student, 2.0))["text"] == replies.HANDOFF_CLOSED
        await student.__aexit__(None, None, None)

    try:
        bot.start()
        socket_mode.wait_for_connections(1)
        asyncio.run(scenario())
    finally:
        bot.stop()
        api.shutdown()
        socket_mode.close()
