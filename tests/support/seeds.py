"""Where the tests read the seed documents: ../shared/seeds beside the checkout.

The seeds are other people's pages, so the repository keeps no copy of them
(the knowledge file keeps only short cited quotes). CI always has ../shared
beside its clone; on a user's machine without it the seed checks say plainly
that they could not run, and in CI a missing folder is a failure.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"


def require_seeds() -> Path:
    """The seed folder, or skip (fail under CI=true) with a message saying why."""
    if SEEDS.is_dir() and any(SEEDS.glob("*.txt")):
        return SEEDS
    message = (f"the seed documents are not beside this checkout ({SEEDS}): "
               "the checks of the knowledge file's quotes against them cannot run here")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError("unreachable")  # pytest.skip raises
