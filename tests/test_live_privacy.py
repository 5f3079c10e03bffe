"""No conversation text in any log line, at any level: both servers run at DEBUG while
students talk over REST and the web chat, and while the action server fails."""

from __future__ import annotations

import uuid

import pytest

from advisor import replies
from scripts.live import Bot
from tests.live_channels import RestStudent, WebStudent, action_server

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def debug_bot(tmp_path_factory):
    running = Bot(tmp_path_factory.mktemp("debug"), debug=True).start()
    yield running
    running.stop()


def test_at_debug_level_no_log_line_holds_what_students_wrote(debug_bot):
    bot = debug_bot
    markers = [f"zebra{uuid.uuid4().hex[:8]}" for _ in range(4)]
    rest, web = RestStudent(bot), WebStudent(bot)
    rest.say(f"is the {markers[0]} program online?")
    web.say(f"how much does {markers[1]} cost?")
    web.say("where is Weber State?")
    with action_server(bot, "failing"):
        assert rest.say(f"is {markers[2]} accredited?") == [replies.NO_ANSWER]
        assert web.say(f"when does {markers[3]} start?") == [replies.NO_ANSWER]

    rasa_log = (bot.workdir / "rasa.log").read_text()
    actions_log = (bot.workdir / "actions.log").read_text()
    assert "DEBUG" in rasa_log and "DEBUG" in actions_log  # the level really was DEBUG
    for marker in markers:
        assert marker not in rasa_log
        assert marker not in actions_log
    assert "where is Weber State?" not in rasa_log + actions_log
