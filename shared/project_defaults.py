"""defaults.env read from Python: the project's environment and its local ports, one source.

make (``include defaults.env``) and scripts/env.sh read the same file. Its
lines are ``export NAME=value`` (set for every process) or ``NAME=value`` (a
default the scripts fall back to, such as ``DEFAULT_WEB_PORT``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict

DEFAULTS_FILE = Path(__file__).resolve().parents[1] / "defaults.env"


@lru_cache(maxsize=None)
def project_defaults(exported_only: bool = False) -> Dict[str, str]:
    """NAME -> value of defaults.env (only its ``export`` lines when ``exported_only``)."""
    values = {}
    for line in DEFAULTS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        exported = line.startswith("export ")
        if exported:
            line = line[len("export "):]
        if not line or line.startswith("#") or "=" not in line or (exported_only and not exported):
            continue
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip()
    return values


def default_port(name: str) -> int:
    """The local profile's port of ``RASA``, ``ACTIONS`` or ``WEB`` (``DEFAULT_<name>_PORT``)."""
    return int(project_defaults()[f"DEFAULT_{name}_PORT"])
