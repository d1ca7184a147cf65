"""Renders bench/nlu/RESULTS.md from the benchmark's results (benchmark.py).

Tables only from numbers (results.json, sweep.json, spread.json) plus
bench/nlu/NOTES.md appended verbatim; no held-out message text is written.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

from actions.rules.intents import REFUND_INTENTS as RULES_REFUND_INTENTS

BENCH = Path(__file__).resolve().parent

# the refund intents (actions/rules/intents.py, the one list) and 转人工
REFUND_INTENTS = [*RULES_REFUND_INTENTS, "request_human"]

LABEL = {
    "ours": "(a) ours: config.yml",
    "default_en": "(b) `rasa init` default, language en",
    "plain_jieba": "(c) Rasa JiebaTokenizer, no normaliser/dictionary",
}

FILE_TITLE = {
    "heldout": "own held-out (`bench/nlu/heldout.yml`, written with the training data)",
    "realstyle": "real-style held-out (`bench/nlu/realstyle.yml`, written by another "
                 "author to real buyers' styles; never trained on)",
    "fresh": "fresh buyers (`bench/nlu/fresh.yml`, written by a third author after the "
             "training data was final; scored once, never trained or tuned on)",
    "realdev": "real buyers (`../shared/eval/real_dev.yml`, 473 messages from JD/Taobao "
               "customer-service corpora; studied for error analysis, never trained on)",
}

# the curve of the whole pipeline on the real dev file: thresholds tried
CURVE_THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
CURVE_AMBIGUITY = (0.0, 0.05, 0.1, 0.15, 0.2)


def pipeline_shares(confidences: List[Dict[str, Any]], threshold: float = None,
                    ambiguity: float = None) -> Dict[str, float]:
    """What buyers meet: answered right, clarifying question (nlu_fallback),
    answered wrong. Without thresholds: from the real parse (`fallback`); with
    them: as if FallbackClassifier had that threshold / ambiguity_threshold."""
    def falls(c):
        if threshold is None:
            return c["fallback"]
        return c["confidence"] < threshold or c["gap"] < ambiguity
    n = max(len(confidences), 1)
    clarify = sum(1 for c in confidences if falls(c))
    right = sum(1 for c in confidences if c["correct"] and not falls(c))
    return {"right": right / n, "clarify": clarify / n, "wrong": (n - right - clarify) / n,
            "n": len(confidences)}


def threshold_table(confidences: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    rows = []
    correct = [c for c in confidences if c["correct"]]
    wrong = [c for c in confidences if not c["correct"]]
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for a in (0.0, 0.05, 0.1, 0.2):
            def falls(c, t=t, a=a):
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
    q = lambda p: values[min(len(values) - 1, int(p * len(values)))]  # noqa: E731
    return f"min {values[0]:.2f} / p10 {q(0.1):.2f} / median {q(0.5):.2f} / p90 {q(0.9):.2f}"


def _min_refund(per_intent: Dict[str, float]) -> float:
    return min(per_intent.get(i, 0.0) for i in REFUND_INTENTS)


def _summary(meta: Dict[str, Any], results: Dict[str, Any]) -> List[str]:
    tags = [t for t in FILE_TITLE if any(t in r.get("eval", {}) for r in results.values())]
    head = "| pipeline | " + " | ".join(
        f"{t} acc | {t} macro-F1 | {t} min refund F1" for t in tags)
    lines = [
        head + " | twins simp | twins trad | train s | parse ms median | p95 |",
        "|---|" + "---|" * (3 * len(tags) + 5),
    ]
    for name, r in results.items():
        cells = []
        for t in tags:
            e = r.get("eval", {}).get(t)
            cells += ([f"{e['accuracy']:.3f}", f"{e['macro_f1']:.3f}",
                       f"{_min_refund(e['per_intent_f1']):.3f}"] if e else ["-"] * 3)
        lines.append(
            f"| {LABEL.get(name, name)} | " + " | ".join(cells) +
            f" | {r['twins_simplified_acc']:.3f} | {r['twins_traditional_acc']:.3f} | "
            f"{r['train_seconds']:.0f} | {r['latency_ms_median']:.1f} | {r['latency_ms_p95']:.1f} |")
    return lines


def _per_intent(tag: str, results: Dict[str, Any]) -> List[str]:
    names = [n for n, r in results.items() if tag in r.get("eval", {})]
    if not names:
        return []
    intents = sorted({i for n in names for i in results[n]["eval"][tag]["per_intent_f1"]})
    lines = [f"## Per-intent F1: {FILE_TITLE[tag]}", "",
             "| intent | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for intent in intents:
        mark = " *" if intent in REFUND_INTENTS else ""
        lines.append(f"| {intent}{mark} | " + " | ".join(
            f"{results[n]['eval'][tag]['per_intent_f1'].get(intent, float('nan')):.3f}"
            for n in names) + " |")
    lines += ["", "`*` = refund-domain intent.", ""]
    return lines


def _fallback(results: Dict[str, Any]) -> List[str]:
    lines = [
        "## Wrong answers: clarifying question or confident mistake",
        "",
        "A wrong top intent below the pipeline's FallbackClassifier threshold (or",
        "within its ambiguity margin) becomes `nlu_fallback` -> the clarifying",
        "question with topic buttons (caught); above it the buyer gets a confident",
        "wrong answer. Counted from the real parse (`intent` = `nlu_fallback`).",
        "",
        "| pipeline | file | messages | wrong top intent | caught by fallback | confident wrong | correct sent to fallback |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        for tag, e in r.get("eval", {}).items():
            f = e.get("fallback")
            if f:
                lines.append(f"| {LABEL.get(name, name)} | {tag} | {f['n']} | {f['wrong']} | "
                             f"{f['wrong_caught']} | {f['wrong_confident']} | "
                             f"{f['correct_to_fallback']} |")
    return lines + [""]


def _whole_pipeline(results: Dict[str, Any]) -> List[str]:
    lines = [
        "## Whole pipeline: answered right / clarifying question / answered wrong",
        "",
        "Each message parsed by the trained model as the server does (FallbackClassifier",
        "and ContentGuard active): *right* = the buyer's intent, *clarifying* =",
        "`nlu_fallback` (the topic-button question), *wrong* = a confident answer to",
        "another question.",
        "",
        "| pipeline | file | messages | answered right | clarifying question | answered wrong |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        for tag, e in r.get("eval", {}).items():
            conf = e.get("confidences") or []
            if conf:
                s = pipeline_shares(conf)
                lines.append(f"| {LABEL.get(name, name)} | {tag} | {s['n']} | {s['right']:.1%} | "
                             f"{s['clarify']:.1%} | {s['wrong']:.1%} |")
    return lines + [""]


def _confusion_pairs(tag: str, results: Dict[str, Any], top: int = 15) -> List[str]:
    lines = []
    for name, r in results.items():
        conf = r.get("eval", {}).get(tag, {}).get("confidences") or []
        counts: Dict[tuple, int] = {}
        for c in conf:
            if not c["correct"]:
                key = (c["gold"], c["predicted"])
                counts[key] = counts.get(key, 0) + 1
        if not counts:
            continue
        lines += [f"## Confusion pairs: {LABEL.get(name, name)}, {tag} (top intent, counts only)",
                  "", "| buyer's intent | read as | messages |", "|---|---|---|"]
        for (gold, pred), k in sorted(counts.items(), key=lambda kv: -kv[1])[:top]:
            lines.append(f"| {gold} | {pred} | {k} |")
        lines += ["", f"{sum(counts.values())} wrong top intents in {len(counts)} pairs "
                  f"(top {top} shown).", ""]
    return lines


def _curve(r: Dict[str, Any], tag: str = "realdev") -> List[str]:
    conf = r.get("eval", {}).get(tag, {}).get("confidences") or []
    if not conf:
        return []
    import yaml

    config = yaml.safe_load(r.get("config", "")) or {}
    chosen: Dict[str, Any] = next((c for c in config.get("pipeline", []) if c.get("name") == "FallbackClassifier"), {})
    lines = [f"## Fallback curve (ours, {tag}): shares by FallbackClassifier threshold", "",
             "Simulated from each message's top-intent confidence and its gap to the",
             "runner-up (ContentGuard's symbol-only fallbacks are not in it). Chosen in",
             f"config.yml: threshold {chosen.get('threshold')}, ambiguity_threshold "
             f"{chosen.get('ambiguity_threshold')} (marked **).", "",
             "| threshold | ambiguity | right | clarifying | wrong |", "|---|---|---|---|---|"]
    for t in CURVE_THRESHOLDS:
        for a in CURVE_AMBIGUITY:
            s = pipeline_shares(conf, t, a)
            mark = "**" if (t, a) == (chosen.get("threshold"), chosen.get("ambiguity_threshold")) else ""
            lines.append(f"| {mark}{t}{mark} | {mark}{a}{mark} | {s['right']:.1%} | "
                         f"{s['clarify']:.1%} | {s['wrong']:.1%} |")
    return lines + [""]


def macro_f1(pairs: List[tuple]) -> float:
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / max(len(scores), 1)


def _overlap(results: Dict[str, Any]) -> List[str]:
    lines = [
        "## Held-out messages that equal a training line",
        "",
        "Written independently, a few short messages (greetings, 转人工 ...) can be",
        "word for word the same as a training line (after normalisation, ignoring",
        "spaces and punctuation). Scored again without them (macro-F1 over the",
        "agent's top intent, which is what `rasa test nlu` scores too):",
        "",
        "| pipeline | file | equal to a training line | macro-F1 all | macro-F1 without them |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        for tag, e in r.get("eval", {}).items():
            conf = e.get("confidences") or []
            if not conf or "gold" not in conf[0]:
                continue
            pairs = [(c["gold"], c["predicted"]) for c in conf]
            unseen = [(c["gold"], c["predicted"]) for c in conf if not c["in_training"]]
            lines.append(f"| {LABEL.get(name, name)} | {tag} | {len(pairs) - len(unseen)} | "
                         f"{macro_f1(pairs):.3f} | {macro_f1(unseen):.3f} |")
    return lines + [""]


def _entities(results: Dict[str, Any]) -> List[str]:
    lines = ["## Entities (own held-out, token-level, from `rasa test nlu`)", ""]
    for name, r in results.items():
        for extractor, rep in r.get("eval", {}).get("heldout", {}).get("entities", {}).items():
            lines += [f"**{LABEL.get(name, name)} - {extractor}**", "",
                      "| entity | precision | recall | F1 | support |", "|---|---|---|---|---|"]
            for ent, v in rep.items():
                lines.append(f"| {ent} | {v['precision']:.3f} | {v['recall']:.3f} | "
                             f"{v['f1']:.3f} | {v['support']} |")
            lines.append("")
    return lines


def _thresholds(r: Dict[str, Any]) -> List[str]:
    lines = []
    for tag, e in r.get("eval", {}).items():
        confidences = e.get("confidences") or []
        correct = [c["confidence"] for c in confidences if c["correct"]]
        wrong = [c["confidence"] for c in confidences if not c["correct"]]
        lines += [f"## Fallback threshold (ours): {tag} top-intent confidence", "",
                  f"- correct ({len(correct)}): {quantiles(correct)}",
                  f"- wrong ({len(wrong)}): {quantiles(wrong)}", "",
                  "| threshold | ambiguity | correct -> fallback | wrong caught |",
                  "|---|---|---|---|"]
        for row in threshold_table(confidences):
            lines.append(f"| {row['threshold']} | {row['ambiguity']} | "
                         f"{row['correct_to_fallback']:.3f} | {row['wrong_caught']:.3f} |")
        lines.append("")
        if e.get("confused_with"):
            lines += [f"## Remaining confusions (ours, {tag}; counts only)", ""]
            for intent, conf in sorted(e["confused_with"].items()):
                lines.append(f"- {intent}: {conf}")
            lines.append("")
    return lines


def _sweep() -> List[str]:
    path = BENCH / "sweep.json"
    if not path.exists():
        return []
    lines = ["## Sweep (`bench/nlu/sweep.py`, our pipeline with DIET / n-gram overrides)", "",
             "Measured on the earlier `data/nlu.yml` (round 1, own held-out only); one seed per row.",
             "", "| variant | DIET | char_wb n-grams | word n-grams | train s | acc | macro-F1 | min refund F1 |",
             "|---|---|---|---|---|---|---|---|"]
    for name, v in json.loads(path.read_text()).items():
        diet = ", ".join(f"{k}={x}" for k, x in v["diet"].items())
        lines.append(f"| {name} | {diet} | {tuple(v['char_wb_ngram'])} | "
                     f"{tuple(v.get('word_ngram', (1, 1)))} | {v['train_seconds']:.0f} | "
                     f"{v['accuracy']:.3f} | {v['macro_f1']:.3f} | {v['min_refund_f1']:.3f} |")
    return lines + [""]


def _spread() -> List[str]:
    path = BENCH / "spread.json"
    if not path.exists():
        return []
    lines = ["## Spread over seeds (`bench/nlu/spread.py`, our pipeline, own held-out)", "",
             "Same seed twice gives a bit-identical DIET model (same `weights md5`), so",
             "the spread below is what a different seed - i.e. any small change of data",
             "or config - does to the held-out numbers.", "",
             "Real-style columns: macro-F1, refund intents below 0.85 there, and wrong",
             "answers caught by the fallback / confident wrong (aggregates only).", "",
             "| data / config | seed | macro-F1 | min refund-intent F1 | refund intents < 0.90 | real-style macro-F1 "
             "| real-style refund < 0.85 | real-style wrong caught / confident | twins simp / trad | train s | weights md5 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, block in json.loads(path.read_text()).items():
        for run in block["runs"]:
            below = ", ".join(f"{k} {v:.3f}" for k, v in run["refund_below_0.90"].items()) or "-"
            real = run.get("realstyle")
            real_cells = (f"{real['macro_f1']:.3f} | " + (", ".join(
                f"{k} {v:.3f}" for k, v in real["refund_below_0.85"].items()) or "-") +
                f" | {real['fallback']['wrong_caught']} / {real['fallback']['wrong_confident']}"
            ) if real else "- | - | -"
            lines.append(
                f"| {label} | {run['seed']} | {run['macro_f1']:.3f} | "
                f"{run['min_refund_f1']:.3f} ({run['min_refund_intent']}) | {below} | {real_cells} | "
                f"{run['twins_simplified']:.3f} / {run['twins_traditional']:.3f} | "
                f"{run['train_seconds']:.0f} | `{run['weights_md5']}` |")
    return lines + [""]


def write_markdown(meta: Dict[str, Any], results: Dict[str, Any]) -> None:
    lines = [
        "# NLU benchmark results",
        "",
        "Generated by `make bench-nlu` (`bench/nlu/benchmark.py`, see the top of that",
        "file); do not edit the tables by hand - rerun the command. The notes at the",
        "end come from `bench/nlu/NOTES.md`.",
        "",
        f"Run {meta['date']} on {meta['cpus']} cores (load average at the end "
        f"{', '.join(f'{x:.1f}' for x in meta['loadavg_at_end'])}; other jobs on the "
        f"machine inflate training time). Own held-out: {meta['n_heldout']} messages, "
        f"real-style held-out: {meta.get('n_realstyle', 0)} messages, "
        f"fresh buyers: {meta.get('n_fresh', 0)} messages, "
        f"real buyers (dev): {meta.get('n_realdev', 0)} messages, "
        f"twins: {meta['n_twins']} pairs.",
        "",
    ]
    lines += _summary(meta, results) + [""]
    for tag in FILE_TITLE:
        lines += _per_intent(tag, results)
    lines += _whole_pipeline(results)
    lines += _confusion_pairs("realdev", results)
    if "ours" in results:
        lines += _curve(results["ours"])
    lines += _fallback(results)
    lines += _overlap(results)
    lines += _entities(results)
    if "ours" in results:
        lines += _thresholds(results["ours"])
    lines += _sweep() + _spread()
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8")]
    (BENCH / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
