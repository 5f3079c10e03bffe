"""The web chat's socket.io channel on the running bot: answers, odd payloads, origins."""

from __future__ import annotations

import asyncio

import pytest
import socketio

from advisor import replies
from tests.test_live_robustness import TEXTS

pytestmark = pytest.mark.live
ALLOWED_ORIGIN = "http://localhost:8080"


class Chat:
    """A socket.io client speaking Rasa's events, as the web page does."""

    def __init__(self, url: str, origin: str = ALLOWED_ORIGIN) -> None:
        self.url, self.origin = url, origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue = asyncio.Queue()
        self.session: str | None = None  # the token the server issues
        self.client.on("bot_uttered", self.replies.put_nowait)

    async def __aenter__(self) -> Chat:
        confirmed = asyncio.Event()

        def confirm(token: str) -> None:
            self.session = token
            confirmed.set()

        self.client.on("session_confirm", confirm)
        await self.client.connect(
            self.url, headers={"Origin": self.origin}, transports=["websocket"]
        )
        await self.client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(confirmed.wait(), 10)
        return self

    async def __aexit__(self, *exc) -> None:
        # abort: close the socket at once, without the closing handshake
        await self.client.eio.disconnect(abort=True)

    async def ask(self, payload, settle: float = 0.6) -> list[dict]:
        """Send one payload; collect the replies until none came for ``settle`` seconds."""
        await self.client.emit("user_uttered", payload)
        received = [await asyncio.wait_for(self.replies.get(), 30)]
        while True:
            try:
                received.append(await asyncio.wait_for(self.replies.get(), settle))
            except asyncio.TimeoutError:
                return received

    async def say(self, text: str) -> str:
        answer = await self.ask({"message": text, "session_id": self.session})
        return " ".join(m.get("text", "") for m in answer)


def test_a_question_over_socketio_is_answered_with_buttons_where_there_are_some(bot):
    async def scenario():
        async with Chat(bot.url) as chat:
            (prompt,) = await chat.ask({"message": "how much is it?", "session_id": chat.session})
            assert "Omaha, Nebraska" in await chat.say("where is Clarkson College?")
            return prompt

    prompt = asyncio.run(scenario())
    assert prompt["text"].startswith("Estimated tuition, for each of the 5 programs I know:")
    assert prompt["quick_replies"] or prompt.get("buttons")


@pytest.mark.parametrize(
    "payload",
    [None, "just a string", 42, [], {}, {"message": None}, {"message": 7}, {"message": ["x"]},
     {"message": "hi", "metadata": "not-an-object"}]
    + [{"message": text} for text in TEXTS[:12]],
)  # fmt: skip
def test_an_odd_socketio_payload_gets_an_answer_and_the_chat_goes_on(bot, payload):
    async def scenario():
        async with Chat(bot.url) as chat:
            if isinstance(payload, dict):
                payload.setdefault("session_id", chat.session)
            answer = await chat.ask(payload)
            follow_up = await chat.say("where is Weber State?")
            return answer, follow_up

    answer, follow_up = asyncio.run(scenario())
    assert answer and all(m.get("text") or m.get("quick_replies") for m in answer)
    assert "Ogden, Utah" in follow_up


def test_an_empty_message_gets_the_empty_message_answer(bot):
    async def scenario():
        async with Chat(bot.url) as chat:
            return await chat.say("   ")

    assert asyncio.run(scenario()) == replies.EMPTY_MESSAGE


def test_a_page_from_another_origin_cannot_connect(bot):
    async def scenario():
        async with Chat(bot.url, origin="https://evil.example"):
            pass

    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(scenario())
