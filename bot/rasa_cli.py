"""``python -m bot.rasa_cli train|data [rasa options]``: Rasa's training commands without
warnings nobody running them can act on (``make train``: scripts/train.sh; ``make test``).

- The libraries' DeprecationWarnings (pkg_resources, jax, click through typer
  and spaCy): shared/quiet_warnings.py, as at start-up.
- Rasa's "The utterance 'utter_x' is not used in any story or rule" for a
  response the action server says itself (``dispatcher.utter_message(response=...)``,
  a reply chosen in actions/dialogue/): every ``utter_*`` name written in the
  code under actions/ counts as used. Rasa 3.6 has no way to mark such
  responses; a response that no story, rule or action uses is still reported.

Everything else (a story that contradicts a rule, an unknown intent) is shown
as ``rasa`` shows it.
"""
from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, FrozenSet, List, Optional

REPO = Path(__file__).resolve().parents[1]
COMMANDS = ("train", "data")
UNUSED_RESPONSE = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule\.")
RESPONSE_NAME = re.compile(r"""["'](utter_\w+)["']""")


def responses_used_by_actions(code: Path = REPO / "actions") -> FrozenSet[str]:
    """The ``utter_*`` names written in the action server's code (read as text, not imported)."""
    return frozenset(name for path in code.rglob("*.py")
                     for name in RESPONSE_NAME.findall(path.read_text(encoding="utf-8")))


ENTITY_EXTRACTOR_WARNING = "You have defined training data consisting of entity examples"


def drop_shown_warnings(drop: Callable[[str], bool]) -> None:
    """Drop the warnings whose text `drop` picks where they are shown: Rasa puts its own "once"
    filter for UserWarnings in front of any filter set before it, so a filter would not hold."""
    show = warnings.showwarning

    def showwarning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                    line: Optional[str] = None) -> None:
        if not drop(str(message)):
            show(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning


def hide_unused_warnings_for(responses: FrozenSet[str]) -> None:
    """Drop Rasa's "not used in any story or rule" warning for these responses only."""
    def said_by_actions(text: str) -> bool:
        unused = UNUSED_RESPONSE.match(text)
        return bool(unused and unused.group(1) in responses)

    drop_shown_warnings(said_by_actions)


def hide_entity_extractor_warning() -> None:
    """Drop Rasa's "no entity extractor trained on your entity examples" warning: Rasa looks for its
    own DIETClassifier by exact type, the DIET that votes (bot/nlu/ensemble.py) is a subclass with
    entity recognition off, and the entities are the rule-based SpacyEntityRuler's (config.yml)."""
    drop_shown_warnings(lambda text: text.startswith(ENTITY_EXTRACTOR_WARNING))


def main(argv: Optional[List[str]] = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in COMMANDS:
        raise SystemExit("usage: python -m bot.rasa_cli train|data [rasa options]")
    from shared.quiet_warnings import silence_library_deprecations

    silence_library_deprecations()
    hide_unused_warnings_for(responses_used_by_actions())
    hide_entity_extractor_warning()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main()
