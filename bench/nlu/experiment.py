"""One NLU experiment: train a config from an empty cache, score it as the server parses.

    .venv/bin/python bench/nlu/experiment.py NAME CONFIG.yml [--nlu data/nlu.yml]

Trains `rasa train nlu` with CONFIG (its NLU pipeline) into $BENCH_WORKDIR,
then parses every message of the four held-out files through the trained
model, fallback included, and prints for each file the top intent's macro-F1
and the shares answered right / sent to the clarifying question / answered
wrong, plus the real dev file's curve over fallback thresholds.  The numbers
go to $BENCH_WORKDIR/experiment_NAME.json (aggregates only, no message text).
This is what the NOTES.md experiment tables are made with; `make bench-nlu`
makes RESULTS.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import HELDOUT_FILES, ROOT, WORK, load_heldout, top_intent, train  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def macro_f1(rows: List[Dict[str, Any]]) -> float:
    # every label seen on either side, as sklearn (and `rasa test nlu`) count it
    labels = {row["gold"] for row in rows} | {row["predicted"] for row in rows}
    scores = []
    for label in labels:
        tp = sum(r["gold"] == label and r["predicted"] == label for r in rows)
        fp = sum(r["gold"] != label and r["predicted"] == label for r in rows)
        fn = sum(r["gold"] == label and r["predicted"] != label for r in rows)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def shares(rows: List[Dict[str, Any]], threshold: float, margin: float) -> Dict[str, float]:
    """Right / clarifying / wrong when the fallback fires under `threshold` or `margin`."""
    n = len(rows)
    asked = [r for r in rows if r["confidence"] < threshold or r["gap"] < margin]
    answered = [r for r in rows if r not in asked]
    right = sum(r["gold"] == r["predicted"] for r in answered)
    return {"right": round(right / n, 4), "clarifying": round(len(asked) / n, 4),
            "wrong": round((len(answered) - right) / n, 4)}


async def parse_all(model: str) -> Dict[str, List[Dict[str, Any]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    out: Dict[str, List[Dict[str, Any]]] = {}
    for tag, path in HELDOUT_FILES.items():
        if not Path(path).exists():
            continue
        rows = []
        for example in load_heldout(Path(path)):
            parse = await agent.parse_message(example["text"])
            name, confidence, gap = top_intent(parse)
            fell_back = (parse.get("intent") or {}).get("name") == "nlu_fallback"
            ranking = [(r["name"], r["confidence"]) for r in parse.get("intent_ranking", [])
                       if r["name"] != "nlu_fallback"]
            rows.append({"gold": example["intent"], "predicted": name, "confidence": confidence,
                         "gap": gap, "fallback": fell_back, "ranking": ranking})
        out[tag] = rows
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("config")
    parser.add_argument("--nlu", default=str(ROOT / "data" / "nlu.yml"))
    parser.add_argument("--margin", type=float, default=0.1)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--model", help="score this trained model instead of training CONFIG")
    args = parser.parse_args()
    if args.model:
        trained = {"model": args.model, "train_seconds": 0}
    else:
        trained = train(args.name, Path(args.config).resolve(), Path(args.nlu).resolve(),
                        reuse=args.reuse)
    files = asyncio.run(parse_all(trained["model"]))
    report: Dict[str, Any] = {"name": args.name, "train_seconds": round(trained["train_seconds"])}
    for tag, rows in files.items():
        n = len(rows)
        as_served = {
            "right": round(sum(r["gold"] == r["predicted"] and not r["fallback"] for r in rows) / n, 4),
            "clarifying": round(sum(r["fallback"] for r in rows) / n, 4),
            "wrong": round(sum(r["gold"] != r["predicted"] and not r["fallback"] for r in rows) / n, 4),
        }
        report[tag] = {"n": n, "macro_f1": round(macro_f1(rows), 4), "as_served": as_served}
    if "realdev" in files:
        report["realdev_curve"] = {
            str(t): shares(files["realdev"], t, args.margin) for t in THRESHOLDS
        }
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / f"experiment_{args.name}.json").write_text(json.dumps(report, indent=1))
    # per message, for the curve (labels and confidences only; the work dir is outside the repository)
    (WORK / f"rows_{args.name}.json").write_text(json.dumps(files))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
