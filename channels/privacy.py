"""No conversation text in the Rasa server's log, at any level.

Two ways text reaches Rasa's log, two guards:

- exceptions: the action call's error quotes the action server's reply (which held the
  whole tracker), and Rasa logs it with ``logger.exception`` — ``ScrubExceptions`` keeps
  the type and place of each exception and drops their messages;
- Rasa's structured log events carry text in known fields (``parse_data_text``,
  ``user_message``, ``rasa_events``, ...: the fields Rasa itself hands to an anonymisation
  plugin), and their tracebacks print local variables. A structlog processor put first in
  Rasa's chain replaces those fields with ``[redacted]`` and an exception with its type
  and place. (Rasa's own anonymisation hook is not used: with a pipeline registered,
  Rasa reads the whole tracker back from the store after every turn.)

``protect_logs()`` is called by every channel of this package when Rasa loads it, so any
``rasa run`` with credentials.yml is covered.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from advisor.privacy import describe, scrub_exception_logs

REDACTED = "[redacted]"
# rasa/utils/log_utils.py `_anonymizer`: the event fields Rasa marks as holding user data
TEXT_FIELDS = frozenset(
    [
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    ]
)


def redact_text_fields(_: Any, method_name: str, event: MutableMapping[str, Any]) -> Any:
    """structlog processor: the fields that may hold a student's words become [redacted];
    an exception is told by type and place (``describe``), without its message or its
    frames' local variables (which Rasa's JSON renderer would print)."""
    for key in TEXT_FIELDS.intersection(event):
        event[key] = REDACTED
    exc_info = event.get("exc_info")
    if exc_info is None and method_name == "exception":
        exc_info = True
    if exc_info:
        if exc_info is True:
            error = sys.exc_info()[1]
        elif isinstance(exc_info, tuple):
            error = exc_info[1]
        else:
            error = exc_info
        if isinstance(error, BaseException):
            event["error"] = describe(error)
        event["exc_info"] = False  # structlog then renders no traceback
    return event


def protect_logs() -> None:
    """Scrub exceptions in every log handler and redact Rasa's text-bearing debug fields.

    The processor is inserted into the list structlog already shares with every logger,
    so loggers that were bound (and cached) before this call are covered too."""
    processors = structlog.get_config()["processors"]
    if redact_text_fields not in processors:
        if isinstance(processors, list):
            processors.insert(0, redact_text_fields)
        else:
            structlog.configure(processors=[redact_text_fields, *processors])
    scrub_exception_logs("rasa", "sanic.root", "sanic.error", "sanic.access")
