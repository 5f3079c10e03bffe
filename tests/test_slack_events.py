"""Which Slack events reach the bot, and as what. The Events API and Socket Mode hand the same
bodies to the same functions (channels/slack.py), so these hold for both; the live tests
(test_live_slack.py, test_live_slack_socket.py) check each transport end to end."""

from __future__ import annotations

import asyncio

import pytest
from rasa.shared.exceptions import InvalidConfigException

from channels.slack import AdvisorSlackInput
from channels.slack_socket import AdvisorSlackSocketInput


@pytest.fixture
def slack_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SLACK_EVENTS_URL", f"sqlite:///{tmp_path / 'slack_events.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    for name in ("SLACK_APP_TOKEN", "SLACK_CHANNEL", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def slack(slack_env) -> AdvisorSlackInput:
    return AdvisorSlackInput.from_credentials(None)


def body(event: dict, event_id: str = "Ev1") -> dict:
    """An ``event_callback`` body addressed to the bot user UBOT."""
    return {"type": "event_callback", "event_id": event_id,
            "authorizations": [{"user_id": "UBOT"}], "event": event}  # fmt: skip


MENTION = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "100.1",
           "text": "<@UBOT> how much is Weber?"}  # fmt: skip


def test_a_mention_is_read_without_the_bots_name_and_answered_in_its_own_thread(slack):
    message = slack.message_of_event(body(MENTION))
    assert message is not None
    assert (message.text, message.user, message.channel) == ("how much is Weber?", "U1", "C1")
    assert message.thread_id == "100.1"
    assert message.key == "Ev1"


def test_a_mention_inside_a_thread_is_answered_in_that_thread(slack):
    message = slack.message_of_event(body({**MENTION, "ts": "105.5", "thread_ts": "100.1"}))
    assert message is not None and message.thread_id == "100.1"


@pytest.mark.parametrize(
    "event",
    [
        {**MENTION, "bot_id": "B1"},  # a bot's message, the bot's own answers included
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": "C1",
            "ts": "1.0",
            "message": {"text": "edited"},
        },  # an edit carries no text of its own
        {
            "type": "message",
            "user": "U1",
            "channel": "C1",
            "ts": "1.0",
            "channel_type": "channel",
            "text": "people talking in a channel, not to the bot",
        },
        {"type": "reaction_added", "user": "U1", "reaction": "+1"},
    ],
)
def test_events_not_for_the_bot_are_not_read_as_questions(slack, event):
    assert slack.message_of_event(body(event)) is None


@pytest.mark.parametrize("bad", [None, [], "text", {"event": "not an object"}, {"event": {}}])
def test_a_body_that_is_not_an_event_is_not_read_as_one(slack, bad):
    assert slack.message_of_event(bad) is None


def test_in_the_configured_channel_every_message_is_for_the_bot(slack_env):
    slack_env.setenv("SLACK_CHANNEL", "C1")
    slack = AdvisorSlackInput.from_credentials(None)
    event = {"type": "message", "user": "U1", "channel": "C1", "ts": "1.0",
             "channel_type": "channel", "text": "where is Weber?"}  # fmt: skip
    message = slack.message_of_event(body(event))
    assert message is not None and message.text == "where is Weber?"


CLICK = {
    "type": "block_actions",
    "user": {"id": "U1"},
    "trigger_id": "123.456.abc",
    "channel": {"id": "D1"},
    "message": {"ts": "100.2", "thread_ts": "100.1"},
    "actions": [{"type": "button", "value": "/ask_question{}", "text": {"text": "Weber"}}],
}


def test_a_button_click_is_its_payload_answered_in_the_thread_of_the_buttons(slack):
    message = slack.message_of_interaction(CLICK)
    assert message is not None
    assert (message.text, message.user, message.channel) == ("/ask_question{}", "U1", "D1")
    assert message.thread_id == "100.1"
    assert message.key == "123.456.abc"


@pytest.mark.parametrize(
    "payload",
    [
        {**CLICK, "actions": [{"type": "button", "url": "https://example.edu"}]},  # a link
        {**CLICK, "actions": []},
        {**CLICK, "user": {}},
        "not an object",
    ],
)
def test_what_is_not_a_button_answer_is_not_read_as_one(slack, payload):
    assert slack.message_of_interaction(payload) is None


def test_an_event_is_answered_once_however_often_it_arrives(slack):
    turns: list = []

    async def handle(message) -> None:
        turns.append(message)

    async def deliver_three_times() -> list[bool]:
        taken = [await slack.receive_event(body(MENTION, "EvTWICE"), handle) for _ in range(3)]
        await asyncio.gather(*slack._background_tasks)
        return taken

    assert asyncio.run(deliver_three_times()) == [True, False, False]
    (turn,) = turns
    assert (turn.text, turn.sender_id, turn.input_channel) == (
        "how much is Weber?",
        "slack:U1",
        "slack",
    )
    assert (turn.output_channel.slack_channel, turn.output_channel.thread_id) == ("C1", "100.1")


def test_socket_mode_needs_the_app_token_and_no_signing_secret(slack_env):
    slack_env.delenv("SLACK_SIGNING_SECRET")
    with pytest.raises(InvalidConfigException, match="SLACK_APP_TOKEN"):
        AdvisorSlackSocketInput.from_credentials(None)
    slack_env.setenv("SLACK_APP_TOKEN", "xapp-test")
    assert AdvisorSlackSocketInput.from_credentials(None).app_token == "xapp-test"
    with pytest.raises(InvalidConfigException):  # the Events API still insists on its secret
        AdvisorSlackInput.from_credentials(None)
