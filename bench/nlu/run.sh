#!/usr/bin/env bash
# NLU benchmark: trains and evaluates (a) config.yml, (b) the `rasa init`
# default pipeline (language en), (c) plain JiebaTokenizer
# on the held-out files (bench/nlu/heldout.yml, realstyle.yml, fresh.yml) and
# the real buyers' dev file beside the repo (../shared/eval/real_dev.yml);
# writes bench/nlu/RESULTS.md and bench/nlu/results.json. ~15-40 min on 2
# cores depending on load.
# Extra arguments go to benchmark.py (e.g. --only ours).
set -euo pipefail
cd "$(dirname "$0")/../.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH="$PWD"
exec .venv/bin/python bench/nlu/benchmark.py "$@"
