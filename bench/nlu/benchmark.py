"""NLU benchmark: our pipeline vs Rasa's default vs plain jieba, on three held-out files.

One command (from the repo root; `make bench-nlu` runs it through run.sh):

    .venv/bin/python bench/nlu/benchmark.py            # all three pipelines
    .venv/bin/python bench/nlu/benchmark.py --only ours

For each pipeline it
  1. trains an NLU model with `rasa train nlu` on data/nlu.yml
     (fresh, empty cache dir so nothing is reused; wall-clock training time recorded),
  2. runs `rasa test nlu` on each held-out file: bench/nlu/heldout.yml (own,
     written with the training data) and bench/nlu/realstyle.yml (real buyers'
     styles, written by someone else) and bench/nlu/fresh.yml (fresh buyers,
     written by a third author once the training data was final) and
     ../shared/eval/real_dev.yml (473 real buyers' messages from JD/Taobao
     corpora, beside the repository, never copied into it; a missing file is
     skipped with a warning) -
     intent accuracy, macro-F1, per-intent F1, confusion counts, entity P/R,
  3. loads the model with rasa.core.agent.Agent and measures: the twins
     (bench/nlu/twins.yml) accuracy for simplified vs traditional, the
     top-intent confidence of correct vs wrong predictions on both files, how
     many wrong answers the pipeline's FallbackClassifier turns into the
     clarifying question (parse intent `nlu_fallback`) vs confident wrong
     answers, and parse latency (median/p95 over 300 parses, full NLU graph),
then writes bench/nlu/results.json and bench/nlu/RESULTS.md (bench/nlu/report.py).
Only aggregate numbers are stored: no message text of either file.
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
from typing import Any, Dict, List, Optional, Tuple

from actions.rules.intents import REFUND_INTENTS as RULES_REFUND_INTENTS

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "nlu"
RASA = str(ROOT / ".venv" / "bin" / "rasa")
WORK = Path(os.environ.get("BENCH_WORKDIR", "/tmp/nlu-bench"))
# real buyers' messages (issue #18): other people's text, kept beside the
# repository (../shared/eval), read from there and never copied into it
REAL_DEV = Path(os.environ.get("NLU_REAL_DEV", ROOT.parent / "shared" / "eval" / "real_dev.yml"))
HELDOUT_FILES = {"heldout": BENCH / "heldout.yml", "realstyle": BENCH / "realstyle.yml",
                 "fresh": BENCH / "fresh.yml", "realdev": REAL_DEV}

# the refund intents (actions/rules/intents.py, the one list) and 转人工
REFUND_INTENTS = [*RULES_REFUND_INTENTS, "request_human"]

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
        if name.startswith(("bot.nlu.normalise", "bot.nlu.entities", "bot.nlu.content_guard")):
            continue
        if name == "bot.nlu.tokenizer.JiebaTokenizer":
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
        # two threads, as `make train` (scripts/train.sh): TensorFlow's thread count changes
        # DIET's weights a little, so the benchmarked model is the one the bot serves
        [RASA, "train", "nlu", "-c", str(config_path), "--nlu", str(nlu),
         "--out", str(out), "--fixed-model-name", name, "--num-threads", "2"],
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


def top_intent(parse: Dict[str, Any]) -> Tuple[str, float, float]:
    """Top intent *before* the FallbackClassifier, its confidence and the gap
    to the runner-up (what ambiguity_threshold looks at)."""
    ranking = [r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    if not ranking:
        intent = parse.get("intent") or {}
        return intent.get("name"), intent.get("confidence") or 0.0, 1.0
    gap = ranking[0]["confidence"] - (ranking[1]["confidence"] if len(ranking) > 1 else 0)
    return ranking[0]["name"], ranking[0]["confidence"], gap


async def agent_measures(model: str, twins, heldouts: Dict[str, List[Dict[str, str]]],
                         n_latency: int = 300, seen: frozenset = frozenset()) -> Dict[str, Any]:
    """`seen`: overlap_keys() of the training data; a held-out message that
    equals a training line (short ones like a greeting can, independently
    written) is flagged so the report can also score the file without them."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    await agent.parse_message("你好")  # warm

    async def predict(text):
        parse = await agent.parse_message(text)
        name, conf, gap = top_intent(parse)
        fell_back = (parse.get("intent") or {}).get("name") == "nlu_fallback"
        return name, conf, gap, fell_back

    simp = trad = 0
    for twin in twins:
        simp += (await predict(twin["simplified"]))[0] == twin["intent"]
        trad += (await predict(twin["traditional"]))[0] == twin["intent"]

    per_file: Dict[str, Any] = {}
    for tag, examples in heldouts.items():
        confidences = []
        for ex in examples:
            name, conf, gap, fell_back = await predict(ex["text"])
            confidences.append({"gold": ex["intent"], "predicted": name,
                                "correct": name == ex["intent"], "confidence": round(conf, 4),
                                "gap": round(gap, 4), "fallback": fell_back,
                                "in_training": overlap_key(ex["text"]) in seen})
        per_file[tag] = {"confidences": confidences, "fallback": fallback_counts(confidences)}

    texts = [ex["text"] for ex in heldouts.get("heldout", [])] or ["你好"]
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
        "files": per_file,
    }


def overlap_key(text: str) -> str:
    """Normalised text without spaces/punctuation: equal keys = the same message."""
    import re

    from bot.nlu.normalise import normalise_text

    return re.sub(r"[\s,，。.!！?？~～]+", "", normalise_text(text or "") or "")


def overlap_keys(nlu: Path) -> frozenset:
    return frozenset(overlap_key(ex["text"]) for ex in load_heldout(nlu))


def fallback_counts(confidences: List[Dict[str, Any]]) -> Dict[str, int]:
    """What the buyer sees: a wrong top intent either becomes the clarifying
    question (FallbackClassifier fired: caught) or a confident wrong answer."""
    wrong = [c for c in confidences if not c["correct"]]
    correct = [c for c in confidences if c["correct"]]
    return {
        "n": len(confidences),
        "wrong": len(wrong),
        "wrong_caught": sum(c["fallback"] for c in wrong),
        "wrong_confident": sum(not c["fallback"] for c in wrong),
        "correct_to_fallback": sum(c["fallback"] for c in correct),
    }


def main() -> None:
    import yaml
    from report import write_markdown

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["ours", "default_en", "plain_jieba"], action="append")
    parser.add_argument("--nlu", default=str(ROOT / "data" / "nlu.yml"))
    parser.add_argument("--heldout", default=str(HELDOUT_FILES["heldout"]))
    parser.add_argument("--realstyle", default=str(HELDOUT_FILES["realstyle"]))
    parser.add_argument("--fresh", default=str(HELDOUT_FILES["fresh"]))
    parser.add_argument("--realdev", default=str(HELDOUT_FILES["realdev"]))
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
        # plain_jieba before default_en: default_en trains ~3x longer, so on a
        # busy machine the cheaper comparison is written first
        "plain_jieba": plain_jieba_config(yaml.safe_load(yaml.safe_dump(ours))),
        "default_en": DEFAULT_INIT_CONFIG,
    }
    names = args.only or list(configs)
    twins = load_twins(Path(args.twins))
    files = {"heldout": Path(args.heldout), "realstyle": Path(args.realstyle),
             "fresh": Path(args.fresh), "realdev": Path(args.realdev)}
    for tag, path in list(files.items()):
        if not path.exists():
            print(f"WARNING: {path} missing - not evaluated", flush=True)
            del files[tag]
    heldouts = {tag: load_heldout(path) for tag, path in files.items()}
    results: Dict[str, Any] = {}
    results_path = BENCH / "results.json"
    if results_path.exists() and args.only:
        saved = json.loads(results_path.read_text()).get("pipelines", {})
        # keep earlier pipelines only if they were scored on the same files
        results = {k: v for k, v in saved.items() if set(v.get("eval", {})) == set(files)}

    for name in names:
        config_path = WORK / f"config_{name}.yml"
        config_path.write_text(configs[name], encoding="utf-8")
        print(f"[{name}] training ...", flush=True)
        r = train(name, config_path, Path(args.nlu), reuse=args.reuse)
        print(f"[{name}] trained in {r['train_seconds']:.0f}s; rasa test nlu ...", flush=True)
        r["eval"] = {tag: rasa_test(f"{name}_{tag}", r["model"], path)
                     for tag, path in files.items()}
        for tag, scores in r["eval"].items():
            print(f"[{name}] {tag}: macro-F1 {scores['macro_f1']}", flush=True)
        measures = asyncio.run(agent_measures(r["model"], twins, heldouts,
                                              seen=overlap_keys(Path(args.nlu))))
        for tag, extra in measures.pop("files").items():
            r["eval"][tag].update(extra)
        r.update(measures)
        r["config"] = configs[name]
        results[name] = r
        # written after every pipeline: a run cut short still leaves a table
        meta = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "cpus": os.cpu_count(),
            "loadavg_at_end": os.getloadavg(),
            "n_heldout": len(heldouts.get("heldout", [])),
            "n_realstyle": len(heldouts.get("realstyle", [])),
            "n_fresh": len(heldouts.get("fresh", [])),
            "n_realdev": len(heldouts.get("realdev", [])),
            "n_twins": len(twins),
        }
        if not args.no_write:
            results_path.write_text(json.dumps({"meta": meta, "pipelines": results},
                                               ensure_ascii=False, indent=1))
            write_markdown(meta, results)

    for name, r in results.items():
        print(name, {tag: e["macro_f1"] for tag, e in r["eval"].items()},
              {k: r[k] for k in ("twins_simplified_acc", "twins_traditional_acc",
                                 "train_seconds", "latency_ms_median", "latency_ms_p95")})
        for tag, e in r["eval"].items():
            print(f"  {tag} fallback: {e['fallback']}")


if __name__ == "__main__":
    main()
