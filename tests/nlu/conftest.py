"""Fixtures for the NLU component tests (no model training here)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.support.nlu import DICTIONARY

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def engine():
    from bot.nlu.entities import EntityRulerEngine

    return EntityRulerEngine.from_files(dictionary_path=DICTIONARY)


@pytest.fixture(scope="session")
def tokenizer():
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.nlu.tokenizer import RefundJiebaTokenizer

    storage = LocalModelStorage(Path(tempfile.mkdtemp()))
    config = {**RefundJiebaTokenizer.get_default_config(), "dictionary_path": DICTIONARY}
    return RefundJiebaTokenizer.create(
        config, storage, Resource("tokenizer"), ExecutionContext(GraphSchema({}), "test")
    )
