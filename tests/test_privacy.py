"""Log lines keep how the bot is doing, never what a student wrote."""

import asyncio
import logging

import pytest
import structlog

from actions.server import GuardedExecutor
from advisor.privacy import ScrubExceptions, describe
from channels.privacy import REDACTED, redact_text_fields

SECRET = "my name is Jane Roe and my SSN is 078-05-1120"


def failing_call():
    try:
        {}[SECRET]
    except KeyError as error:
        raise RuntimeError(f"the action failed on {SECRET!r}") from error


def test_an_exception_is_described_by_its_types_and_places_not_its_messages():
    with pytest.raises(RuntimeError) as caught:
        failing_call()
    described = describe(caught.value)
    assert SECRET not in described
    assert described.startswith("RuntimeError at ")
    assert "in failing_call (caused by KeyError at " in described


def test_a_logged_exception_reaches_the_handler_without_its_message_or_traceback(caplog):
    log = logging.getLogger("pacs.test.privacy")
    caplog.handler.addFilter(ScrubExceptions())
    try:
        failing_call()
    except RuntimeError:
        log.exception("Handling a message failed")
    (record,) = caplog.records
    assert SECRET not in caplog.text
    assert record.getMessage().startswith("Handling a message failed [RuntimeError at ")


def test_rasas_text_fields_and_exception_locals_are_redacted_in_structured_logs():
    event = {
        "event": "processor.message.parse",
        "parse_data_text": SECRET,
        "parse_data_intent": {"name": "ask_question"},
        "rasa_events": [{"text": SECRET}],
    }
    redacted = redact_text_fields(None, "debug", dict(event))
    assert redacted["parse_data_text"] == redacted["rasa_events"] == REDACTED
    assert redacted["parse_data_intent"] == {"name": "ask_question"}

    try:
        failing_call()
    except RuntimeError:
        logged = redact_text_fields(None, "exception", {"event": "x"})
    assert logged["exc_info"] is False  # no traceback, so no frame locals either
    assert SECRET not in str(logged)
    assert logged["error"].startswith("RuntimeError at ")


def test_structlog_output_holds_no_text_once_the_processor_is_installed(capsys):
    from channels.privacy import protect_logs

    protect_logs()
    structlog.get_logger().error("processor.message.parse", parse_data_text=SECRET)
    assert SECRET not in capsys.readouterr().out


async def raises(dispatcher, tracker, domain):
    raise ValueError(f"cannot answer {tracker.latest_message['text']!r}")


def test_an_action_that_raises_answers_nothing_and_logs_no_text(caplog):
    executor = GuardedExecutor()
    executor.register_function("action_raises", raises)
    call = {
        "next_action": "action_raises",
        "tracker": {"sender_id": "web:x", "latest_message": {"text": SECRET}, "events": []},
        "domain": {},
    }
    with caplog.at_level(logging.ERROR):
        result = asyncio.run(executor.run(call))
    assert result == {"events": [], "responses": []}  # the channel then apologises
    assert "Action action_raises failed: ValueError at " in caplog.text
    assert SECRET not in caplog.text
