"""The names both servers and the staff tools rely on (shared/contract.py)
are the ones Rasa's domain declares, so a rename in one place cannot pass."""
from __future__ import annotations

from pathlib import Path

import yaml

from shared import contract

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))


def test_the_shared_slots_are_declared_in_the_domain():
    for slot in (contract.HANDOFF_SLOT, contract.FEEDBACK_SLOT):
        assert slot in DOMAIN["slots"], slot


def test_the_feedback_buttons_set_the_shared_slot_to_its_values():
    from actions.dialogue.replies import FEEDBACK_BUTTONS

    payloads = [button["payload"] for button in FEEDBACK_BUTTONS]
    assert payloads == [f'/thank{{"{contract.FEEDBACK_SLOT}": "{contract.FEEDBACK_VALUES[0]}"}}',
                        f'/deny{{"{contract.FEEDBACK_SLOT}": "{contract.FEEDBACK_VALUES[1]}"}}']
    assert contract.FEEDBACK_SLOT in DOMAIN["entities"]


def test_the_agent_and_the_owner_read_the_same_words_for_a_hand_off_reason():
    from staff.review.page import reason_label

    for reason, words in contract.HANDOFF_REASONS.items():
        assert reason_label(reason) == words
