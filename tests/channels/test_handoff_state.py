"""Reading the hand-off state from events (bot/handoff/state.py), without servers."""
from __future__ import annotations

from rasa.shared.core.events import BotUttered, SessionStarted, SlotSet, UserUttered

from bot.handoff.state import (
    HandoffSettings,
    bot_takes_back,
    handed_off_since,
    notice_due,
    notice_event,
    timed_out,
)

NOTICE = HandoffSettings(notice="亲，人工客服正在为您处理，请稍等～")


def at(event, timestamp):
    event.timestamp = timestamp
    return event


def test_handed_off_from_the_slot_event_until_it_is_taken_back():
    handed = [at(UserUttered("转人工"), 99), at(SlotSet("handoff_requested", True), 100)]
    assert handed_off_since(handed) == 100
    assert handed_off_since(handed + [at(UserUttered("在吗"), 130)]) == 100
    assert handed_off_since(handed + [at(bot_takes_back("handback"), 140)]) is None
    assert handed_off_since(handed + [at(SessionStarted(), 150)]) is None
    assert handed_off_since([at(UserUttered("你好"), 1)]) is None


def test_timeout_from_credentials_in_minutes_with_fallback_to_thirty():
    assert HandoffSettings.from_credentials({"handoff_timeout_minutes": 0.5}, None).timeout_seconds == 30
    for bad in ("soon", -1, 0, None, float("inf")):
        assert HandoffSettings.from_credentials({"handoff_timeout_minutes": bad}, None).timeout_seconds == 1800
    assert HandoffSettings.from_credentials(None, None).timeout_seconds == 1800
    assert not timed_out(100, 100 + 1799, HandoffSettings())
    assert timed_out(100, 100 + 1800, HandoffSettings())


def test_notice_once_a_minute_per_hand_off_and_never_on_silent_channels():
    events = [at(SlotSet("handoff_requested", True), 100)]
    assert notice_due(events, 100, 101, NOTICE)
    assert not notice_due(events, 100, 101, HandoffSettings(notice=None))
    events.append(at(notice_event(NOTICE.notice), 101))
    assert not notice_due(events, 100, 160, NOTICE)
    assert notice_due(events, 100, 161, NOTICE)
    # A notice from an earlier hand-off does not count for this one.
    assert notice_due(events + [at(SlotSet("handoff_requested", True), 200)], 200, 201, NOTICE)


def test_taking_back_is_recorded_with_who_ended_it():
    event = bot_takes_back("timeout")
    assert event.key == "handoff_requested" and event.value is False
    assert event.as_dict()["metadata"] == {"handoff_ended_by": "timeout"}
    assert isinstance(notice_event("x"), BotUttered) and notice_event("x").metadata == {"handoff_notice": True}
