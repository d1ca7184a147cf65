"""Offline checks for the advisories this stack is known to need (docs/security.md).

pip-audit needs PyPI's per-version JSON API, which these machines cannot
reach; these checks hold the lock file to the fixes we know of either way.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict:
    result = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            result[name.strip().lower().replace("_", "-")] = Version(version.strip())
    return result


def test_rasa_has_the_model_loading_fix():
    # CVE-2024-49375: remote code execution when loading a model, fixed in 3.6.21.
    assert pins()["rasa"] >= Version("3.6.21")


def test_sanic_has_the_static_file_traversal_fix():
    # CVE-2022-35920: fixed in 21.12.2 on the 21.12 line Rasa 3.6 allows.
    assert pins()["sanic"] >= Version("21.12.2")


def test_socketio_below_the_version_that_breaks_session_persistence():
    # rasa #13027: python-socketio 5.10 made enter_room a coroutine Rasa 3.6 does not await.
    assert pins()["python-socketio"] < Version("5.10")


def test_requirements_are_all_locked_to_the_same_versions():
    locked = pins()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" not in line:
            continue
        name, version = line.split("==", 1)
        name = name.split("[")[0].strip().lower().replace("_", "-")
        assert locked.get(name) == Version(version.strip()), name


def test_no_channel_allows_every_origin():
    for name in ("credentials.yml", "credentials.production.yml"):
        config = yaml.safe_load((ROOT / name).read_text()) or {}
        for channel, settings in config.items():
            origins = (settings or {}).get("cors_allowed_origins")
            assert origins != "*" and "*" not in (origins or []), (name, channel)
