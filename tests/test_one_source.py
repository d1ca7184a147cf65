"""Ports and limits have one source each; the copies that cannot read it are checked here (issue #22).

Ports: defaults.env (make, scripts/env.sh, shared/project_defaults.py). Limits:
bot/channels/limits.py (and the hand-off timeout in bot/handoff/state.py);
credentials*.yml spell some out so a shop owner sees the knobs, and the docs
quote them.
"""
from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from bot.channels import limits
from bot.handoff.state import DEFAULT_TIMEOUT_MINUTES
from bot.rasa_patches import DEFAULT_ACTION_TIMEOUT_SECONDS
from shared.project_defaults import default_port, project_defaults
from tests.support.servers import REPO

PORTS = {name: default_port(name) for name in ("RASA", "ACTIONS", "WEB")}


def env_sh(tmp_path, **env: str) -> list:
    script = '. scripts/env.sh; echo "$RASA_PORT $ACTIONS_PORT $WEB_PORT $ACTION_ENDPOINT_URL"'
    result = subprocess.run(["bash", "-c", script], cwd=REPO, capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", "LOCAL_DIR": str(tmp_path / "local"), **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_scripts_take_their_ports_from_defaults_env_and_the_environment_wins(tmp_path):
    assert env_sh(tmp_path) == [str(PORTS["RASA"]), str(PORTS["ACTIONS"]), str(PORTS["WEB"]),
                                f"http://127.0.0.1:{PORTS['ACTIONS']}/webhook"]
    assert env_sh(tmp_path, RASA_PORT="6001", ACTIONS_PORT="6002")[:2] == ["6001", "6002"]


def test_no_script_writes_a_port_or_a_limit_of_its_own():
    values = [str(port) for port in PORTS.values()] + [str(limits.MAX_REQUEST_BYTES)]
    for script in sorted((REPO / "scripts").glob("*.sh")):
        found = [v for v in values if re.search(rf"\b{v}\b", script.read_text(encoding="utf-8"))]
        assert not found, f"{script.name} hard-codes {found}: read defaults.env / bot/channels/limits.py"


@pytest.mark.parametrize("path, pattern, port", [
    ("credentials.yml", r'- "https?://(?:127\.0\.0\.1|localhost):(\d+)"', "WEB"),  # the widget's origins
    ("endpoints.yml", r"default http://127\.0\.0\.1:(\d+)/webhook", "ACTIONS"),
    ("endpoints.production.yml", r"default http://127\.0\.0\.1:(\d+)/webhook", "ACTIONS"),
    ("web/server.py", r"--port (\d+)", "WEB"),
    ("web/server.py", r"--rasa http://127\.0\.0\.1:(\d+)", "RASA"),
    ("actions/server.py", r"--port (\d+)", "ACTIONS"),
])
def test_port_copies_in_configuration_and_docstrings_agree_with_defaults_env(path, pattern, port):
    found = re.findall(pattern, (REPO / path).read_text(encoding="utf-8"))
    assert found and set(found) == {str(PORTS[port])}, (path, found)


@pytest.mark.parametrize("credentials", ["credentials.yml", "credentials.production.yml"])
def test_the_limits_credentials_spell_out_are_the_code_defaults(credentials):
    channels = yaml.safe_load((REPO / credentials).read_text(encoding="utf-8"))
    code = {"max_body_bytes": limits.DEFAULT_MAX_BODY_BYTES, "max_clock_skew_seconds": limits.DEFAULT_MAX_CLOCK_SKEW,
            "dedup_ttl_seconds": limits.DEFAULT_DEDUP_TTL, "max_message_chars": limits.DEFAULT_MAX_MESSAGE_CHARS,
            "messages_per_minute_per_conversation": limits.DEFAULT_PER_CONVERSATION,
            "messages_per_minute_per_client": limits.DEFAULT_PER_CLIENT,
            "max_connections_per_client": limits.DEFAULT_CONNECTIONS_PER_CLIENT,
            "handoff_timeout_minutes": DEFAULT_TIMEOUT_MINUTES}
    spelled = [(name, key, value) for name, settings in channels.items() for key, value in (settings or {}).items()
               if key in code]
    assert spelled  # the store IM's are written out for the owner to see
    assert [(name, key, value) for name, key, value in spelled if value != code[key]] == []


def test_the_production_doc_quotes_the_code_defaults():
    text = (REPO / "docs" / "production.md").read_text(encoding="utf-8")
    assert f"| `SANIC_REQUEST_MAX_SIZE` | `{limits.MAX_REQUEST_BYTES}` |" in text
    assert f"| `RASA_ACTION_TIMEOUT_SECONDS` | `{DEFAULT_ACTION_TIMEOUT_SECONDS}` |" in text


def test_defaults_env_exports_the_environment_and_only_defaults_the_ports():
    exported = project_defaults(exported_only=True)
    assert "RASA_TELEMETRY_ENABLED" in exported and not any(name.endswith("_PORT") for name in exported)
