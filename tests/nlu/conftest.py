"""Fixtures for the NLU component tests (no model training here)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

DICTIONARY = str(ROOT / "data" / "jieba")


@pytest.fixture(scope="session")
def engine():
    from bot.entities import EntityRulerEngine

    return EntityRulerEngine.from_files(dictionary_path=DICTIONARY)


@pytest.fixture(scope="session")
def tokenizer():
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.tokenizer import RefundJiebaTokenizer

    import tempfile

    storage = LocalModelStorage(Path(tempfile.mkdtemp()))
    config = {**RefundJiebaTokenizer.get_default_config(), "dictionary_path": DICTIONARY}
    return RefundJiebaTokenizer.create(
        config, storage, Resource("tokenizer"), ExecutionContext(GraphSchema({}), "test")
    )
