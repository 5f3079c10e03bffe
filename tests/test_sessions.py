"""Web sessions are issued by the server and open only with the token it signed;
conversations are namespaced per channel."""

import re

import pytest

from channels import sessions


@pytest.fixture
def web():
    return sessions.WebSessions(secret=b"test-secret")


def test_a_session_id_is_128_random_bits_and_never_repeats(web):
    ids = {web.issue()[0] for _ in range(1000)}
    assert len(ids) == 1000
    for session in list(ids)[:20]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", session)  # 16 bytes, base64url


def test_the_token_the_server_issued_opens_its_session_again(web):
    session, token = web.issue()
    assert web.session_of(token) == session
    assert web.open(token) == (session, token)  # reload-and-continue


@pytest.mark.parametrize(
    "presented",
    [None, "", 42, {"id": "x"}, "web-abc123", "abc.def", "a.b.c", "x" * 500, "ü.é", "\ud800.x"],
)
def test_an_id_the_server_did_not_issue_opens_a_new_session_instead(web, presented):
    session, token = web.open(presented)
    assert session != presented
    assert web.session_of(token) == session


def test_a_session_id_without_its_signature_or_with_anothers_is_refused(web):
    session, token = web.issue()
    other, other_token = web.issue()
    assert web.session_of(session) is None  # the id alone (what the tracker store holds)
    forged = f"{session}.{other_token.split('.')[1]}"
    assert web.session_of(forged) is None


def test_a_token_signed_under_another_secret_is_refused(web):
    _, token = sessions.WebSessions(secret=b"another-secret").issue()
    assert web.session_of(token) is None


def test_the_secret_comes_from_the_environment_or_a_private_file_kept_across_restarts(
    tmp_path, monkeypatch
):
    monkeypatch.delenv(sessions.ENV_SECRET, raising=False)
    key = tmp_path / "var" / "session.key"
    first = sessions._load_secret(key)
    assert sessions._load_secret(key) == first  # a restart reads the same secret
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(first) == 32
    monkeypatch.setenv(sessions.ENV_SECRET, "from-the-environment")
    assert sessions._load_secret(key) == b"from-the-environment"


@pytest.mark.parametrize("channel", ["rest", "web", "slack"])
def test_the_same_id_on_three_channels_is_three_conversations(channel):
    ids = {sessions.conversation_id(c, "x") for c in ("rest", "web", "slack")}
    assert len(ids) == 3
    assert sessions.sender_of(sessions.conversation_id(channel, "x")) == "x"
    # an id that looks like another channel's stays in its own namespace
    assert sessions.conversation_id("rest", "slack:U1") != sessions.conversation_id("slack", "U1")
