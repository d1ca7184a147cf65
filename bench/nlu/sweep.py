"""Small hyper-parameter sweep behind the DIET / n-gram choices in config.yml.

    .venv/bin/python bench/nlu/sweep.py [variant ...]

Each variant = config.yml's NLU pipeline with some DIET / CountVectors
overrides; trains with `rasa train nlu` (empty cache), evaluates on held-out with
`rasa test nlu`, appends to bench/nlu/sweep.json (training time, macro-F1,
accuracy, min refund-intent F1).
"""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark as b  # noqa: E402

VARIANTS = {
    # DIET transformer layers / size, epochs; char_wb n-gram range
    "t2x256_e100": ({"number_of_transformer_layers": 2, "transformer_size": 256, "epochs": 100}, (1, 4)),
    "t1x128_e60": ({"number_of_transformer_layers": 1, "transformer_size": 128, "epochs": 60}, (1, 4)),
    "t0_e100": ({"number_of_transformer_layers": 0, "epochs": 100}, (1, 4)),
    "t0_e50": ({"number_of_transformer_layers": 0, "epochs": 50}, (1, 4)),
    "t0_e100_ng13": ({"number_of_transformer_layers": 0, "epochs": 100}, (1, 3)),
    "t0_e100_ng25": ({"number_of_transformer_layers": 0, "epochs": 100}, (2, 5)),
    "t1x128_e100": ({"number_of_transformer_layers": 1, "transformer_size": 128, "epochs": 100}, (1, 4)),
    "t1x128_e60_w12": ({"number_of_transformer_layers": 1, "transformer_size": 128, "epochs": 60}, (1, 4), (1, 2)),
    "t1x128_e60_ng13": ({"number_of_transformer_layers": 1, "transformer_size": 128, "epochs": 60}, (1, 3)),
    "t2x256_e60": ({"number_of_transformer_layers": 2, "transformer_size": 256, "epochs": 60}, (1, 4)),
    # same as the chosen config with other seeds: how much is run-to-run noise
    "t1x128_e60_seed1": ({"number_of_transformer_layers": 1, "transformer_size": 128, "epochs": 60, "random_seed": 1}, (1, 4)),
    "t1x128_e60_seed2": ({"number_of_transformer_layers": 1, "transformer_size": 128, "epochs": 60, "random_seed": 2}, (1, 4)),
}


def variant_config(diet: dict, ngram: tuple, word_ngram: tuple = (1, 1)) -> str:
    config = b.ours_nlu_only_config()
    config["policies"] = []
    pipeline = copy.deepcopy(config["pipeline"])
    for item in pipeline:
        if item["name"] == "DIETClassifier":
            item.update(diet)
        if item["name"] == "CountVectorsFeaturizer" and item.get("analyzer") == "char_wb":
            item["min_ngram"], item["max_ngram"] = ngram
        elif item["name"] == "CountVectorsFeaturizer":
            item["min_ngram"], item["max_ngram"] = word_ngram
    config["pipeline"] = pipeline
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def main() -> None:
    names = sys.argv[1:] or list(VARIANTS)
    out = b.BENCH / "sweep.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    b.WORK.mkdir(parents=True, exist_ok=True)
    for name in names:
        diet, ngram, *word = VARIANTS[name]
        word_ngram = word[0] if word else (1, 1)
        path = b.WORK / f"config_sweep_{name}.yml"
        path.write_text(variant_config(diet, ngram, word_ngram), encoding="utf-8")  # type: ignore[arg-type]
        r = b.train(f"sweep_{name}", path, b.ROOT / "data" / "nlu.yml")
        r.update(b.rasa_test(f"sweep_{name}", r["model"], b.BENCH / "heldout.yml"))
        refund = [r["per_intent_f1"].get(i, 0.0) for i in b.REFUND_INTENTS]
        results[name] = {
            "diet": diet, "char_wb_ngram": ngram, "word_ngram": word_ngram,
            "train_seconds": round(r["train_seconds"], 1),
            "accuracy": r["accuracy"], "macro_f1": r["macro_f1"],
            "min_refund_f1": min(refund),
        }
        print(name, results[name], flush=True)
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
