"""Each conversation's dialogue states, computed once per event instead of once per prediction.

Rasa's rule and memoization policies read a conversation as a list of states, one before
each action so far and one for now (``Domain.states_for_tracker_history``). Rasa builds the
list by replaying every event of the session, at every prediction, several times a turn,
so that each turn costs more than the one before (`make bench`: "turn 30 / turn 1").

Within a session the events only grow at the end. So each worker keeps, per conversation,
the states computed so far and the replayed tracker they came from, and replays only the
events that are new. When the events are not a continuation of those kept (another worker
took the conversation, an event was reverted, a new session began, the model was
reloaded), the list is computed from the start, as Rasa computes it. The states are those
of Rasa's own loop (``_step`` is its body); ``tests/test_dialogue_states.py`` compares both
event by event.

``install()`` puts it in place of Rasa's method; the SQL tracker store of ``make run`` and
of the cluster does so (``stores/trackers.py``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

# Lists kept per conversation at most: one per setting the policies ask with (RulePolicy's
# and MemoizationPolicy's differ), and one to spare.
LISTS_PER_CONVERSATION = 3

_RASAS_OWN = Domain.states_for_tracker_history


@dataclass
class _Progress:
    """Rasa's loop over the prior trackers, stopped after ``len(events)`` events."""

    domain: Domain
    replay: DialogueStateTracker  # the prior tracker after ``events``
    events: list[Event] = field(default_factory=list)
    states: list[State] = field(default_factory=list)  # one before each ActionExecuted
    last_ml_action_sub_state: SubState | None = None
    turn_was_hidden: bool = False

    def branch(self) -> _Progress:
        """A copy whose state list and loop variables can grow without changing this one."""
        return _Progress(
            self.domain,
            self.replay,
            self.events,
            list(self.states),
            self.last_ml_action_sub_state,
            self.turn_was_hidden,
        )


_kept: OrderedDict[tuple, _Progress] = OrderedDict()
_capacity = LISTS_PER_CONVERSATION * 128  # until install() sets it


def _step(
    progress: _Progress,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> None:
    """One pass of the loop of Rasa's ``Domain.states_for_tracker_history`` (3.6)."""
    domain = progress.domain
    if ignore_rule_only_turns:
        if not progress.turn_was_hidden:
            progress.last_ml_action_sub_state = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            progress.turn_was_hidden = hide_rule_turn
        if progress.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if progress.states:
            domain._substitute_rule_only_user_input(state, progress.states[-1])
        if progress.last_ml_action_sub_state:
            state[PREVIOUS_ACTION] = progress.last_ml_action_sub_state
    progress.states.append(domain._clean_state(state))


def _continues(events: list[Event], kept: list[Event]) -> bool:
    return len(events) >= len(kept) and all(
        new is old or new == old for new, old in zip(events[: len(kept)], kept, strict=True)
    )


def _key(tracker: DialogueStateTracker, *settings: Any) -> tuple:
    return (tracker.sender_id, tracker.is_rule_tracker, repr(settings))


def states_for_tracker_history(
    domain: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """What Rasa's ``Domain.states_for_tracker_history`` returns, replaying new events only."""
    settings = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = _key(tracker, *settings)
    events = tracker.applied_events()
    progress = _kept.pop(key, None)
    if progress is None or progress.domain is not domain or not _continues(events, progress.events):
        progress = _Progress(domain, tracker.init_copy())
    for event in events[len(progress.events) :]:
        if isinstance(event, ActionExecuted):
            _step(progress, progress.replay, event.hide_rule_turn, *settings)
        progress.replay.update(event)
        progress.events.append(event)
    _kept[key] = progress
    while len(_kept) > _capacity:
        _kept.popitem(last=False)
    # The state for now is the caller's alone: the next event may change it.
    now = progress.branch()
    _step(now, progress.replay, False, *settings)
    # Two levels deep, as the policies change the states they are given (the text of a
    # user's turn is dropped where an intent was recognised).
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in now.states]


def install(conversations: int) -> None:
    """Use the states kept per conversation in every ``Domain``, for as many conversations
    as the tracker store keeps (idempotent)."""
    global _capacity
    _capacity = LISTS_PER_CONVERSATION * conversations
    Domain.states_for_tracker_history = states_for_tracker_history
