"""Channel checks: every odd input gets a clear answer, ordinary text passes untouched."""

import asyncio
from types import SimpleNamespace

import pytest

from advisor import replies
from channels import guard


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t", "\x00\x01", 42, ["a"], {"text": "hi"}])
def test_empty_or_non_text_messages_are_answered_without_the_bot(raw):
    assert guard.check_text(raw) == guard.Checked(reply=replies.EMPTY_MESSAGE)


def test_a_message_over_the_limit_is_answered_with_its_length_and_the_limit():
    checked = guard.check_text("x" * 20000)
    assert checked.text is None
    assert checked.reply == (
        "Your message is 20,000 characters long; I can read up to 2,000. "
        "Please send just your question."
    )


@pytest.mark.parametrize(
    "raw, text",
    [
        ("how much is Weber?", "how much is Weber?"),
        ("  where is EFSC?\x07 ", "where is EFSC?"),
        ("Cafe\u0301 au lait", "Caf\u00e9 au lait"),  # NFC
        ("ما هي تكلفة البرنامج؟", "ما هي تكلفة البرنامج؟"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # markup is just text
        ("🙂 is it online?", "🙂 is it online?"),
    ],
)
def test_ordinary_and_unusual_text_passes_cleaned_but_unchanged(raw, text):
    assert guard.check_text(raw) == guard.Checked(text=text)


@pytest.mark.parametrize(
    "raw, sender", [("abc", "abc"), (17, "17"), (" s1 ", "s1"), ("", None), (None, None),
                    (True, None), ("x" * 129, None), ({"id": 1}, None)]
)  # fmt: skip
def test_a_sender_id_must_be_a_short_string_or_number(raw, sender):
    assert guard.check_sender(raw) == sender


class Output:
    """An output channel that counts what it sent, as every channel's does."""

    def __init__(self):
        self.texts = []

    @property
    def sent(self):
        return len(self.texts)

    async def send_text_message(self, recipient_id, text):
        self.texts.append((recipient_id, text))


def message(output):
    return SimpleNamespace(sender_id="rest:s1", input_channel="rest", output_channel=output)


@pytest.mark.parametrize("outcome", ["nothing sent", "failed", "failed after a reply"])
def test_a_turn_that_sends_nothing_or_fails_ends_with_the_apology_unless_something_was_said(
    outcome,
):
    async def turn(msg):
        if outcome == "failed after a reply":
            await msg.output_channel.send_text_message(msg.sender_id, "Omaha, Nebraska")
        if outcome.startswith("failed"):
            raise RuntimeError("the action server hung")

    output = Output()
    asyncio.run(guard.with_apology(turn)(message(output)))
    if outcome == "failed after a reply":
        assert output.texts == [("rest:s1", "Omaha, Nebraska")]
    else:
        assert output.texts == [("rest:s1", replies.NO_ANSWER)]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"sender": "s", "message": NaN}',
        b'{"sender": "s", "message": "hi", "metadata": {"x": Infinity}}',
        b'{"sender": "s", "message": "hi", "metadata": {"x": 1e400}}',
        b'{"sender": ' + b"9" * 5000 + b', "message": "hi"}',
        b"\xff\xfe",
        b"",
    ],
)
def test_json_python_cannot_follow_or_store_is_refused_as_bad_json(body):
    with pytest.raises(guard.BadJson):
        guard.parse_json(body)


def test_a_lone_surrogate_becomes_a_replacement_character():
    text = guard.parse_json(b'"where is \\ud800 Weber?"')
    assert guard.check_text(text) == guard.Checked(text="where is \ufffd Weber?")
    assert guard.check_sender(guard.parse_json(b'"s\\udfff"')) == "s\ufffd"


@pytest.mark.parametrize(
    "raw, kept",
    [
        ({"page": "https://school.example/pacs", "lang": "en"}, True),
        ({"blob": "x" * 3000}, False),  # over 2 KB
        ({"bad": "\ud800"}, False),  # cannot be stored
        ("not an object", False),
        (["a"], False),
    ],
)
def test_metadata_is_kept_only_as_a_small_json_object(raw, kept):
    assert guard.check_metadata(raw) == (raw if kept else None)
