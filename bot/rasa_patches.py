"""Two fixes to Rasa 3.6's custom-action calls, applied when the bot package loads.

Every Rasa server of this project imports ``bot`` (config.yml's NLU components
live here), so every channel and profile gets them; ``BOT_RASA_PATCHES=0``
turns them off (to measure the difference, bench/load).

1. Rasa 3.6 hard-codes a 300 s timeout for custom actions
   (``rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT``, passed explicitly by
   ``RemoteAction.run``; ``action_endpoint`` accepts no timeout key). A hung
   action server would hold the buyer for five minutes; here the bound is
   ``RASA_ACTION_TIMEOUT_SECONDS`` (default 10), and the channels answer with
   an apology when it is hit.
2. Rasa 3.6 validates every action server response with ``jsonschema.validate``,
   which re-checks the constant schema each time: 44% of the server's CPU
   under load (bench/load/RESULTS.md). The validator is prepared once.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Text

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "RASA_ACTION_TIMEOUT_SECONDS"
DEFAULT_ACTION_TIMEOUT_SECONDS = 10
PATCHES_ENV = "BOT_RASA_PATCHES"


def action_timeout_seconds() -> float:
    raw = os.environ.get(ACTION_TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_ACTION_TIMEOUT_SECONDS
    except ValueError:
        logger.warning("%s=%r is not a number; using %ss", ACTION_TIMEOUT_ENV, raw,
                       DEFAULT_ACTION_TIMEOUT_SECONDS)
        value = DEFAULT_ACTION_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_ACTION_TIMEOUT_SECONDS


def bound_action_calls() -> float:
    """Lower Rasa's 300 s custom-action timeout (read at call time by RemoteAction.run)."""
    import rasa.core.actions.action as rasa_action

    seconds = action_timeout_seconds()
    rasa_action.DEFAULT_REQUEST_TIMEOUT = seconds
    return seconds


def cache_action_result_validator() -> None:
    """Validate action server responses with one prepared validator.

    Rasa 3.6 checks every action server response with ``jsonschema.validate``,
    which first checks the schema itself against the draft 2020-12 meta-schema:
    measured at 44% of the Rasa server's CPU under load (bench/load/RESULTS.md).
    The schema is a constant, so it is checked once here; each response is
    then validated exactly as before (same validator class, same best error).
    """
    from jsonschema import ValidationError, exceptions
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result


def apply() -> None:
    if os.environ.get(PATCHES_ENV, "1") == "0":
        return
    bound_action_calls()
    cache_action_result_validator()
