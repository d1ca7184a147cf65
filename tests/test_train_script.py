"""`make train` (scripts/train.sh) trains only when the model's inputs changed: `rasa train`
alone packages another 30 MB model on every `make run`."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.servers import REPO

INPUTS = ["config.yml", "domain.yml", "constraints.txt", "data/nlu.yml", "data/rules.yml", "data/stories.yml",
          "data/jieba", "data/holidays.yml", "bot", "shared", "scripts/train.sh"]


@pytest.fixture
def checkout(tmp_path):
    for name in INPUTS:
        source, target = REPO / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    for path in tmp_path.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # every input older than the model below
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "20261202-080000-model.tar.gz"
    model.write_bytes(b"model")
    os.utime(model, (1_500_000_000, 1_500_000_000))
    return tmp_path


def up_to_date(root: Path) -> bool:
    check = subprocess.run(["bash", str(root / "scripts/train.sh"), "--check"], capture_output=True, text=True,
                           timeout=30)
    return check.returncode == 0


def touch(path: Path) -> None:
    os.utime(path, (1_600_000_000, 1_600_000_000))


def test_a_model_newer_than_its_inputs_is_not_trained_again(checkout):
    assert up_to_date(checkout)


@pytest.mark.parametrize("changed", ["data/nlu.yml", "config.yml", "domain.yml", "data/jieba/taobao_refund.txt",
                                     "bot/nlu/tokenizer.py", "bot/nlu/entity_patterns.jsonl", "constraints.txt",
                                     "shared/chinese_text.py"])
def test_a_changed_input_trains_again(checkout, changed):
    touch(checkout / changed)
    assert not up_to_date(checkout)


@pytest.mark.parametrize("changed", ["data/holidays.yml", "bot/channels/rest.py", "bot/server.py",
                                     "bot/api_guard.py", "shared/contract.py"])
def test_what_the_model_is_not_built_from_does_not_train_again(checkout, changed):
    touch(checkout / changed)
    assert up_to_date(checkout)


def test_compiled_python_beside_the_nlu_components_does_not_train_again(checkout):
    cache = checkout / "bot/nlu/__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "tokenizer.cpython-310.pyc").write_bytes(b"")
    touch(cache / "tokenizer.cpython-310.pyc")
    assert up_to_date(checkout)


def test_no_model_trains(checkout):
    for model in (checkout / "models").iterdir():
        model.unlink()
    assert not up_to_date(checkout)
