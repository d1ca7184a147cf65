"""Run-to-run spread of config.yml's NLU pipeline (and a determinism check).

    .venv/bin/python bench/nlu/spread.py [--seeds 42 42 1 2] [--label NAME]
                                         [--set KEY=VALUE ...] [--env K=V ...]
                                         [--component NAME:KEY=VALUE ...] [--nlu FILE]

For each seed: config.yml's pipeline with DIETClassifier.random_seed = seed
(plus optional DIET overrides via --set, e.g. --set epochs=80), trained from
an empty cache with `rasa train nlu`, scored with `rasa test nlu` on
bench/nlu/heldout.yml and (if present) bench/nlu/realstyle.yml - aggregate
scores, confusion counts and fallback counts only - and the twins
(bench/nlu/twins.yml) parsed through the loaded model. Repeating a seed shows whether training is reproducible: the MD5
of DIET's weight file is recorded (identical hash = bit-identical model).
Results are appended to bench/nlu/spread.json under --label.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import json
import os
import sys
import tarfile
from pathlib import Path
from typing import Any, Dict

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark as b  # noqa: E402


def weights_md5(model: str) -> str:
    digest = hashlib.md5()
    with tarfile.open(model) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if "DIETClassifier" in member.name and member.name.endswith(
                ("data-00000-of-00001", "sparse_feature_sizes.json")
            ):
                digest.update(tar.extractfile(member).read())
    return digest.hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 42, 1, 2])
    parser.add_argument("--label", default="config.yml")
    parser.add_argument("--set", action="append", default=[],
                        help="DIET override KEY=VALUE (YAML value)")
    parser.add_argument("--component", action="append", default=[],
                        help="other component override NAME:KEY=VALUE, e.g. "
                             "bot.nlu.normalise.TraditionalToSimplified:spelling=false")
    parser.add_argument("--nlu", default=str(b.ROOT / "data" / "nlu.yml"),
                        help="training data (default data/nlu.yml)")
    parser.add_argument("--env", action="append", default=[],
                        help="environment variable for training, K=V")
    args = parser.parse_args()

    for item in args.env:
        key, value = item.split("=", 1)
        os.environ[key] = value
    overrides = {k: yaml.safe_load(v) for k, v in (s.split("=", 1) for s in args.set)}
    component_overrides: Dict[str, Dict[str, Any]] = {}
    for item in args.component:
        component, setting = item.split(":", 1)
        key, value = setting.split("=", 1)
        component_overrides.setdefault(component, {})[key] = yaml.safe_load(value)

    out = b.BENCH / "spread.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    runs = results.setdefault(args.label, {"overrides": overrides, "env": args.env, "runs": []})
    runs["overrides"], runs["env"], runs["nlu"] = overrides, args.env, args.nlu
    runs["components"] = component_overrides
    twins = b.load_twins(b.BENCH / "twins.yml")
    files = {t: p for t, p in b.HELDOUT_FILES.items() if p.exists()}
    heldouts = {t: b.load_heldout(p) for t, p in files.items()}
    b.WORK.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(args.seeds):
        config = b.ours_nlu_only_config()
        config["policies"] = []
        pipeline = copy.deepcopy(config["pipeline"])
        for item in pipeline:
            if item["name"] == "DIETClassifier":
                item["random_seed"] = seed
                item.update(overrides)
            item.update(component_overrides.get(item["name"], {}))
        config["pipeline"] = pipeline
        name = f"spread_{i}"
        path = b.WORK / f"config_{name}.yml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        r = b.train(name, path, Path(args.nlu))
        r.update(b.rasa_test(name, r["model"], files["heldout"]))
        real = b.rasa_test(f"{name}_realstyle", r["model"], files["realstyle"]) \
            if "realstyle" in files else None
        measures = asyncio.run(b.agent_measures(r["model"], twins, heldouts, n_latency=1))
        refund = {i: r["per_intent_f1"].get(i, 0.0) for i in b.REFUND_INTENTS}
        worst = min(refund, key=refund.get)
        errors = json.loads((b.WORK / f"results_{name}" / "intent_errors.json").read_text())
        row = {
            "seed": seed,
            "train_seconds": round(r["train_seconds"], 1),
            "macro_f1": r["macro_f1"],
            "accuracy": r["accuracy"],
            "min_refund_f1": refund[worst],
            "min_refund_intent": worst,
            "refund_below_0.90": {k: v for k, v in refund.items() if v < 0.9},
            "twins_simplified": measures["twins_simplified_acc"],
            "twins_traditional": measures["twins_traditional_acc"],
            "weights_md5": weights_md5(r["model"]),
            "n_errors": len(errors),
            "loadavg": os.getloadavg()[0],
        }
        if real:  # aggregate numbers only: the real-style messages stay unread
            real_refund = {i: real["per_intent_f1"].get(i, 0.0) for i in b.REFUND_INTENTS}
            row["realstyle"] = {
                "macro_f1": real["macro_f1"], "accuracy": real["accuracy"],
                "per_intent_f1": real["per_intent_f1"],
                "refund_below_0.85": {k: v for k, v in real_refund.items() if v < 0.85},
                "confused_with": real["confused_with"],
                "fallback": measures["files"]["realstyle"]["fallback"],
            }
        runs["runs"].append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
