"""What a request may carry: bodies up to 64 KB, metadata up to 2 KB, JSON Python can
follow — on the running bot; anything else is refused with a sentence, never a 500, and
never reaches the tracker store."""

from __future__ import annotations

import asyncio
import http.client
import json
import uuid

import pytest

from channels.guard import MAX_METADATA_BYTES
from tests.live_channels import WebSocket, rest_status, user_texts

pytestmark = [pytest.mark.live, pytest.mark.chaos]


def chat(sender: str, text: str = "where is Weber State?", **extra) -> bytes:
    return json.dumps({"sender": sender, "message": text, **extra}).encode()


@pytest.mark.parametrize("size", [65 * 1024, 1024 * 1024])
def test_a_body_over_64_kb_is_refused_with_413(bot, size):
    status, answer = rest_status(bot, b"{" + b" " * size + b"}")
    assert status == 413
    assert answer == {"error": "The request is too large: at most 64 KB."}


def test_a_100_mb_body_is_refused_from_its_length_before_a_byte_of_it_is_sent(bot):
    connection = http.client.HTTPConnection(bot.url.removeprefix("http://"), timeout=10)
    connection.putrequest("POST", "/webhooks/rest/webhook")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(100 * 1024 * 1024))
    connection.endheaders()  # and no body
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_30_requests_with_1_mb_of_metadata_each_add_nothing_to_the_tracker_store(bot):
    db = bot.workdir / "tracker.db"
    before = db.stat().st_size
    sender = f"meta-{uuid.uuid4().hex[:8]}"
    for _ in range(30):
        status, _ = rest_status(bot, chat(sender, metadata={"blob": "x" * 1024 * 1024}))
        assert status == 413
    assert db.stat().st_size - before < 64 * 1024
    assert user_texts(bot, f"rest:{sender}") == []


def test_metadata_over_2_kb_is_refused_with_a_sentence_and_small_metadata_is_kept(bot):
    sender = f"meta-{uuid.uuid4().hex[:8]}"
    status, answer = rest_status(bot, chat(sender, metadata={"blob": "x" * 3000}))
    assert status == 400
    assert answer["error"] == (
        f'"metadata" must be a JSON object of at most {MAX_METADATA_BYTES:,} bytes when given.'
    )
    status, answer = rest_status(bot, chat(sender, metadata={"page": "/programs/pacs"}))
    assert status == 200
    assert "Ogden, Utah" in answer[0]["text"]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 30_000 + b"]" * 30_000,  # as deep as fits in 64 KB
        b'{"sender": "s", "message": "hi", "metadata": ' + b'{"a":' * 10_000 + b"1" + b"}" * 10_001,
        b'{"sender": "s", "message": NaN}',
        b'{"sender": "s", "message": "hi", "metadata": {"x": Infinity}}',
        b'{"sender": "s", "message": "hi", "metadata": {"x": 1e999}}',
        b'{"sender": ' + b"9" * 5000 + b', "message": "hi"}',
    ],
    ids=["deep-array", "deep-metadata", "nan", "infinity", "overflow", "huge-int"],
)
def test_deep_or_odd_json_gets_400_with_a_sentence(bot, body):
    status, answer = rest_status(bot, body)
    assert status == 400
    assert answer["error"].endswith(".")


def test_a_lone_surrogate_in_the_text_is_answered_and_stored(bot):
    sender = f"odd-{uuid.uuid4().hex[:8]}"
    body = b'{"sender": "%s", "message": "where is \\ud800 Weber State?"}' % sender.encode()
    status, answer = rest_status(bot, body)
    assert status == 200 and answer[0]["text"]
    assert user_texts(bot, f"rest:{sender}") == ["where is \ufffd Weber State?"]


def test_a_socketio_message_over_64_kb_is_not_taken_and_the_session_goes_on(bot):
    async def scenario():
        async with WebSocket(bot.url) as socket:
            token = socket.token
            try:
                await socket.client.emit("user_uttered", {"message": "x" * 100_000})
                dropped = await socket.more(settle=2)
            except Exception:  # the server may close the connection instead
                dropped = []
        async with WebSocket(bot.url, token) as again:
            answer = await again.ask({"message": "where is Weber State?"})
        return token, dropped, answer

    token, dropped, answer = asyncio.run(scenario())
    assert dropped == []
    assert "Weber State University is in Ogden, Utah." in answer
    assert user_texts(bot, "web:" + token.split(".")[0]) == ["where is Weber State?"]
