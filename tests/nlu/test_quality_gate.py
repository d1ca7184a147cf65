"""Quality gate for a trained model (runs in CI after `rasa train`).

Model: $NLU_GATE_MODEL, else the newest models/*.tar.gz; skipped when there is
none (locally, before training), failed in CI (CI=true) so a missing model can't
pass silently. Parses bench/nlu/heldout.yml, bench/nlu/realstyle.yml,
bench/nlu/fresh.yml (macro-F1 >= $NLU_GATE_FRESH_F1) and bench/nlu/twins.yml through the loaded model (about 1000 parses, about a
minute) and asserts
  * own held-out intent macro-F1 >= $NLU_GATE_MACRO_F1 (default 0.95),
  * real-style held-out (written by another author to real buyers' styles,
    never trained on) macro-F1 >= $NLU_GATE_REALSTYLE_F1 and every refund-domain
    intent's F1 there >= $NLU_GATE_REALSTYLE_INTENT_F1 (floors below),
  * traditional twins accuracy within 2 points of simplified twins,
  * real buyers' messages (../shared/eval/real_dev.yml, beside the repository,
    issue #18): macro-F1 >= $NLU_GATE_REALDEV_F1, and through the whole
    pipeline (FallbackClassifier active, as the server answers) at least
    $NLU_GATE_REALDEV_RIGHT answered right and at most $NLU_GATE_REALDEV_WRONG
    answered wrong (the rest is the clarifying question). A missing dev file
    fails in CI and skips (saying so) locally.
Failure messages name intents and counts only, never a real-style message.
The intent compared is the top intent before FallbackClassifier (like
`rasa test nlu`, which undoes the fallback prediction).
"""
from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Dict

import pytest
import yaml

from actions.rules.intents import REFUND_INTENTS as RULES_REFUND_INTENTS

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "bench" / "nlu" / "heldout.yml"
REALSTYLE = ROOT / "bench" / "nlu" / "realstyle.yml"
FRESH = ROOT / "bench" / "nlu" / "fresh.yml"
TWINS = ROOT / "bench" / "nlu" / "twins.yml"
# own held-out: round 2 measured 0.965-0.979 over seeds 42/1/2; round 3's data
# (seed 42, the one in config.yml, bit-reproducible) 0.959, 0.951 with the
# spelling step off; 0.95 is issue #11's floor - bench/nlu/NOTES.md
MACRO_F1_FLOOR = float(os.environ.get("NLU_GATE_MACRO_F1", "0.95"))
TWIN_GAP = 0.02
# real-style floors: config.yml + data/nlu.yml of round 3 measured 0.980 macro-F1
# (seed 42, which CI trains; 0.980 also with the spelling step off), worst refund
# intent 0.927; the floors stay ~3 points (about ten messages) below that, and
# 0.85 per refund intent is issue #11's target - bench/nlu/NOTES.md, round 3
REALSTYLE_F1_FLOOR = float(os.environ.get("NLU_GATE_REALSTYLE_F1", "0.95"))
# fresh buyers: 0.984 with the vote (NOTES.md, round 7); issue #18 asks >= 0.95
FRESH_F1_FLOOR = float(os.environ.get("NLU_GATE_FRESH_F1", "0.95"))
REALSTYLE_INTENT_FLOOR = float(os.environ.get("NLU_GATE_REALSTYLE_INTENT_F1", "0.85"))
# real dev floors: the vote of two DIETs and a logistic regression (config.yml, round 7
# of bench/nlu/NOTES.md; CI trains the same seeds) measured macro-F1 0.922-0.937,
# answered right 89.0-90.1 %, wrong 4.4-5.3 % on two trainings five lines of data
# apart; the floors sit about 2 points (8-10 messages of 473) below: a real
# regression fails, a seed-sized wobble does not. Wrong answers stay near the 5 %.
REAL_DEV = Path(os.environ.get("NLU_REAL_DEV", ROOT.parent / "shared" / "eval" / "real_dev.yml"))
REALDEV_F1_FLOOR = float(os.environ.get("NLU_GATE_REALDEV_F1", "0.90"))
REALDEV_RIGHT_FLOOR = float(os.environ.get("NLU_GATE_REALDEV_RIGHT", "0.87"))
REALDEV_WRONG_CEILING = float(os.environ.get("NLU_GATE_REALDEV_WRONG", "0.06"))
# the refund intents (actions/rules/intents.py, the one list) and 转人工
REFUND_INTENTS = (*RULES_REFUND_INTENTS, "request_human")


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
def agent():
    from rasa.core.agent import Agent

    from bot import clauses

    clauses.install()  # as bot/server.py does: a message's clauses are parsed too
    return Agent.load(str(_model_path()))


@pytest.fixture(scope="module")
def real_dev(agent):
    """(gold, top intent before fallback, intent the server acts on) per message."""
    from rasa.shared.nlu.training_data.loading import load_data

    if not REAL_DEV.exists():
        message = f"real dev file {REAL_DEV} is absent: the real-buyer gate cannot run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)

    async def run():
        rows = []
        for example in load_data(str(REAL_DEV)).intent_examples:
            parse = await agent.parse_message(example.get("text"))
            rows.append((example.get("intent"), _top_intent(parse), parse["intent"]["name"]))
        return rows

    return asyncio.run(run())


@pytest.fixture(scope="module")
def predictions(agent):
    from rasa.shared.nlu.training_data.loading import load_data

    files = {"heldout": load_data(str(HELDOUT)).intent_examples,
             "realstyle": load_data(str(REALSTYLE)).intent_examples,
             "fresh": load_data(str(FRESH)).intent_examples}
    twins = yaml.safe_load(TWINS.read_text(encoding="utf-8"))

    async def run():
        pairs: Dict[str, list] = {}
        for name, examples in files.items():
            pairs[name] = []
            for example in examples:
                parse = await agent.parse_message(example.get("text"))
                pairs[name].append((example.get("intent"), _top_intent(parse)))
        twin_hits = {"simplified": 0, "traditional": 0}
        for twin in twins:
            for script in twin_hits:
                parse = await agent.parse_message(twin[script])
                twin_hits[script] += _top_intent(parse) == twin["intent"]
        return pairs, {k: v / len(twins) for k, v in twin_hits.items()}

    return asyncio.run(run())


def _f1_per_intent(pairs) -> dict:
    scores = {}
    for label in {gold for gold, _ in pairs}:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return scores


def _macro_f1(pairs) -> float:
    scores = _f1_per_intent(pairs)
    return sum(scores.values()) / len(scores)


def _confusions(pairs) -> dict:
    counts: Dict[tuple, int] = {}
    for gold, predicted in pairs:
        if gold != predicted:
            counts[(gold, predicted)] = counts.get((gold, predicted), 0) + 1
    return counts


def test_heldout_macro_f1(predictions):
    pairs, _ = predictions
    macro = _macro_f1(pairs["heldout"])
    wrong = [(g, p) for g, p in pairs["heldout"] if g != p]
    assert macro >= MACRO_F1_FLOOR, f"macro-F1 {macro:.3f} < {MACRO_F1_FLOOR}; errors: {wrong}"


def test_realstyle_macro_f1(predictions):
    pairs, _ = predictions
    macro = _macro_f1(pairs["realstyle"])
    assert macro >= REALSTYLE_F1_FLOOR, (
        f"real-style macro-F1 {macro:.3f} < {REALSTYLE_F1_FLOOR}; "
        f"confusions (gold, predicted): {_confusions(pairs['realstyle'])}")


def test_fresh_buyers_macro_f1(predictions):
    # bench/nlu/fresh.yml: written by a third author after the training data was final (round 4)
    pairs, _ = predictions
    macro = _macro_f1(pairs["fresh"])
    assert macro >= FRESH_F1_FLOOR, (
        f"fresh buyers' macro-F1 {macro:.3f} < {FRESH_F1_FLOOR}; "
        f"confusions (gold, predicted): {_confusions(pairs['fresh'])}")


def test_realstyle_every_refund_intent(predictions):
    pairs, _ = predictions
    scores = _f1_per_intent(pairs["realstyle"])
    low = {i: round(scores.get(i, 0.0), 3) for i in REFUND_INTENTS
           if scores.get(i, 0.0) < REALSTYLE_INTENT_FLOOR}
    assert not low, f"real-style refund intents below {REALSTYLE_INTENT_FLOOR}: {low}"


def test_traditional_twins_close_to_simplified(predictions):
    _, twins = predictions
    assert twins["traditional"] >= twins["simplified"] - TWIN_GAP, twins


def test_real_dev_macro_f1(real_dev):
    pairs = [(gold, top) for gold, top, _ in real_dev]
    macro = _macro_f1(pairs)
    assert macro >= REALDEV_F1_FLOOR, (
        f"real dev macro-F1 {macro:.3f} < {REALDEV_F1_FLOOR}; "
        f"confusions (gold, predicted): {_confusions(pairs)}")


def test_real_dev_whole_pipeline_answers(real_dev):
    n = len(real_dev)
    right = sum(1 for gold, _, final in real_dev if final == gold) / n
    clarify = sum(1 for _, _, final in real_dev if final == "nlu_fallback") / n
    wrong = 1 - right - clarify
    shares = f"right {right:.1%}, clarifying {clarify:.1%}, wrong {wrong:.1%}"
    assert right >= REALDEV_RIGHT_FLOOR, f"{shares}: right below {REALDEV_RIGHT_FLOOR:.0%}"
    assert wrong <= REALDEV_WRONG_CEILING, f"{shares}: wrong above {REALDEV_WRONG_CEILING:.0%}"
