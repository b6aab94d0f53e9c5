"""Action server responses validated with a validator built once (issue 17).

Rasa's RemoteAction._validate_action_result calls jsonschema.validate, which under jsonschema
4.17 checks the schema against its metaschema and builds a new validator on every call: a
quarter of the Rasa server's time under load. The schema is Rasa's own and never changes, so it
is checked once here; responses get the same validation and the same error as before.

install() is called by the Rasa server's entrypoint (bot/runtime/rasa_server.py) before it
serves.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result, with the validator built once."""
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        "from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
