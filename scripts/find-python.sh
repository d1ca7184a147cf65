#!/usr/bin/env bash
# Print the first Python 3.8-3.10 found (Rasa 3.6 runs on nothing newer),
# or, with --check PATH, say whether PATH is one.
ok() { "$1" -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' 2>/dev/null; }
if [ "${1:-}" = "--check" ]; then
  ok "$2" && exit 0
  echo "$2 is not Python 3.8-3.10 (Rasa 3.6 needs one): run 'make PYTHON=/path/to/python3.10 ...'" >&2
  exit 1
fi
candidates=(python3.10 python3.9 python3.8)
for root in "${PYENV_ROOT:-$HOME/.pyenv}/versions"/3.10* "${PYENV_ROOT:-$HOME/.pyenv}/versions"/3.9* "${PYENV_ROOT:-$HOME/.pyenv}/versions"/3.8*; do
  [ -x "$root/bin/python3" ] && candidates+=("$root/bin/python3")
done
for candidate in "${candidates[@]}"; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
exit 0
