"""What `make train` prints: no warnings a shop owner cannot act on (issue #22).

`rasa train` validates the data first, as `rasa data validate` does; both go
through bot/rasa_cli.py (scripts/train.sh, `make test`). The validation is
run here (a minute, not a training run) on the project's data with one extra
response nothing uses: that one is still reported, the responses the action
server says itself and the libraries' deprecation notices are not.
"""
from __future__ import annotations

import subprocess

import yaml

from bot.rasa_cli import responses_used_by_actions
from tests.support.servers import BIN, REPO, base_env

UNUSED = "utter_nobody_says_this"


def test_validation_reports_only_what_the_owner_can_fix(tmp_path):
    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    domain["responses"][UNUSED] = [{"text": "这句话没有人用。"}]
    changed = tmp_path / "domain.yml"
    changed.write_text(yaml.safe_dump(domain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = subprocess.run([str(BIN / "python"), "-m", "bot.rasa_cli", "data", "validate", "--quiet",
                             "--domain", str(changed), "--data", "data", "--config", "config.yml"],
                            cwd=REPO, env=base_env(), capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert f"The utterance '{UNUSED}' is not used in any story or rule" in output, output[-3000:]
    said_by_actions = [name for name in responses_used_by_actions() if f"'{name}'" in output]
    assert said_by_actions == [], output[-3000:]
    assert "DeprecationWarning" not in output, output[-3000:]


def test_the_responses_the_actions_say_are_found_in_their_code():
    # the four Rasa 3.6 warned about in `make train` before (no story or rule names them)
    assert {"utter_default", "utter_greet", "utter_still_waiting", "utter_complain_apology"} <= \
        responses_used_by_actions()
    assert UNUSED not in responses_used_by_actions()
