"""How the Rasa server calls the action server: the same checks as Rasa's, done cheaper."""

import json

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


def conversation(turns: int):
    """A tracker of ``turns`` question-and-answer turns, the programs slot set at each."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load("domain.yml")
    tracker = DialogueStateTracker("someone", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    for turn in range(turns):
        tracker.update(UserUttered(f"question {turn}", {"name": "ask_question", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_answer_question"))
        tracker.update(SlotSet("programs", [f"program-{turn}"]))
        tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("the latest", {"name": "ask_question", "confidence": 1.0}))
    return tracker, domain


def test_the_action_server_gets_the_events_since_the_latest_message_and_all_the_state():
    action_calls.prepare()
    tracker, domain = conversation(30)
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=True)

    call = RemoteAction("action_answer_question", endpoint)._action_call_format(tracker, domain)

    assert [e["event"] for e in call["tracker"]["events"]] == ["user"]
    assert call["tracker"]["latest_message"]["text"] == "the latest"
    assert call["tracker"]["slots"]["programs"] == ["program-29"]
    assert "domain" not in call  # this action does not ask for it


def test_the_request_is_as_large_at_turn_30_as_at_turn_1():
    action_calls.prepare()
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=True)
    sizes = []
    for turns in (1, 30):
        tracker, domain = conversation(turns)
        call = RemoteAction("action_answer_question", endpoint)._action_call_format(tracker, domain)
        sizes.append(len(json.dumps(call)))
    assert sizes[1] < sizes[0] * 1.01  # timestamps and the slot's value differ in length


def test_the_forms_validation_gets_the_domain_it_reads_the_forms_slots_from():
    action_calls.prepare()
    tracker, domain = conversation(2)
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=True)

    call = RemoteAction("validate_advising_form", endpoint)._action_call_format(tracker, domain)

    assert "advising_form" in call["domain"]["forms"]


def test_the_hand_off_gets_the_whole_conversation_for_the_staffs_summary():
    action_calls.prepare()
    tracker, domain = conversation(3)
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=True)

    call = RemoteAction("action_handoff", endpoint)._action_call_format(tracker, domain)

    said = [e["text"] for e in call["tracker"]["events"] if e["event"] == "user"]
    assert said == ["question 0", "question 1", "question 2", "the latest"]
