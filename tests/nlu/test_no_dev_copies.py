"""The real dev file is for measurement only: no training line may copy it.

../shared/eval/real_dev.yml holds real buyers' messages (other people's text,
kept beside the repository). A training example that equals one of them, or a
near-copy - the same text once traditional characters, full-width forms,
punctuation, spaces, emoji codes and sentence particles (亲/啊/呢/吗/吧/哦 ...)
are removed - would make the dev measurement worthless and put other people's
text into the project. In CI (CI=true) a missing dev file fails; locally the
test is skipped and says the file is absent.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.nlu.normalise import normalise_text

ROOT = Path(__file__).resolve().parents[2]
REAL_DEV = Path(os.environ.get("NLU_REAL_DEV", ROOT.parent / "shared" / "eval" / "real_dev.yml"))
TRAINING_FILES = sorted((ROOT / "data").glob("nlu*.yml"))
PARTICLES = "亲啊呢吗吧哦呀嘛啦噢喔哈"


def copy_key(text: str) -> str:
    """What stays of a message once form and particles are gone."""
    text = normalise_text(text or "") or ""  # t2s, full-width, masks, emoji codes
    text = re.sub(r"[^0-9A-Za-z\u3400-\u9fff]", "", text).lower()
    return re.sub(f"[{PARTICLES}]", "", text)


def _examples(path: Path) -> list:
    from rasa.shared.nlu.training_data.loading import load_data

    return [(e.get("intent"), e.get("text")) for e in load_data(str(path)).intent_examples]


def _dev_keys() -> dict:
    if not REAL_DEV.exists():
        message = f"real dev file {REAL_DEV} is absent: the no-copy check cannot run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {copy_key(text): intent for intent, text in _examples(REAL_DEV)}


def test_copy_key_ignores_form_and_particles():
    assert copy_key("退款到帳了嗎？亲") == copy_key("退款到账了") == "退款到账了"
    assert copy_key("好的，回头见#E-s12") == copy_key("好的 回头见")
    assert copy_key("在不在 在不在") == copy_key("在不在在不在")
    assert copy_key("退款到账了") != copy_key("退款没到账")


def test_no_training_example_copies_a_real_dev_message():
    dev = _dev_keys()
    copies = [(intent, text) for path in TRAINING_FILES for intent, text in _examples(path)
              if copy_key(text) in dev]
    # names the training lines (ours) to fix, never the dev text
    assert not copies, f"{len(copies)} training examples copy a real dev message: {copies}"


def test_the_dev_file_is_not_inside_the_repository():
    inside = [p for folder in ("data", "bench", "tests", "docs")
              for p in (ROOT / folder).rglob("real_dev*")]
    assert not inside, f"the real dev file must stay beside the repository: {inside}"
