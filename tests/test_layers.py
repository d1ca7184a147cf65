"""The layers docs/architecture.md draws: imports go down only, and the pure
packages stay free of Rasa and the database, so they can be tested and reused alone."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# package -> import prefixes it must not use
FORBIDDEN = {
    "shared": ("actions", "bot", "staff", "web", "rasa", "rasa_sdk", "sqlalchemy"),
    "actions/rules": ("actions.dialogue", "actions.orders", "actions.actions", "actions.form", "bot", "staff",
                      "rasa", "rasa_sdk", "sqlalchemy"),
    "actions/orders": ("actions.dialogue", "actions.actions", "actions.form", "bot", "staff", "rasa", "rasa_sdk"),
    "actions/dialogue": ("actions.actions", "actions.form", "bot", "staff", "rasa"),
    "bot": ("actions", "staff"),
    "staff": ("bot", "rasa_sdk"),
}
# The tracker bridge: the only dialogue modules that may touch rasa-sdk.
RASA_SDK_BRIDGE = {"actions/dialogue/asker.py", "actions/dialogue/replies.py"}


def imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def starts_with(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_go_down_the_layers_only(package):
    wrong = []
    for path in sorted((REPO / package).rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        banned = FORBIDDEN[package]
        if package == "actions/dialogue" and relative not in RASA_SDK_BRIDGE:
            banned = banned + ("rasa_sdk",)
        wrong += [f"{relative}: {name}" for name in imported_modules(path)
                  if any(starts_with(name, prefix) for prefix in banned)]
    assert wrong == []


def test_the_nlu_package_is_all_the_model_imports_from_bot():
    """scripts/train.sh retrains on bot/nlu/ alone: a component must not reach into the server's plumbing."""
    wrong = [f"{path.name}: {name}" for path in sorted((REPO / "bot/nlu").glob("*.py"))
             for name in imported_modules(path)
             if starts_with(name, "bot") and not starts_with(name, "bot.nlu")]
    assert wrong == []
