"""What may be written to a log: how the bot is doing, never what a student wrote.

Exceptions are where conversation text leaks: an HTTP error carries the body it answered
(Rasa's action call quotes the action server's 500 reply, which held the whole tracker),
a database error quotes its parameters, a KeyError quotes its key. So a log line keeps an
exception's *type and place* — enough to find the failing line — and drops its message
and the messages of the exceptions chained to it.

Used by both servers (the Rasa server through ``channels``, the action server through
``actions.server``); no Rasa import here.
"""

from __future__ import annotations

import logging
import traceback

_INSTALLED = "_pacs_exception_scrubber"


def describe(error: BaseException) -> str:
    """``KeyError at advisor/x.py:12 in f (caused by ...)``: types and places, no messages."""
    parts = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__) if current.__traceback__ else []
        where = ""
        if frames:
            last = frames[-1]
            where = f" at {_short(last.filename)}:{last.lineno} in {last.name}"
        parts.append(f"{type(current).__name__}{where}")
        current = current.__cause__ or current.__context__
    return " (caused by ".join(parts) + ")" * (len(parts) - 1)


def _short(path: str) -> str:
    """A path from its package on: site-packages/rasa/core/x.py -> rasa/core/x.py."""
    for marker in ("site-packages/", "/work/", "/src/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


class ScrubExceptions(logging.Filter):
    """Replaces a record's traceback by ``describe``: the type and place of each exception
    in the chain, none of their messages. Also drops a stack dump (``stack_info``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} [{describe(error)}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return True


def scrub_exception_logs(*logger_names: str) -> None:
    """Put ``ScrubExceptions`` on every handler of the root logger and of the named loggers
    (Sanic's loggers have their own handlers), and on those loggers themselves (a record
    logged there is scrubbed before any handler sees it). Safe to call again."""
    scrubber = ScrubExceptions()
    for name in ("", *logger_names):
        log = logging.getLogger(name)
        for target in (log, *log.handlers):
            if not any(getattr(f, _INSTALLED, False) for f in target.filters):
                setattr(scrubber, _INSTALLED, True)
                target.addFilter(scrubber)
