"""NLU benchmark: our pipeline vs Rasa's default vs plain jieba.

One command (from the repo root):

    .venv/bin/python bench/nlu/benchmark.py            # all three pipelines
    .venv/bin/python bench/nlu/benchmark.py --only ours

For each pipeline it
  1. trains an NLU model with `rasa train nlu` on data/nlu.yml
     (fresh, empty cache dir so nothing is reused; wall-clock training time recorded),
  2. runs `rasa test nlu` on bench/nlu/heldout.yml (intent accuracy, macro-F1,
     per-intent F1 and entity P/R from Rasa's report JSON),
  3. loads the model with rasa.core.agent.Agent and measures: the twins
     (bench/nlu/twins.yml) accuracy for simplified vs traditional, the
     held-out confidence distribution of correct vs wrong predictions (used to
     choose the FallbackClassifier thresholds) and parse latency (median/p95
     over 300 parses, full NLU graph incl. normalisation),
then writes bench/nlu/results.json and bench/nlu/RESULTS.md.
Work files go to $BENCH_WORKDIR (default /tmp/nlu-bench), not the repo.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "nlu"
RASA = str(ROOT / ".venv" / "bin" / "rasa")
WORK = Path(os.environ.get("BENCH_WORKDIR", "/tmp/nlu-bench"))

REFUND_INTENTS = [
    "ask_refund_after_shipping", "ask_refund_before_shipping",
    "ask_refund_after_success", "ask_refund_not_received", "ask_refund_progress",
    "ask_cancel_refund", "ask_frozen_balance", "ask_withdraw",
    "ask_real_name_verification", "ask_seven_day_return", "ask_return_shipping_fee",
    "ask_quality_issue", "ask_platform_intervention", "ask_auto_confirm",
    "ask_trade_closed", "ask_logistics_problem", "request_human",
]

# (b) what `rasa init` (3.6) writes as its default pipeline. WhitespaceTokenizer
# refuses `language: zh`, so a naive user ends up with `language: en` on Chinese
# text. ResponseSelector dropped: there are no retrieval intents.
DEFAULT_INIT_CONFIG = """\
recipe: default.v1
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
    constrain_similarities: true
  - name: EntitySynonymMapper
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies: []
"""


def plain_jieba_config(ours: Dict[str, Any]) -> str:
    """(c): our pipeline minus normaliser, user dictionary, digit handling and
    entity ruler - i.e. Rasa's own JiebaTokenizer with the same featurizers and
    the same DIET / fallback settings."""
    import yaml

    pipeline = []
    for item in ours["pipeline"]:
        name = item["name"]
        if name.startswith(("bot.normalise", "bot.entities", "bot.content_guard")):
            continue
        if name == "bot.tokenizer.JiebaTokenizer":
            item = {"name": "JiebaTokenizer"}
        pipeline.append(item)
    return yaml.safe_dump(
        {"recipe": "default.v1", "language": "zh", "pipeline": pipeline, "policies": []},
        allow_unicode=True, sort_keys=False,
    )


def ours_nlu_only_config() -> Dict[str, Any]:
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    return config


def env(cache: Optional[Path] = None) -> Dict[str, str]:
    e = dict(os.environ)
    e["RASA_TELEMETRY_ENABLED"] = "false"
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    # `rasa train nlu` has no --force in 3.6: an empty cache directory per
    # training run guarantees nothing is reused (honest training times)
    e["RASA_CACHE_DIRECTORY"] = str(cache or (WORK / "cache"))
    return e


def run(cmd: List[str], log: Path, cache: Optional[Path] = None) -> float:
    started = time.perf_counter()
    with open(log, "w") as handle:
        proc = subprocess.run(cmd, cwd=ROOT, env=env(cache), stdout=handle,
                              stderr=subprocess.STDOUT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}), see {log}: {' '.join(cmd)}")
    return elapsed


def train(name: str, config_path: Path, nlu: Path, reuse: bool = False) -> Dict[str, Any]:
    out = WORK / "models"
    out.mkdir(parents=True, exist_ok=True)
    record = WORK / f"train_{name}.json"
    model = out / f"{name}.tar.gz"
    if reuse and record.exists() and model.exists():
        previous = json.loads(record.read_text())
        if previous.get("config") == config_path.read_text(encoding="utf-8"):
            print(f"[{name}] reusing {model} (trained in {previous['train_seconds']:.0f}s)")
            return {"model": str(model), "train_seconds": previous["train_seconds"]}
    cache = WORK / f"cache_{name}"
    shutil.rmtree(cache, ignore_errors=True)
    seconds = run(
        [RASA, "train", "nlu", "-c", str(config_path), "--nlu", str(nlu),
         "--out", str(out), "--fixed-model-name", name],
        WORK / f"train_{name}.log",
        cache=cache,
    )
    shutil.rmtree(cache, ignore_errors=True)
    record.write_text(json.dumps({"train_seconds": seconds,
                                  "config": config_path.read_text(encoding="utf-8")}))
    return {"model": str(model), "train_seconds": seconds}


def rasa_test(name: str, model: str, heldout: Path) -> Dict[str, Any]:
    out = WORK / f"results_{name}"
    run([RASA, "test", "nlu", "-m", model, "--nlu", str(heldout), "--out", str(out)],
        WORK / f"test_{name}.log")
    report = json.loads((out / "intent_report.json").read_text())
    per_intent = {
        k: round(v["f1-score"], 4) for k, v in report.items()
        if isinstance(v, dict) and "f1-score" in v and k not in
        ("micro avg", "macro avg", "weighted avg")
    }
    confused = {
        k: v.get("confused_with", {}) for k, v in report.items()
        if isinstance(v, dict) and v.get("confused_with")
    }
    entities = {}
    for path in out.glob("*_report.json"):
        if path.name == "intent_report.json":
            continue
        extractor = path.name[: -len("_report.json")]
        rep = json.loads(path.read_text())
        entities[extractor] = {
            k: {"precision": round(v["precision"], 4), "recall": round(v["recall"], 4),
                "f1": round(v["f1-score"], 4), "support": v["support"]}
            for k, v in rep.items() if isinstance(v, dict) and "precision" in v
        }
    return {
        "accuracy": round(report["accuracy"], 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "per_intent_f1": per_intent,
        "confused_with": confused,
        "entities": entities,
    }


def load_twins(path: Path) -> List[Dict[str, str]]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_heldout(path: Path) -> List[Dict[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [{"text": m.get("text"), "intent": m.get("intent")}
            for m in data.intent_examples]


def top_intent(parse: Dict[str, Any]) -> (str, float, float):
    """Top intent *before* the FallbackClassifier, its confidence and the gap
    to the runner-up (what ambiguity_threshold looks at)."""
    ranking = [r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    if not ranking:
        intent = parse.get("intent") or {}
        return intent.get("name"), intent.get("confidence") or 0.0, 1.0
    gap = ranking[0]["confidence"] - (ranking[1]["confidence"] if len(ranking) > 1 else 0)
    return ranking[0]["name"], ranking[0]["confidence"], gap


async def agent_measures(model: str, twins, heldout, n_latency: int = 300) -> Dict[str, Any]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    await agent.parse_message("你好")  # warm

    async def predict(text):
        return top_intent(await agent.parse_message(text))

    simp = trad = 0
    for twin in twins:
        simp += (await predict(twin["simplified"]))[0] == twin["intent"]
        trad += (await predict(twin["traditional"]))[0] == twin["intent"]

    confidences = []
    for ex in heldout:
        name, conf, gap = await predict(ex["text"])
        confidences.append({"correct": name == ex["intent"], "confidence": conf, "gap": gap})

    texts = [ex["text"] for ex in heldout] or ["你好"]
    latencies = []
    for i in range(n_latency):
        started = time.perf_counter()
        await agent.parse_message(texts[i % len(texts)])
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "twins_n": len(twins),
        "twins_simplified_acc": round(simp / max(len(twins), 1), 4),
        "twins_traditional_acc": round(trad / max(len(twins), 1), 4),
        "latency_ms_median": round(statistics.median(latencies), 2),
        "latency_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "confidences": confidences,
    }


def threshold_table(confidences: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    rows = []
    correct = [c for c in confidences if c["correct"]]
    wrong = [c for c in confidences if not c["correct"]]
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for a in (0.0, 0.05, 0.1, 0.2):
            def falls(c):
                return c["confidence"] < t or c["gap"] < a
            rows.append({
                "threshold": t, "ambiguity": a,
                "correct_to_fallback": round(sum(map(falls, correct)) / max(len(correct), 1), 4),
                "wrong_caught": round(sum(map(falls, wrong)) / max(len(wrong), 1), 4),
            })
    return rows


def quantiles(values: List[float]) -> str:
    if not values:
        return "-"
    values = sorted(values)
    q = lambda p: values[min(len(values) - 1, int(p * len(values)))]
    return f"min {values[0]:.2f} / p10 {q(0.1):.2f} / median {q(0.5):.2f} / p90 {q(0.9):.2f}"


def main() -> None:
    import yaml

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["ours", "default_en", "plain_jieba"], action="append")
    parser.add_argument("--nlu", default=str(ROOT / "data" / "nlu.yml"))
    parser.add_argument("--heldout", default=str(BENCH / "heldout.yml"))
    parser.add_argument("--twins", default=str(BENCH / "twins.yml"))
    parser.add_argument("--no-write", action="store_true", help="don't touch RESULTS.md")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse a model trained by an earlier run with the same config")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite RESULTS.md from results.json (+ sweep.json, NOTES.md)")
    args = parser.parse_args()
    if args.render_only:
        saved = json.loads((BENCH / "results.json").read_text())
        write_markdown(saved["meta"], saved["pipelines"])
        return

    WORK.mkdir(parents=True, exist_ok=True)
    ours = ours_nlu_only_config()
    ours_nlu = dict(ours, policies=[])
    configs = {
        "ours": yaml.safe_dump(ours_nlu, allow_unicode=True, sort_keys=False),
        "default_en": DEFAULT_INIT_CONFIG,
        "plain_jieba": plain_jieba_config(yaml.safe_load(yaml.safe_dump(ours))),
    }
    names = args.only or list(configs)
    twins = load_twins(Path(args.twins))
    heldout = load_heldout(Path(args.heldout))
    results: Dict[str, Any] = {}
    results_path = BENCH / "results.json"
    if results_path.exists() and args.only:
        results = json.loads(results_path.read_text()).get("pipelines", {})

    for name in names:
        config_path = WORK / f"config_{name}.yml"
        config_path.write_text(configs[name], encoding="utf-8")
        print(f"[{name}] training ...", flush=True)
        r = train(name, config_path, Path(args.nlu), reuse=args.reuse)
        print(f"[{name}] trained in {r['train_seconds']:.0f}s; rasa test nlu ...", flush=True)
        r.update(rasa_test(name, r["model"], Path(args.heldout)))
        print(f"[{name}] macro-F1 {r['macro_f1']}; agent measures ...", flush=True)
        r.update(asyncio.run(agent_measures(r["model"], twins, heldout)))
        r["config"] = configs[name]
        results[name] = r

    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "loadavg_at_end": os.getloadavg(),
        "n_train_examples": None,
        "n_heldout": len(heldout),
        "n_twins": len(twins),
    }
    if not args.no_write:
        results_path.write_text(json.dumps({"meta": meta, "pipelines": results},
                                           ensure_ascii=False, indent=1))
        write_markdown(meta, results)
    for name, r in results.items():
        print(name, {k: r[k] for k in ("accuracy", "macro_f1", "twins_simplified_acc",
                                       "twins_traditional_acc", "train_seconds",
                                       "latency_ms_median", "latency_ms_p95")})


def write_markdown(meta: Dict[str, Any], results: Dict[str, Any]) -> None:
    label = {
        "ours": "(a) ours: config.yml",
        "default_en": "(b) `rasa init` default, language en",
        "plain_jieba": "(c) Rasa JiebaTokenizer, no normaliser/dictionary",
    }
    lines = [
        "# NLU benchmark results",
        "",
        "Generated by `bench/nlu/benchmark.py` (see the top of that file); do not edit",
        "the tables by hand - rerun the command. The notes at the end (how the",
        "numbers in config.yml were chosen) come from `bench/nlu/NOTES.md`.",
        "",
        f"Run {meta['date']} on {meta['cpus']} cores (load average at the end "
        f"{', '.join(f'{x:.1f}' for x in meta['loadavg_at_end'])}; other jobs on the "
        f"machine inflate training time). Held-out: {meta['n_heldout']} messages, "
        f"twins: {meta['n_twins']} pairs.",
        "",
        "| pipeline | intent acc | macro-F1 | min refund-intent F1 | twins simp | twins trad | train s | parse ms median | p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        refund = [r["per_intent_f1"].get(i, 0.0) for i in REFUND_INTENTS]
        lines.append(
            f"| {label.get(name, name)} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | "
            f"{min(refund):.3f} | {r['twins_simplified_acc']:.3f} | "
            f"{r['twins_traditional_acc']:.3f} | {r['train_seconds']:.0f} | "
            f"{r['latency_ms_median']:.1f} | {r['latency_ms_p95']:.1f} |"
        )
    lines += ["", "## Per-intent F1 on held-out", ""]
    names = list(results)
    intents = sorted({i for r in results.values() for i in r["per_intent_f1"]})
    lines.append("| intent | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for intent in intents:
        mark = " *" if intent in REFUND_INTENTS else ""
        lines.append(f"| {intent}{mark} | " + " | ".join(
            f"{results[n]['per_intent_f1'].get(intent, float('nan')):.3f}" for n in names) + " |")
    lines += ["", "`*` = refund-domain intent (target F1 >= 0.90).", ""]
    lines += ["## Entities (held-out, token-level, from `rasa test nlu`)", ""]
    for name, r in results.items():
        for extractor, rep in r["entities"].items():
            lines.append(f"**{label.get(name, name)} - {extractor}**")
            lines.append("")
            lines.append("| entity | precision | recall | F1 | support |")
            lines.append("|---|---|---|---|---|")
            for ent, v in rep.items():
                lines.append(f"| {ent} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |")
            lines.append("")
    if "ours" in results:
        r = results["ours"]
        correct = [c["confidence"] for c in r["confidences"] if c["correct"]]
        wrong = [c["confidence"] for c in r["confidences"] if not c["correct"]]
        lines += [
            "## Fallback threshold (ours): held-out top-intent confidence",
            "",
            f"- correct ({len(correct)}): {quantiles(correct)}",
            f"- wrong ({len(wrong)}): {quantiles(wrong)}",
            "",
            "| threshold | ambiguity | correct -> fallback | wrong caught |",
            "|---|---|---|---|",
        ]
        for row in threshold_table(r["confidences"]):
            lines.append(f"| {row['threshold']} | {row['ambiguity']} | "
                         f"{row['correct_to_fallback']:.3f} | {row['wrong_caught']:.3f} |")
        lines.append("")
        if r["confused_with"]:
            lines += ["## Remaining confusions (ours, held-out)", ""]
            for intent, conf in sorted(r["confused_with"].items()):
                lines.append(f"- {intent}: {conf}")
            lines.append("")
    sweep_path = BENCH / "sweep.json"
    if sweep_path.exists():
        sweep = json.loads(sweep_path.read_text())
        lines += [
            "## Sweep (`bench/nlu/sweep.py`, our pipeline with DIET / n-gram overrides)",
            "",
            "Measured on the earlier `data/nlu.yml` (before the contrastive examples and",
            "the negation regexes, see NOTES below); one seed per row.",
            "",
            "| variant | DIET | char_wb n-grams | word n-grams | train s | acc | macro-F1 | min refund F1 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, v in sweep.items():
            diet = ", ".join(f"{k}={x}" for k, x in v["diet"].items())
            lines.append(
                f"| {name} | {diet} | {tuple(v['char_wb_ngram'])} | "
                f"{tuple(v.get('word_ngram', (1, 1)))} | {v['train_seconds']:.0f} | "
                f"{v['accuracy']:.3f} | {v['macro_f1']:.3f} | {v['min_refund_f1']:.3f} |")
        lines.append("")
    spread_path = BENCH / "spread.json"
    if spread_path.exists():
        spread = json.loads(spread_path.read_text())
        lines += [
            "## Spread over seeds (`bench/nlu/spread.py`, our pipeline, ours only)",
            "",
            "Same seed twice gives a bit-identical DIET model (same `weights md5`), so",
            "the spread below is what a different seed - i.e. any small change of data",
            "or config - does to the held-out numbers.",
            "",
            "| data / config | seed | macro-F1 | min refund-intent F1 | refund intents < 0.90 | twins simp / trad | train s | weights md5 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for label, block in spread.items():
            for run in block["runs"]:
                below = ", ".join(f"{k} {v:.3f}" for k, v in run["refund_below_0.90"].items()) or "-"
                lines.append(
                    f"| {label} | {run['seed']} | {run['macro_f1']:.3f} | "
                    f"{run['min_refund_f1']:.3f} ({run['min_refund_intent']}) | {below} | "
                    f"{run['twins_simplified']:.3f} / {run['twins_traditional']:.3f} | "
                    f"{run['train_seconds']:.0f} | `{run['weights_md5']}` |")
        lines.append("")
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8")]
    (BENCH / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
