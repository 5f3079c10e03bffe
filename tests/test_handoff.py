"""The hand-off's rules (advisor.handoff) and its store (channels.handoff): a thread belongs to
one conversation, each change of state happens once, state outlives the process, retention
forgets it — in SQLite by default and in PostgreSQL for the cluster."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from advisor import replies
from advisor.handoff import (
    OfficeHours,
    Request,
    State,
    Turn,
    email_answer,
    is_done,
    should_offer,
)
from channels.handoff import Bridge, HandoffStore, slack_escape, slack_unescape

POSTGRES = "postgresql://postgres@127.0.0.1:5432"


def test_a_person_is_offered_once_at_the_second_i_dont_have_that():
    assert [should_offer(n, n + 1) for n in range(4)] == [False, True, False, False]
    assert should_offer(0, 2)  # one answer with two blanks


@pytest.mark.parametrize("text", ["done", "Done.", " close ", "resolved!"])
def test_staff_end_a_hand_off_with_done_or_close(text):
    assert is_done(text)


@pytest.mark.parametrize("text", ["done with the form?", "I'm not done", "closed on Mondays"])
def test_a_sentence_with_done_in_it_is_a_reply_not_the_end(text):
    assert not is_done(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane.doe@example.com", (True, "jane.doe@example.com")),
        (" <mailto:j@x.org> ", (True, "j@x.org")),
        ("skip", (True, None)),
        ("No thanks", (True, None)),
        ("my email is what?", (False, None)),
        ("jane@", (False, None)),
    ],
)
def test_an_e_mail_address_is_optional_and_a_wrong_one_is_asked_again(text, expected):
    assert email_answer(text) == expected


def test_staff_see_the_last_question_the_last_turns_and_no_more():
    turns = [Turn("student" if i % 2 == 0 else "bot", f"message {i}") for i in range(10)]
    turns.append(Turn("bot", "x" * 1000))
    request = Request.of(turns, ["Weber State University"], [f"blank {i}" for i in range(5)])
    assert request.asked == "message 8"
    assert len(request.turns) == 6 and request.turns[0].text == "message 5"
    assert request.turns[-1].text.endswith("…") and len(request.turns[-1].text) == 400
    assert request.unanswered == ("blank 2", "blank 3", "blank 4")
    assert Request.from_dict(request.as_dict()) == request


def test_a_malformed_request_loses_its_bad_parts_not_the_hand_off():
    request = Request.from_dict(
        {"asked": 3, "programs": ["Weber", 2], "turns": [{"speaker": "staff", "text": "x"},
                                                         {"speaker": "bot", "text": "hi"}]}
    )  # fmt: skip
    assert request == Request(None, ("Weber",), (), (Turn("bot", "hi"),))
    assert Request.from_dict("nonsense") == Request(None, (), (), ())


def test_office_hours_are_read_in_their_own_time_zone():
    hours = OfficeHours.parse("Mon-Fri 09:00-17:00 America/Chicago")
    # Monday 2026-11-30 15:30 UTC is 09:30 in Chicago; 14:00 UTC is 08:00
    assert hours.open_at(datetime(2026, 11, 30, 15, 30, tzinfo=timezone.utc))
    assert not hours.open_at(datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc))
    assert not hours.open_at(datetime(2026, 11, 29, 16, 0, tzinfo=timezone.utc))  # Sunday
    with pytest.raises(ValueError, match="Mon-Fri 09:00-17:00"):
        OfficeHours.parse("weekdays 9 to 5")


def test_staff_see_a_students_words_as_text_never_as_a_ping_or_a_link():
    assert slack_escape("<!channel> <https://x.y|click> & co") == (
        "&lt;!channel&gt; &lt;https://x.y|click&gt; &amp; co"
    )
    assert slack_unescape(slack_escape("a < b & c > d")) == "a < b & c > d"


def test_the_wording_of_how_long_nobody_answered():
    assert replies.waited(300) == "5 minutes"
    assert replies.waited(60) == "1 minute"
    assert replies.waited(8) == "8 seconds"


def test_without_a_staff_channel_no_hand_off_is_offered(monkeypatch):
    monkeypatch.delenv("HANDOFF_SLACK_CHANNEL", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-x")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    bridge = Bridge.from_env()
    assert not bridge.available
    assert asyncio.run(bridge.intercept("web:x", "hello")) is False


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'handoff.db'}"
        return
    name = f"handoff_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as db:
            db.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.OperationalError:
        pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432")
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.connect() as db:
            db.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


def test_a_thread_belongs_to_exactly_one_conversation(store_url):
    store = HandoffStore(store_url)
    store.open("web:a", "CSTAFF", "1.0", State.WAITING)
    with pytest.raises(sa.exc.IntegrityError):
        store.open("web:b", "CSTAFF", "1.0", State.WAITING)
    found = store.of_thread("CSTAFF", "1.0")
    assert found is not None and found.conversation == "web:a"
    assert store.of_thread("COTHER", "1.0") is None


def test_each_change_of_state_happens_once_and_outlives_the_process(store_url):
    first = HandoffStore(store_url)
    handoff = first.open("web:a", "CSTAFF", "2.0", State.WAITING)
    assert first.move(handoff.id, State.TIMED_OUT, (State.WAITING,))
    assert not first.move(handoff.id, State.TIMED_OUT, (State.WAITING,))  # the other instance
    assert first.first_quiet_notice(handoff.id) and not first.first_quiet_notice(handoff.id)
    restarted = HandoffStore(store_url)
    latest = restarted.latest("web:a")
    assert latest is not None and latest.state is State.TIMED_OUT


def test_what_a_student_was_sent_waits_for_them_in_order(store_url):
    store = HandoffStore(store_url)
    one = store.keep("web:a", {"text": "one", "sender": "Admissions team"})
    store.keep("web:b", {"text": "not yours"})
    two = store.keep("web:a", {"text": "two"})
    assert [m["text"] for m in store.history("web:a", 0)] == ["one", "two"]
    assert store.history("web:a", one) == [{"text": "two", "handoff_id": two}]


def test_retention_forgets_idle_hand_offs_with_their_question_and_address(store_url):
    store = HandoffStore(store_url)
    old = store.open("web:old", "CSTAFF", "3.0", State.WAITING)
    store.move(old.id, State.LEFT, (State.WAITING,), question="q?", email="a@b.cd")
    store.keep("web:old", {"text": "hi"})
    store.open("web:new", "CSTAFF", "4.0", State.WAITING)
    store.keep("web:gone", {"text": "of a conversation make prune deleted"})
    assert store.prune(cutoff=0.0, conversations=["web:gone"]) == 1  # nothing idle yet
    assert store.history("web:gone", 0) == []
    store.prune(cutoff=float("inf"))
    assert store.latest("web:old") is None and store.latest("web:new") is None
    assert store.history("web:old", 0) == []


class RecordingSlack:
    """Stands in for slack_sdk's AsyncWebClient: records posts, or fails them all."""

    def __init__(self, failing: bool = False) -> None:
        self.posts: list[dict] = []
        self.failing = failing

    async def chat_postMessage(self, **kwargs):  # noqa: N802 - slack_sdk's naming
        if self.failing:
            raise ConnectionError("Slack is down")
        self.posts.append(kwargs)
        return {"ok": True, "ts": f"{len(self.posts)}.0"}


def bridge_with(tmp_path, slack, hours=None) -> tuple[Bridge, list]:
    bridge = Bridge(HandoffStore(f"sqlite:///{tmp_path / 'h.db'}"), slack, "CSTAFF", 300, hours)
    sent: list = []

    async def emit(conversation, message):
        sent.append((conversation, message))

    bridge.emit = emit
    return bridge, sent


REQUEST = {"asked": "fee?", "programs": [], "unanswered": [], "turns": []}


def test_out_of_office_hours_the_student_is_told_at_once_and_may_leave_a_question(tmp_path):
    never = OfficeHours.parse("Mon-Sun 00:00-00:00 UTC")
    slack = RecordingSlack()
    bridge, sent = bridge_with(tmp_path, slack, never)
    asyncio.run(bridge.start("web:a", REQUEST))
    ((conversation, told),) = sent
    assert conversation == "web:a"
    assert told["text"] == replies.handoff_out_of_hours("Mon-Sun 00:00-00:00 UTC")
    assert told["buttons"] == replies.HANDOFF_LEAVE_BUTTONS
    assert slack.posts[-1]["text"] == replies.staff_timed_out(None)
    # the bot answers meanwhile: nothing is intercepted but leaving the question
    assert asyncio.run(bridge.intercept("web:a", "where is Weber?")) is False
    assert asyncio.run(bridge.intercept("web:a", replies.LEAVE_QUESTION_PAYLOAD)) is True
    assert sent[-1][1]["text"] == replies.HANDOFF_ASK_QUESTION


def test_when_slack_cannot_be_reached_the_student_is_told_no_one_has_the_question(tmp_path):
    bridge, sent = bridge_with(tmp_path, RecordingSlack(failing=True))
    asyncio.run(bridge.start("web:a", REQUEST))
    assert [m["text"] for _, m in sent] == [replies.HANDOFF_FAILED]
    assert asyncio.run(bridge.intercept("web:a", "hello?")) is False  # the bot answers


def test_a_second_request_while_one_is_open_posts_nothing_new(tmp_path):
    slack = RecordingSlack()
    bridge, sent = bridge_with(tmp_path, slack)
    asyncio.run(bridge.start("web:a", REQUEST))
    posted = len(slack.posts)
    asyncio.run(bridge.start("web:a", REQUEST))
    assert len(slack.posts) == posted
    assert sent[-1][1]["text"] == replies.HANDOFF_ALREADY
