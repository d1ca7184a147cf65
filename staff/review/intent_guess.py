"""The intent the current model would give a message: the newest model in models/, parsed offline.

Rasa's own Agent loads the model (no server needed). The guess is the model's
best *real* intent: when it falls back (nlu_fallback) the owner still wants to
know which topic came closest, so the top of the ranking below it is used.
"""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO_ROOT / "models"
FALLBACK_INTENT = "nlu_fallback"
logger = logging.getLogger(__name__)


@dataclass
class Guess:
    intent: Optional[str]
    confidence: float
    fell_back: bool  # the model's own verdict was nlu_fallback


def newest_model(models_dir: Path = MODELS_DIR) -> Optional[Path]:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


class IntentGuesser:
    """Parses messages with one loaded model; load() once, then guess() many."""

    def __init__(self, model_path: Path):
        self.model_path = model_path
        self._agent = None
        self._loop = asyncio.new_event_loop()

    def load(self) -> "IntentGuesser":
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        # structlog unconfigured prints Rasa's debug lines for every parse.
        configure_structlog(max(logging.getLogger().getEffectiveLevel(), logging.WARNING))

        self._agent = Agent.load(str(self.model_path))
        return self

    def guess(self, text: str) -> Guess:
        assert self._agent is not None, "load() first"
        parsed = self._loop.run_until_complete(self._agent.parse_message(text))
        intent = parsed.get("intent") or {}
        fell_back = intent.get("name") == FALLBACK_INTENT
        ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
        best = ranking[0] if ranking else intent
        return Guess(best.get("name"), round(float(best.get("confidence") or 0.0), 3), fell_back)

    def close(self) -> None:
        self._loop.close()


def group_guess(guesses: Sequence[Guess]) -> Optional[Guess]:
    """The intent with the largest summed confidence over a group's messages."""
    if not guesses:
        return None
    scores: Dict[str, List[float]] = defaultdict(list)
    for guess in guesses:
        if guess.intent:
            scores[guess.intent].append(guess.confidence)
    if not scores:
        return None
    intent = max(scores, key=lambda name: (sum(scores[name]), name))
    confidence = round(sum(scores[intent]) / len(guesses), 3)
    return Guess(intent, confidence, all(g.fell_back for g in guesses))
