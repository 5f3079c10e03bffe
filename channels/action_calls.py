"""How the Rasa server calls the action server: bounded, and no dearer than the answer.

Every turn of this assistant is one call to the action server, so Rasa 3.6's way of making
that call is on the path of every reply. Three things change, all on Rasa's own
``RemoteAction`` (nothing of the action server's protocol does):

- **a deadline**: ``channels.limits.ACTION_TIMEOUT`` instead of Rasa's 300 s;
- **the reply is checked against a schema compiled once**: Rasa checks each reply with
  ``jsonschema.validate``, which first re-checks the schema itself against the JSON Schema
  meta-schema — about a third of the Rasa server's time under load (py-spy, `make bench`).
  The same schema, the same check and the same error, with the schema checked once;
- **a request that does not grow with the conversation**: Rasa sends every event of the
  session (about 110 KB at turn 30 of `make bench`, 9 KB at turn 1) and the whole domain.
  The actions read the decided meaning of the latest message, the slots and the form's
  state, which the request carries apart from the events (``latest_message``, ``slots``,
  ``active_loop``); of the events they read only those since the latest message (what the
  form has done since: ``actions.forms``; the slots to validate: rasa_sdk). So the events
  start at the latest message, and the domain goes only to the actions that ask for it in
  domain.yml (``send_domain``, with ``enable_selective_domain`` in endpoints.yml, both
  Rasa settings): the form's validation, which reads the form's slots from it. One action
  reads the conversation itself: the hand-off to a person (``actions.handoff``), whose
  summary for staff holds the last turns; it alone gets every event (``WHOLE_CONVERSATION``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from channels import limits


@lru_cache(maxsize=1)
def _reply_validator() -> Any:
    """The validator of Rasa's action-reply schema, the schema checked once."""
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's ``RemoteAction._validate_action_result``, without re-checking the schema."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_reply_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        f"from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def since_latest_message(events: Iterable[Any]) -> list[Any]:
    """The events from the latest user message on (all of them when there is none)."""
    from rasa.shared.core.events import UserUttered

    events = list(events)
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return events[index:]
    return events


# Actions that read the conversation's earlier turns, and so are sent every event.
WHOLE_CONVERSATION = frozenset({"action_handoff"})


def _action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
    """Rasa's ``RemoteAction._action_call_format``, with the events since the latest
    message only (every event for ``WHOLE_CONVERSATION``)."""
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    state = tracker.current_state(EventVerbosity.NONE)
    whole = self.name() in WHOLE_CONVERSATION
    events = tracker.events if whole else since_latest_message(tracker.events)
    state["events"] = [event.as_dict() for event in events]
    call = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        call["domain"] = domain.as_dict()
    return call


def prepare() -> None:
    """Install the changes above on Rasa's ``RemoteAction`` (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    limits.limit_action_calls()
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _action_call_format
