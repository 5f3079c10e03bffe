"""How the Rasa server calls the action server: the same checks as Rasa's, done cheaper."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from channels import action_calls

GOOD_REPLIES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "fact", "value": "cost"}], "responses": [{"text": "hi"}]},
]
BAD_REPLIES = [
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": "not a list"},
]


@pytest.fixture
def remote_action():
    action_calls.prepare()
    return RemoteAction("action_answer_question", EndpointConfig("http://127.0.0.1:1/webhook"))


@pytest.mark.parametrize("reply", GOOD_REPLIES)
def test_a_well_formed_action_reply_passes_as_with_rasa(remote_action, reply):
    jsonschema.validate(reply, RemoteAction.action_response_format_spec())  # Rasa's check
    assert remote_action._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", BAD_REPLIES)
def test_a_malformed_action_reply_fails_with_rasas_error(remote_action, reply):
    with pytest.raises(jsonschema.ValidationError) as rasas:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as ours:
        remote_action._validate_action_result(reply)
    assert ours.value.message.startswith(rasas.value.message)
    assert "Failed to validate Action server response" in ours.value.message
