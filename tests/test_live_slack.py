"""Slack, for real: signed Events API requests to the running bot; its replies are received
by a local HTTP server standing in for Slack's Web API (SLACK_API_URL). The bot answers from
a copy of the real knowledge/; the tuition figure expected is read from that copy."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import tuition_text

from scripts.live import Bot, free_port

pytestmark = pytest.mark.live
SECRET = "test-signing-secret-" + uuid.uuid4().hex[:8]
APP_TOKEN = "xapp-1-test-" + uuid.uuid4().hex[:8]
BOT_TOKEN = "xoxb-test-token"

# Slack's own example from "Verifying requests from Slack" (api.slack.com/authentication).
SLACK_EXAMPLE = {
    "secret": "8f742231b10e8888abcd99yyyzzz85a5",
    "timestamp": "1531420618",
    "body": (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        "command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        "trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    ),
    "signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
}


def sign(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class FakeSlackApi(ThreadingHTTPServer):
    """Records every Web API call; answers like Slack does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.tokens: list[tuple[str, str]] = []  # (path, Authorization header) of each call
        self.socket_url = ""  # what apps.connections.open answers (Socket Mode)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"raw": raw}
                outer.calls.append((self.path, body))
                outer.tokens.append((self.path, self.headers.get("Authorization", "")))
                answer = {"ok": True, "ts": f"{time.time():.6f}"}
                if self.path.endswith("apps.connections.open"):
                    answer = {"ok": True, "url": outer.socket_url}
                reply = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)

    def posts(self) -> list[dict]:
        return [body for path, body in self.calls if path.endswith("chat.postMessage")]

    def wait_for_posts(self, count: int, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.posts()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.posts()


@contextmanager
def bot_with_slack(
    directory: Path, socket_url: str = "", debug: bool = False, events_url: str = ""
) -> Iterator[tuple[Bot, FakeSlackApi]]:
    """A real bot with the Slack channel on, its Web API calls going to a FakeSlackApi: the
    Events API, or with ``socket_url`` Socket Mode, connecting to that websocket.
    ``events_url``: the store of events already taken, when another bot's is to be shared."""
    api = FakeSlackApi()
    api.socket_url = socket_url
    threading.Thread(target=api.serve_forever, daemon=True).start()
    if socket_url:
        mode = {"SLACK_APP_TOKEN": APP_TOKEN}, "channels.slack_socket.AdvisorSlackSocketInput"
    else:
        mode = {"SLACK_SIGNING_SECRET": SECRET}, "channels.slack.AdvisorSlackInput"
    bot = Bot(
        directory,
        extra_env={
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": f"http://127.0.0.1:{api.server_address[1]}/",
            **mode[0],
            **({"SLACK_EVENTS_URL": events_url} if events_url else {}),
        },
        extra_channels=mode[1] + ":\n",
        debug=debug,
    ).start()
    try:
        yield bot, api
    finally:
        bot.stop()
        api.shutdown()


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    with bot_with_slack(tmp_path_factory.mktemp("slackbot")) as running:
        yield running


def event(text: str, channel_type: str = "channel", kind: str = "app_mention") -> dict:
    ts = f"{time.time():.6f}"
    return {
        "token": "verification-token",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"user_id": "UBOT"}],
        "event": {
            "type": kind,
            "channel": "D0001" if channel_type == "im" else "C0001",
            "channel_type": channel_type,
            "user": f"U{uuid.uuid4().hex[:8].upper()}",
            "text": text if channel_type == "im" else f"<@UBOT> {text}",
            "ts": ts,
        },
    }


def button_click(user: str, reply: dict, title: str) -> dict:
    """The interaction payload of ``user`` clicking the button ``title`` of the bot's ``reply``
    (a chat.postMessage the fake API received)."""
    buttons = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    (button,) = [b for b in buttons if b["text"]["text"] == title]
    return {
        "type": "block_actions",
        "user": {"id": user},
        "trigger_id": f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:8]}",
        "channel": {"id": reply["channel"]},
        "message": {"ts": f"{time.time():.6f}", "thread_ts": reply["thread_ts"]},
        "actions": [{"type": "button", "action_id": "a1", "block_id": "b1",
                     "text": button["text"], "value": button["value"]}],  # fmt: skip
    }


def post(bot, body: str, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        bot.url + "/webhooks/slack/webhook",
        data=body.encode(),
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def signed(body: str, secret: str = SECRET, age: float = 0.0) -> dict:
    timestamp = str(int(time.time() - age))
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(secret, timestamp, body),
    }


def test_our_signer_reproduces_slacks_published_example():
    example = SLACK_EXAMPLE
    assert sign(example["secret"], example["timestamp"], example["body"]) == example["signature"]


def test_slacks_published_example_is_refused_as_older_than_five_minutes(slack):
    bot, _ = slack
    headers = {"X-Slack-Request-Timestamp": SLACK_EXAMPLE["timestamp"],
               "X-Slack-Signature": SLACK_EXAMPLE["signature"]}  # fmt: skip
    status, _ = post(bot, SLACK_EXAMPLE["body"], headers)
    assert status == 400


def test_a_channel_mention_is_answered_in_its_thread(slack):
    bot, api = slack
    before = len(api.posts())
    payload = event("what would I pay per credit hour at Clarkson?")
    body = json.dumps(payload)
    status, _ = post(bot, body, signed(body))
    assert status == 200
    posts = api.wait_for_posts(before + 1)
    reply = posts[before]
    assert tuition_text(bot.knowledge_dir, "clarkson") in reply["text"]
    assert reply["channel"] == "C0001"
    assert reply["thread_ts"] == payload["event"]["ts"]


def test_a_direct_message_gets_block_kit_buttons_and_a_click_is_answered_in_its_thread(slack):
    bot, api = slack
    before = len(api.posts())
    payload = event("how much does it cost?", channel_type="im", kind="message")
    body = json.dumps(payload)
    assert post(bot, body, signed(body))[0] == 200
    reply = api.wait_for_posts(before + 1)[before]
    assert reply["channel"] == "D0001"
    assert reply["thread_ts"] == payload["event"]["ts"]
    actions = [b for b in reply["blocks"] if b["type"] == "actions"]
    assert [e["text"]["text"] for e in actions[0]["elements"]][3] == "Clarkson College"

    click = button_click(payload["event"]["user"], reply, "Clarkson College")
    form = "payload=" + urllib.parse.quote(json.dumps(click))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(form)}
    assert post(bot, form, headers)[0] == 200
    answer = api.wait_for_posts(before + 2)[before + 1]
    assert answer["thread_ts"] == payload["event"]["ts"]
    assert tuition_text(bot.knowledge_dir, "clarkson") in answer["text"]


def test_slacks_check_of_the_request_url_gets_its_challenge_back(slack):
    bot, _ = slack
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"  # Slack's example
    body = json.dumps({"token": "t", "challenge": challenge, "type": "url_verification"})
    status, answer = post(bot, body, signed(body))
    assert status == 200
    assert json.loads(answer) == {"challenge": challenge}


def test_a_retry_of_an_answered_event_gets_no_second_answer(slack):
    bot, api = slack
    before = len(api.posts())
    body = json.dumps(event("where is Weber State?"))
    assert post(bot, body, signed(body))[0] == 200
    api.wait_for_posts(before + 1)
    for attempt, reason in ((1, "http_timeout"), (2, "http_error")):
        headers = {**signed(body), "X-Slack-Retry-Num": str(attempt),
                   "X-Slack-Retry-Reason": reason}  # fmt: skip
        assert post(bot, body, headers)[0] in (200, 201)
    time.sleep(3)
    posts = api.posts()[before:]
    assert len(posts) == 1
    assert "Ogden, Utah" in posts[0]["text"]


@pytest.mark.parametrize(
    "headers",
    [
        {},  # unsigned
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=forged"},
        "wrong-secret",
        "stale",
    ],
)
def test_forged_stale_and_unsigned_requests_are_refused_and_not_answered(slack, headers):
    bot, api = slack
    before = len(api.posts())
    body = json.dumps(event("where is Clarkson?"))
    if headers == "wrong-secret":
        headers = signed(body, secret="not-the-secret")
    elif headers == "stale":
        headers = signed(body, age=6 * 60)
    assert post(bot, body, headers)[0] == 400
    time.sleep(1)
    assert len(api.posts()) == before


@pytest.mark.chaos
def test_a_retry_after_a_restart_gets_no_second_answer(slack):
    bot, api = slack
    before = len(api.posts())
    body = json.dumps(event("where is Clarkson College?"))
    assert post(bot, body, signed(body))[0] == 200
    api.wait_for_posts(before + 1)
    bot.rasa.stop()
    bot.rasa.start()
    headers = {**signed(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    assert post(bot, body, headers)[0] == 200
    time.sleep(3)
    posts = api.posts()[before:]
    assert len(posts) == 1
    assert "Omaha, Nebraska" in posts[0]["text"]


def test_a_slack_users_conversation_cannot_be_read_over_rest_with_the_same_id(slack):
    bot, api = slack
    before = len(api.posts())
    payload = event("where is Weber State?")
    body = json.dumps(payload)
    assert post(bot, body, signed(body))[0] == 200
    api.wait_for_posts(before + 1)
    same_id = payload["event"]["user"]
    request = urllib.request.Request(
        bot.url + "/webhooks/rest/webhook",
        data=json.dumps({"sender": same_id, "message": "how much is it?"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        (reply,) = json.loads(answer.read())
    assert reply["recipient_id"] == same_id
    assert not reply["text"].startswith("Estimated tuition at Weber")  # no Weber context
