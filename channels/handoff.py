"""The bridge between a student's web chat and the admissions team's Slack channel.

The states and their rules are ``advisor.handoff``; this module keeps them and carries the
messages:

- **Web → Slack.** The action ``action_handoff`` sends a message with a ``handoff`` payload
  (the summary and the last few turns); the web chat's output hands it here instead of to
  the browser (``Bridge.start``). The bridge posts the summary, with a Close button, in
  ``HANDOFF_SLACK_CHANNEL`` and the turns in its thread. While staff handle it, the web chat
  asks the bridge first (``Bridge.intercept``): the student's message goes to the thread, the
  bot is not asked, and the student is told once that a person is handling it.
- **Slack → web.** What Slack sends from the hand-off channel — a signed Events API request
  or a Socket Mode envelope — is taken here before the bot sees it (``take_slack_event`` /
  ``take_slack_action``, one call each in ``channels.slack``'s shared path): a staff reply
  in a thread reaches the one conversation that thread was opened for, ``done`` or the
  Close button ends the hand-off. Nothing else in that channel reaches the bot.
- **History.** Every message the bridge sends a student is kept (``handoff_messages``) with
  a number; a page that was closed asks for the ones after the last it saw when it comes
  back (the socket.io event ``handoff_history``).
- **No answer.** A watcher looks every second for hand-offs waiting longer than
  ``HANDOFF_TIMEOUT_SECONDS`` (default 300): the student is told, and may leave a question
  and, if they choose, an e-mail address. With ``HANDOFF_OFFICE_HOURS`` ("Mon-Fri
  09:00-17:00 America/Chicago") a request out of hours is told so at once.

State survives a restart and is shared by every instance: a SQL database, the tracker
store's when ``TRACKER_STORE_URL`` is set (the cluster's PostgreSQL), else
``var/handoff.db``; ``HANDOFF_STORE_URL`` overrides both. Every change of state is one
conditional UPDATE, so of two instances noticing the same timeout, one tells the student.
The student's socket may be held by another worker, or another instance behind the load
balancer, than the one the Slack request reached: a message goes to the conversation's
socket.io room, which ``channels.relay`` carries to every worker and instance; the page drops
a number it has seen.

No message text is logged here; errors are logged by type and place (``advisor.privacy``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from advisor import replies
from advisor.handoff import OfficeHours, State, email_answer, is_done
from advisor.handoff import Request as HandoffRequest
from advisor.privacy import describe

logger = logging.getLogger(__name__)

DEFAULT_STORE_URL = "sqlite:///var/handoff.db"
DEFAULT_TIMEOUT_SECONDS = 300.0
CLOSE_ACTION = "handoff_close"
WATCH_EVERY_SECONDS = 1.0

_metadata = sa.MetaData()
HANDOFFS = sa.Table(
    "handoffs",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation", sa.String(255), nullable=False, index=True),
    sa.Column("slack_channel", sa.String(64), nullable=False),
    sa.Column("thread_ts", sa.String(64), nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("requested", sa.Float, nullable=False),
    sa.Column("updated", sa.Float, nullable=False),
    sa.Column("quiet_said", sa.Boolean, nullable=False, default=False),
    sa.Column("question", sa.Text),
    sa.Column("email", sa.Text),
    # A thread belongs to exactly one conversation.
    sa.UniqueConstraint("slack_channel", "thread_ts", name="handoff_thread"),
)
MESSAGES = sa.Table(
    "handoff_messages",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation", sa.String(255), nullable=False, index=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("message", sa.Text, nullable=False),  # the bot_uttered payload, JSON
)


@dataclass(frozen=True)
class Handoff:
    """One hand-off as stored."""

    id: int
    conversation: str
    slack_channel: str
    thread_ts: str
    state: State
    requested: float


def store_url() -> str:
    return (
        os.environ.get("HANDOFF_STORE_URL")
        or os.environ.get("TRACKER_STORE_URL")
        or DEFAULT_STORE_URL
    )


class HandoffStore:
    """Hand-offs and the messages the bridge sent, in SQLite or the tracker store's
    database. Synchronous (SQLAlchemy 1.4 core): the bridge calls it in a thread."""

    def __init__(self, url: str | None = None) -> None:
        url = url or store_url()
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url, future=True)
        _metadata.create_all(self.engine)

    def _row(self, row: Any) -> Handoff:
        return Handoff(row.id, row.conversation, row.slack_channel, row.thread_ts,
                       State(row.state), row.requested)  # fmt: skip

    def open(self, conversation: str, channel: str, thread_ts: str, state: State) -> Handoff:
        now = time.time()
        with self.engine.begin() as db:
            new_id = db.execute(
                HANDOFFS.insert().values(
                    conversation=conversation, slack_channel=channel, thread_ts=thread_ts,
                    state=state.value, requested=now, updated=now, quiet_said=False,
                )  # fmt: skip
            ).inserted_primary_key[0]
        return Handoff(new_id, conversation, channel, thread_ts, state, now)

    def latest(self, conversation: str) -> Handoff | None:
        """The conversation's last hand-off, whatever its state."""
        query = (
            sa.select(HANDOFFS)
            .where(HANDOFFS.c.conversation == conversation)
            .order_by(HANDOFFS.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as db:
            row = db.execute(query).first()
        return self._row(row) if row else None

    def of_thread(self, channel: str, thread_ts: str) -> Handoff | None:
        query = sa.select(HANDOFFS).where(
            HANDOFFS.c.slack_channel == channel, HANDOFFS.c.thread_ts == thread_ts
        )
        with self.engine.connect() as db:
            row = db.execute(query).first()
        return self._row(row) if row else None

    def move(self, handoff_id: int, to: State, allowed: tuple[State, ...], **values: Any) -> bool:
        """Change the state if it is still one of ``allowed``; True when this call did."""
        with self.engine.begin() as db:
            moved = db.execute(
                HANDOFFS.update()
                .where(
                    HANDOFFS.c.id == handoff_id,
                    HANDOFFS.c.state.in_([s.value for s in allowed]),
                )
                .values(state=to.value, updated=time.time(), **values)
            ).rowcount
        return moved == 1

    def first_quiet_notice(self, handoff_id: int) -> bool:
        """True the first time only: the student is told once that the bot stays quiet."""
        with self.engine.begin() as db:
            taken = db.execute(
                HANDOFFS.update()
                .where(HANDOFFS.c.id == handoff_id, HANDOFFS.c.quiet_said.is_(False))
                .values(quiet_said=True)
            ).rowcount
        return taken == 1

    def waiting_since(self, cutoff: float) -> list[Handoff]:
        query = sa.select(HANDOFFS).where(
            HANDOFFS.c.state == State.WAITING.value, HANDOFFS.c.requested < cutoff
        )
        with self.engine.connect() as db:
            return [self._row(row) for row in db.execute(query)]

    def keep(self, conversation: str, message: dict) -> int:
        with self.engine.begin() as db:
            return int(
                db.execute(
                    MESSAGES.insert().values(
                        conversation=conversation, created=time.time(),
                        message=json.dumps(message),
                    )  # fmt: skip
                ).inserted_primary_key[0]
            )

    def history(self, conversation: str, after: int) -> list[dict]:
        query = (
            sa.select(MESSAGES.c.id, MESSAGES.c.message)
            .where(MESSAGES.c.conversation == conversation, MESSAGES.c.id > after)
            .order_by(MESSAGES.c.id)
        )
        with self.engine.connect() as db:
            return [{**json.loads(m), "handoff_id": i} for i, m in db.execute(query)]

    def prune(self, cutoff: float, conversations: list[str] | None = None) -> int:
        """Retention: forget the hand-offs (question and e-mail address included) and the
        messages of every conversation idle here since before ``cutoff``, and everything of
        ``conversations`` (those ``make prune`` deleted). Whole conversations only."""

        def last(table: sa.Table, column: sa.Column) -> Any:
            return sa.select(table.c.conversation, sa.func.max(column).label("at")).group_by(
                table.c.conversation
            )

        with self.engine.begin() as db:
            latest: dict[str, float] = {}
            for table, column in ((HANDOFFS, HANDOFFS.c.updated), (MESSAGES, MESSAGES.c.created)):
                for conversation, at in db.execute(last(table, column)):
                    latest[conversation] = max(at, latest.get(conversation, at))
            stale = {c for c, at in latest.items() if at < cutoff} | set(conversations or [])
            for table in (HANDOFFS, MESSAGES):
                db.execute(table.delete().where(table.c.conversation.in_(stale)))
        return len(stale)


def slack_escape(text: str) -> str:
    """A student's words as Slack text: no mention, link or channel ping can be smuggled in."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_unescape(text: str) -> str:
    """A staff member's Slack text as the student should read it."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class Bridge:
    """One per server process, shared by the web chat and the Slack channel."""

    def __init__(
        self,
        store: HandoffStore | None,
        slack: Any,
        channel: str | None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        hours: OfficeHours | None = None,
    ) -> None:
        self.store, self.slack, self.channel = store, slack, channel
        self.timeout, self.hours = timeout, hours
        self.emit: Callable[[str, dict], Any] | None = None
        self._watcher: asyncio.Task | None = None

    @classmethod
    def from_env(cls) -> Bridge:
        channel = os.environ.get("HANDOFF_SLACK_CHANNEL") or None
        token = os.environ.get("SLACK_BOT_TOKEN")
        # Staff replies arrive as signed Events API requests, or over Socket Mode's
        # connection (opened with the app-level token): without either, none could arrive.
        hears = os.environ.get("SLACK_SIGNING_SECRET") or os.environ.get("SLACK_APP_TOKEN")
        if not (channel and token and hears):
            return cls(None, None, None)  # no staff line: the bot says so
        from slack_sdk.web.async_client import AsyncWebClient

        from channels.slack import DEFAULT_API_URL

        api = os.environ.get("SLACK_API_URL") or DEFAULT_API_URL
        hours = os.environ.get("HANDOFF_OFFICE_HOURS")
        return cls(
            HandoffStore(),
            AsyncWebClient(token, base_url=api),
            channel,
            float(os.environ.get("HANDOFF_TIMEOUT_SECONDS") or DEFAULT_TIMEOUT_SECONDS),
            OfficeHours.parse(hours) if hours else None,
        )

    @property
    def available(self) -> bool:
        return self.store is not None and self.channel is not None

    # --- the web chat's side ----------------------------------------------------------

    def attach_web(self, emit: Callable[[str, dict], Any]) -> None:
        """How to reach a conversation's open sockets (the web chat's room emit)."""
        self.emit = emit
        if self.available and self._watcher is None:
            self._watcher = asyncio.get_event_loop().create_task(self.watch())

    async def _db(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(call, *args, **kwargs)

    async def deliver(self, conversation: str, message: dict) -> None:
        """Keep the message for a page that comes back, and show it on any open one."""
        assert self.store is not None
        number = await self._db(self.store.keep, conversation, message)
        if self.emit is not None:
            await self.emit(conversation, {**message, "handoff_id": number})

    async def history(self, conversation: str, after: object) -> list[dict]:
        """What the bridge sent this conversation after message number ``after``."""
        if not self.available or not isinstance(after, int) or isinstance(after, bool):
            after = 0
        assert self.store is not None or not self.available
        return await self._db(self.store.history, conversation, after) if self.store else []

    async def start(self, conversation: str, data: object) -> None:
        """The student confirmed: post the summary, then the turns in its thread."""
        if not self.available:
            if self.emit is not None:
                await self.emit(conversation, {"text": replies.HANDOFF_UNAVAILABLE})
            return
        assert self.store is not None and self.channel is not None
        current = await self._db(self.store.latest, conversation)
        if current and current.state.active:
            await self.deliver(conversation, {"text": replies.HANDOFF_ALREADY})
            return
        request = HandoffRequest.from_dict(data)
        summary = replies.staff_summary(
            slack_escape(request.asked) if request.asked else None,
            request.programs,
            [slack_escape(u) for u in request.unanswered],
        )
        try:
            posted = await self.slack.chat_postMessage(
                channel=self.channel, text=summary, blocks=_summary_blocks(summary)
            )
            thread = str(posted["ts"])
        except Exception as error:
            logger.error("The hand-off could not be posted to Slack: %s", describe(error))
            await self.deliver(conversation, {"text": replies.HANDOFF_FAILED})
            return
        out_of_hours = self.hours is not None and not self.hours.open_at(datetime.now(timezone.utc))
        state = State.TIMED_OUT if out_of_hours else State.WAITING
        await self._db(self.store.open, conversation, self.channel, thread, state)
        turns = [(t.speaker, slack_escape(t.text)) for t in request.turns]
        if turns:
            await self._to_thread(thread, replies.staff_turns(turns))
        if out_of_hours:
            assert self.hours is not None
            await self._to_thread(thread, replies.staff_timed_out(None))
            await self.deliver(
                conversation,
                {"text": replies.handoff_out_of_hours(self.hours.text),
                 "buttons": replies.HANDOFF_LEAVE_BUTTONS},
            )  # fmt: skip
        else:
            await self.deliver(conversation, {"text": replies.HANDOFF_STARTED})

    async def intercept(self, conversation: str, text: str) -> bool:
        """Take a student's message when the hand-off, not the bot, should have it."""
        if not self.available:
            return False
        assert self.store is not None
        current = await self._db(self.store.latest, conversation)
        if text.strip() == replies.LEAVE_QUESTION_PAYLOAD:
            leaving = current is not None and await self._db(
                self.store.move, current.id, State.LEAVING_QUESTION, (State.TIMED_OUT,)
            )
            reply = replies.HANDOFF_ASK_QUESTION if leaving else replies.HANDOFF_NOTHING_TO_LEAVE
            await self.deliver(conversation, {"text": reply})
            return True
        if current is None:
            return False
        if current.state.bot_quiet:
            await self._to_thread(current.thread_ts, replies.staff_from_student(slack_escape(text)))
            if await self._db(self.store.first_quiet_notice, current.id):
                await self.deliver(conversation, {"text": replies.HANDOFF_QUIET})
            elif self.emit is not None:
                await self.emit(conversation, {"relayed": True})  # no text: "sent", no reply
            return True
        if current.state is State.LEAVING_QUESTION:
            await self._db(
                self.store.move, current.id, State.LEAVING_EMAIL, (State.LEAVING_QUESTION,),
                question=text,
            )  # fmt: skip
            await self.deliver(conversation, {"text": replies.HANDOFF_ASK_EMAIL})
            return True
        if current.state is State.LEAVING_EMAIL:
            understood, address = email_answer(text)
            if not understood:
                await self.deliver(conversation, {"text": replies.HANDOFF_EMAIL_UNCLEAR})
                return True
            await self._db(
                self.store.move, current.id, State.LEFT, (State.LEAVING_EMAIL,), email=address
            )
            question = await self._db(self._question_of, current.id)
            await self._to_thread(
                current.thread_ts,
                replies.staff_question_left(
                    slack_escape(question or ""), slack_escape(address) if address else None
                ),
            )
            await self.deliver(conversation, {"text": replies.handoff_left(address is not None)})
            return True
        return False

    def _question_of(self, handoff_id: int) -> str | None:
        assert self.store is not None
        query = sa.select(HANDOFFS.c.question).where(HANDOFFS.c.id == handoff_id)
        with self.store.engine.connect() as db:
            return db.execute(query).scalar()

    # --- the Slack side ---------------------------------------------------------------

    async def take_slack_event(
        self, envelope: object, first_time: Callable[[str], Awaitable[bool]]
    ) -> bool | None:
        """An Events API body (from the request URL or Socket Mode): None when it is not the
        hand-off channel's (the bot's to answer), else taken here — True, or False for a
        repeat of an event already taken (``first_time``: the Slack channel's memory)."""
        if not self.available or not isinstance(envelope, dict):
            return None
        event = envelope.get("event")
        if not isinstance(event, dict) or event.get("channel") != self.channel:
            return None
        event_id = envelope.get("event_id")
        if event_id and not await first_time(str(event_id)):
            return False
        thread, text, user = event.get("thread_ts"), event.get("text"), event.get("user")
        staff_reply = (
            event.get("type") == "message"
            and not event.get("subtype")
            and not event.get("bot_id")
            and isinstance(thread, str)
            and thread != event.get("ts")
            and isinstance(text, str)
            and text.strip()
        )
        if not staff_reply:
            return True  # the staff channel's own talk, or the bot's posts: not for the bot
        assert self.store is not None and isinstance(thread, str) and isinstance(text, str)
        handoff = await self._db(self.store.of_thread, self.channel, thread)
        if handoff is None:
            return True
        if not handoff.state.staff_heard:
            await self._to_thread(thread, replies.STAFF_THREAD_CLOSED)
        elif is_done(text):
            await self.close(handoff, user if isinstance(user, str) else None)
        else:
            others = tuple(s for s in State if s.staff_heard)
            await self._db(self.store.move, handoff.id, State.WITH_STAFF, others)
            await self.deliver(
                handoff.conversation,
                {"text": slack_unescape(text), "sender": replies.STAFF_NAME},
            )
        return True

    async def take_slack_action(
        self, payload: object, first_time: Callable[[str], Awaitable[bool]]
    ) -> bool | None:
        """An interaction payload: None when it is not a hand-off's Close button, else taken
        here — True, or False for a repeat of a click already taken."""
        if not self.available or not isinstance(payload, dict):
            return None
        actions = payload.get("actions") or [{}]
        if not isinstance(actions[0], dict) or actions[0].get("action_id") != CLOSE_ACTION:
            return None
        trigger = payload.get("trigger_id")
        if trigger and not await first_time(str(trigger)):
            return False
        channel = (payload.get("channel") or {}).get("id")
        message = payload.get("message") or {}
        user = (payload.get("user") or {}).get("id")
        if channel != self.channel or not isinstance(message.get("ts"), str):
            return True
        assert self.store is not None
        handoff = await self._db(self.store.of_thread, channel, message["ts"])
        if handoff is not None:
            await self.close(handoff, user)
        return True

    async def close(self, handoff: Handoff, user: str | None) -> None:
        assert self.store is not None
        others = tuple(s for s in State if s is not State.CLOSED)
        if await self._db(self.store.move, handoff.id, State.CLOSED, others):
            await self.deliver(handoff.conversation, {"text": replies.HANDOFF_CLOSED})
            await self._to_thread(handoff.thread_ts, replies.staff_closed(user))

    async def _to_thread(self, thread: str, text: str) -> None:
        try:
            await self.slack.chat_postMessage(channel=self.channel, thread_ts=thread, text=text)
        except Exception as error:
            logger.error("Posting in the hand-off thread failed: %s", describe(error))

    # --- nobody answers ---------------------------------------------------------------

    async def watch(self) -> None:
        """Every second: tell each student whose request waited too long."""
        while True:
            try:
                await self.expire(time.time())
            except Exception as error:  # the watcher must outlive one failing round
                logger.error("Hand-off timeouts could not be checked: %s", describe(error))
            await asyncio.sleep(WATCH_EVERY_SECONDS)

    async def expire(self, now: float) -> None:
        assert self.store is not None
        for handoff in await self._db(self.store.waiting_since, now - self.timeout):
            if await self._db(self.store.move, handoff.id, State.TIMED_OUT, (State.WAITING,)):
                await self.deliver(
                    handoff.conversation,
                    {"text": replies.handoff_timed_out(self.timeout),
                     "buttons": replies.HANDOFF_LEAVE_BUTTONS},
                )  # fmt: skip
                await self._to_thread(handoff.thread_ts, replies.staff_timed_out(self.timeout))


def _summary_blocks(summary: str) -> list[dict]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": summary}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": CLOSE_ACTION,
                    "value": CLOSE_ACTION,
                    "text": {"type": "plain_text", "text": replies.STAFF_CLOSE_BUTTON},
                }
            ],
        },
    ]


_bridge: Bridge | None = None


def bridge() -> Bridge:
    """The process's bridge, configured from the environment on first use."""
    global _bridge
    if _bridge is None:
        _bridge = Bridge.from_env()
    return _bridge
