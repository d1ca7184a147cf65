"""Quality gate for a trained model (runs in CI after `rasa train`).

Model: $NLU_GATE_MODEL, else the newest models/*.tar.gz; skipped when there is
none (locally, before training), failed in CI (CI=true) so a missing model can't
pass silently. Parses bench/nlu/heldout.yml and bench/nlu/twins.yml through
the loaded model (about 600 parses, well under a minute) and asserts
  * held-out intent macro-F1 >= $NLU_GATE_MACRO_F1 (default 0.95),
  * traditional twins accuracy within 2 points of simplified twins.
The intent compared is the top intent before FallbackClassifier (like
`rasa test nlu`, which undoes the fallback prediction).
"""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "bench" / "nlu" / "heldout.yml"
TWINS = ROOT / "bench" / "nlu" / "twins.yml"
# config.yml + data/nlu.yml as of round 2: macro-F1 0.965-0.979 over seeds 42/1/2
# (seed 42, the one in config.yml, bit-reproducible: 0.965); the floor stays ~1.5
# points (about five held-out messages) below the worst run - bench/nlu/NOTES.md
MACRO_F1_FLOOR = float(os.environ.get("NLU_GATE_MACRO_F1", "0.95"))
TWIN_GAP = 0.02


def _model_path() -> Path:
    explicit = os.environ.get("NLU_GATE_MODEL")
    if explicit:
        return Path(explicit)
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        message = "no trained model in models/ (set NLU_GATE_MODEL or run `make train`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return models[-1]


def _top_intent(parse) -> str:
    ranking = [r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    return ranking[0]["name"] if ranking else (parse.get("intent") or {}).get("name")


@pytest.fixture(scope="module")
def predictions():
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(_model_path()))
    heldout = load_data(str(HELDOUT)).intent_examples
    twins = yaml.safe_load(TWINS.read_text(encoding="utf-8"))

    async def run():
        pairs = []
        for example in heldout:
            parse = await agent.parse_message(example.get("text"))
            pairs.append((example.get("intent"), _top_intent(parse)))
        twin_hits = {"simplified": 0, "traditional": 0}
        for twin in twins:
            for script in twin_hits:
                parse = await agent.parse_message(twin[script])
                twin_hits[script] += _top_intent(parse) == twin["intent"]
        return pairs, {k: v / len(twins) for k, v in twin_hits.items()}

    return asyncio.run(run())


def _macro_f1(pairs) -> float:
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def test_heldout_macro_f1(predictions):
    pairs, _ = predictions
    macro = _macro_f1(pairs)
    wrong = [(g, p) for g, p in pairs if g != p]
    assert macro >= MACRO_F1_FLOOR, f"macro-F1 {macro:.3f} < {MACRO_F1_FLOOR}; errors: {wrong}"


def test_traditional_twins_close_to_simplified(predictions):
    _, twins = predictions
    assert twins["traditional"] >= twins["simplified"] - TWIN_GAP, twins
