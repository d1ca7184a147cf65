#!/usr/bin/env bash
# make train: train a model only when something it is built from is newer than
# the newest model. `rasa train` answers from its cache when nothing changed,
# but still packages another 30 MB archive into models/ on every call, so a
# shop owner's `make run` would fill the disk with identical models.
#   scripts/train.sh          train if needed
#   scripts/train.sh --check  exit 0 if the newest model is up to date, 1 if not
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# What the model is built from: the pipeline and its custom NLU components,
# the training data and the installed packages (a Rasa upgrade retrains).
# Only bot/nlu/ (and the Chinese-text helper it imports) is in the model: the
# server, channels and hand-off gate in the rest of bot/ are not.
INPUTS=(config.yml domain.yml constraints.txt data/nlu.yml data/rules.yml data/stories.yml data/jieba
        bot/nlu/*.py bot/nlu/*.jsonl shared/chinese_text.py)

up_to_date() {
  local newest
  newest="$(ls -t models/*.tar.gz 2>/dev/null | head -n 1)"
  [ -n "$newest" ] || return 1
  [ -z "$(find "${INPUTS[@]}" -newer "$newest" -print -quit 2>/dev/null)" ] || return 1
  echo "model up to date: $newest"
}

if [ "${1:-}" = "--check" ]; then
  up_to_date
  exit
fi
up_to_date && exit 0
# bot/rasa_cli.py: `rasa train` without the library notices and the "response not used"
# warnings for responses the action server says itself (nobody can act on those).
exec .venv/bin/python -m bot.rasa_cli train --quiet --num-threads 2
