"""Every channel fails politely, and the same way: REST, the web chat (socket.io) and Slack,
against one running bot whose action server is stopped, hung or failing."""

from __future__ import annotations

import time

import pytest

from advisor import replies
from tests.live_channels import CHANNELS, action_server, student, user_texts
from tests.test_live_slack import bot_with_slack

pytestmark = [pytest.mark.live, pytest.mark.chaos]


@pytest.fixture(scope="module")
def everywhere(tmp_path_factory):
    """A bot listening on all three channels; Slack's Web API stood in for locally."""
    with bot_with_slack(tmp_path_factory.mktemp("channels")) as running:
        yield running


@pytest.mark.parametrize("channel", CHANNELS)
def test_with_the_action_server_down_every_channel_apologises_at_once_then_answers_again(
    everywhere, channel
):
    bot, api = everywhere
    someone = student(channel, bot, api)
    with action_server(bot, "down"):
        started = time.monotonic()
        assert someone.say("where is Weber State?") == [replies.NO_ANSWER]
        assert time.monotonic() - started < 3
    assert "Weber State University is in Ogden, Utah." in someone.say("where is Weber State?")


@pytest.mark.parametrize("channel", CHANNELS)
def test_with_the_action_server_hung_every_channel_apologises_within_10_seconds_and_keeps_the_question(  # noqa: E501
    everywhere, channel
):
    bot, api = everywhere
    someone = student(channel, bot, api)
    with action_server(bot, "hung"):
        started = time.monotonic()
        assert someone.say("where is Clarkson College?", timeout=30) == [replies.NO_ANSWER]
        assert time.monotonic() - started < 10.5
    assert "Omaha, Nebraska" in " ".join(someone.say("where is Clarkson College?"))
    # nothing lost, nothing twice: both questions are in the conversation, once each
    said = user_texts(bot, someone.conversation)
    assert said == ["where is Clarkson College?", "where is Clarkson College?"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_action_server_error_quoting_the_conversation_reaches_no_log(everywhere, channel):
    bot, api = everywhere
    someone = student(channel, bot, api)
    marker = f"zebra{time.monotonic_ns() % 10_000_000}"
    with action_server(bot, "failing"):  # a question only an action answers, with a marker
        assert someone.say(f"is {marker} accredited?") == [replies.NO_ANSWER]
    assert "Ogden, Utah" in " ".join(someone.say("where is Weber State?"))
    assert marker not in (bot.workdir / "rasa.log").read_text()
    assert marker not in (bot.workdir / "actions.log").read_text()


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_empty_or_over_long_message_gets_its_sentence_on_every_channel(everywhere, channel):
    bot, api = everywhere
    someone = student(channel, bot, api)
    assert someone.say("   ") == [replies.EMPTY_MESSAGE]
    assert someone.say("y" * 40_000) == [replies.too_long(40_000, 2000)]
    assert "Ogden, Utah" in " ".join(someone.say("where is Weber State?"))
    assert user_texts(bot, someone.conversation) == ["where is Weber State?"]
