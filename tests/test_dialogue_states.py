"""The dialogue states kept per conversation (``stores.dialogue_states``) are exactly the
ones Rasa computes by replaying the whole session, after every event of every conversation
of the project's stories and rules, with each setting the policies use."""

from collections.abc import Iterator

import pytest
from rasa.core.training import load_data
from rasa.shared.core.constants import RULE_ONLY_LOOPS, RULE_ONLY_SLOTS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from scripts.live import ROOT
from stores import dialogue_states

RASAS_OWN = dialogue_states._RASAS_OWN
DOMAIN = Domain.load(ROOT / "domain.yml")
# what RulePolicy hands over: slots and loops that only rules use
RULE_ONLY = {RULE_ONLY_SLOTS: ["fact"], RULE_ONLY_LOOPS: ["advising_form"]}
SETTINGS = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
]


@pytest.fixture(scope="module")
def conversations() -> list[DialogueStateTracker]:
    trackers = load_data(str(ROOT / "data"), DOMAIN, augmentation_factor=0)
    assert len(trackers) > 30
    return trackers


@pytest.fixture(autouse=True)
def nothing_kept() -> Iterator[None]:
    dialogue_states._kept.clear()
    yield
    dialogue_states._kept.clear()


def growing(conversation: DialogueStateTracker, sender: str) -> Iterator[DialogueStateTracker]:
    """The conversation as a running server sees it: one tracker, one event more each time."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for event in conversation.events:
        tracker.update(event)
        yield tracker


def test_after_every_event_of_every_story_and_rule_the_states_are_rasas(conversations):
    compared = 0
    for number, conversation in enumerate(conversations):
        for tracker in growing(conversation, f"conversation-{number}"):
            for settings in SETTINGS:
                kept = dialogue_states.states_for_tracker_history(DOMAIN, tracker, **settings)
                assert kept == RASAS_OWN(DOMAIN, tracker, **settings), (number, settings)
                compared += 1
    assert compared > 500


def test_a_reverted_user_turn_is_computed_afresh(conversations):
    conversation = next(c for c in conversations if len(c.events) > 8)
    tracker = list(growing(conversation, "reverting"))[-1]
    dialogue_states.states_for_tracker_history(DOMAIN, tracker)
    tracker.update(UserUtteranceReverted())
    tracker.update(UserUttered("and at weber?", {"name": "ask_question", "confidence": 1.0}))
    assert dialogue_states.states_for_tracker_history(DOMAIN, tracker) == RASAS_OWN(DOMAIN, tracker)


def test_another_conversation_under_the_same_id_is_not_taken_for_a_continuation(conversations):
    first, second, *_ = (c for c in conversations if len(c.events) > 6)
    for tracker in growing(first, "same-id"):
        dialogue_states.states_for_tracker_history(DOMAIN, tracker)
    for tracker in growing(second, "same-id"):
        assert dialogue_states.states_for_tracker_history(DOMAIN, tracker) == RASAS_OWN(
            DOMAIN, tracker
        )


def test_the_caller_may_change_the_states_it_was_given(conversations):
    conversation = next(c for c in conversations if len(c.events) > 8)
    tracker = list(growing(conversation, "changing"))[-1]
    given = dialogue_states.states_for_tracker_history(DOMAIN, tracker)
    for state in given:
        for sub_state in state.values():
            sub_state.clear()
    assert dialogue_states.states_for_tracker_history(DOMAIN, tracker) == RASAS_OWN(DOMAIN, tracker)


def test_only_the_new_events_are_replayed(conversations, monkeypatch):
    conversation = max(conversations, key=lambda c: len(c.events))
    for tracker in growing(conversation, "long"):
        dialogue_states.states_for_tracker_history(DOMAIN, tracker)
    replayed = []
    update = DialogueStateTracker.update

    def counted_update(self, event, *args, **kwargs):
        replayed.append(event)
        return update(self, event, *args, **kwargs)

    monkeypatch.setattr(DialogueStateTracker, "update", counted_update)
    tracker.update(ActionExecuted("action_listen"))
    replayed.clear()
    dialogue_states.states_for_tracker_history(DOMAIN, tracker)
    assert len(replayed) == 1
