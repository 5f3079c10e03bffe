"""How the Rasa server calls the action server: bounded, and no dearer than the answer.

Every turn of this assistant is one call to the action server, so Rasa 3.6's way of making
that call is on the path of every reply. Two things change, both on Rasa's own
``RemoteAction`` (nothing of the action server's protocol does):

- **a deadline**: ``channels.limits.ACTION_TIMEOUT`` instead of Rasa's 300 s;
- **the reply is checked against a schema compiled once**: Rasa checks each reply with
  ``jsonschema.validate``, which first re-checks the schema itself against the JSON Schema
  meta-schema — about a third of the Rasa server's time under load (py-spy, `make bench`).
  The same schema, the same check and the same error, with the schema checked once.
"""

from __future__ import annotations

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


def prepare() -> None:
    """Install the changes above on Rasa's ``RemoteAction`` (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    limits.limit_action_calls()
    RemoteAction._validate_action_result = _validate_action_result
