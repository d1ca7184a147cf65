"""Where a channel hands a buyer's message to the bot, honouring the hand-off state.

``deliver`` takes the conversation's lock (Rasa's lock store, as
``Agent.handle_message`` does) and then:

- bot active: Rasa handles the message as usual;
- handed off for longer than the channel's timeout: records that the bot takes
  the conversation back (state.py ``bot_takes_back("timeout")``), then handles it;
- handed off: only records the message (Rasa's ``MessageProcessor.log_message``:
  NLU and the UserUttered event, no actions, no reply) so the staff and the
  review see it, plus, on channels that have one, a notice at most once a
  minute (recorded as a BotUttered marked ``handoff_notice``).

``hand_back`` ends a hand-off on the store's signed request: once per
``handback_id`` (recorded in the event), and never one sent before the
current hand-off began (a captured hand-back replayed later, issue #23).
Without a loaded model (tests' channels-only server) the message goes to
``on_new_message`` unchanged.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

from bot.channels import limits
from bot.handoff import fallback
from bot.handoff.state import (
    HANDOFF_SLOT,
    HandoffSettings,
    bot_takes_back,
    handback_used,
    handed_off_since,
    notice_due,
    notice_event,
    timed_out,
)
from bot.rasa_patches import prefetched
from shared.contract import VERIFIED_BUYER_KEY

logger = logging.getLogger(__name__)
RESTARTS = ("/restart", "/session_start")


@dataclass(frozen=True)
class Outcome:
    silent: bool  # handed off: the bot did not answer
    notice: Optional[str] = None  # what the buyer was told instead (already sent)


def _ready(agent: Any) -> bool:
    return agent is not None and agent.is_ready() and agent.processor is not None


def _handed_off_since(tracker: Any) -> Optional[float]:
    # The slot is False unless a hand-off is on (a restart or a new session resets it):
    # only then is the session's event list scanned for when it began (issue #21).
    slot = tracker.slots.get(HANDOFF_SLOT)
    if slot is not None and not slot.value:
        return None
    return handed_off_since(tracker.events)


async def deliver(agent: Any, message: UserMessage, settings: HandoffSettings,
                  on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Outcome:
    if not _ready(agent):
        await on_new_message(message)
        return Outcome(silent=False)
    processor = agent.processor
    notice = None
    async with agent.lock_store.lock(message.sender_id):
        if (message.text or "").strip() in RESTARTS:
            # A restart (or a new session) ends a hand-off: Restarted/SessionStarted close it.
            await processor.handle_message(message)
            return Outcome(silent=False)
        tracker = await processor.get_tracker(message.sender_id)
        since = _handed_off_since(tracker)
        now = time.time()
        if since is not None and timed_out(since, now, settings):
            logger.info("hand-off of %s timed out: the bot takes the conversation back", message.sender_id)
            tracker.update(bot_takes_back("timeout"))
            await processor.save_tracker(tracker)
            since = None
        if since is None:
            if limits.session_full(tracker):  # a session cannot grow without bound (issue #23)
                logger.info("%s: the session is full, a new one starts", message.sender_id)
                limits.start_new_session(tracker)
            with prefetched(tracker):  # Rasa takes this tracker instead of reading it again
                await processor.handle_message(message)
            # 转人工 while the action server is down: handed off here (fallback.py)
            reply = fallback.hand_off_if_actions_failed(tracker, (message.metadata or {}).get(VERIFIED_BUYER_KEY))
            if reply is not None:
                logger.warning("%s: the hand-off action failed; handed off by the channel", message.sender_id)
                stored = await processor.get_tracker(message.sender_id)  # as saved (a second save
                for event in fallback.handoff_events(reply):  # of one tracker may repeat events)
                    stored.update(event)
                await processor.save_tracker(stored)
                await message.output_channel.send_response(message.sender_id, reply)
            return Outcome(silent=False)
        with prefetched(tracker):
            tracker = await processor.log_message(message, should_save_tracker=False)
        if settings.notice and notice_due(tracker.events, since, now, settings):
            notice = settings.notice
            tracker.update(notice_event(notice))
        await processor.save_tracker(tracker)
    if notice:
        await message.output_channel.send_text_message(message.sender_id, notice)
    return Outcome(silent=True, notice=notice)


ENDED, NOT_HANDED_OFF, ALREADY_USED, OLDER_THAN_HANDOFF = "ended", "not handed off", "used", "older"
# Store timestamps are whole seconds: one sent in the second a hand-off began is not "older".
HANDBACK_CLOCK_TOLERANCE_SECONDS = 2.0


async def hand_back(agent: Any, conversation_id: str, handback_id: Optional[str] = None,
                    sent_at: Optional[float] = None) -> str:
    """End the hand-off of a conversation: ENDED, NOT_HANDED_OFF, ALREADY_USED or OLDER_THAN_HANDOFF."""
    async with agent.lock_store.lock(conversation_id):
        tracker = await agent.tracker_store.retrieve(conversation_id)
        if tracker is None:
            return NOT_HANDED_OFF
        if handback_id and handback_used(tracker.events, handback_id):
            return ALREADY_USED
        since = handed_off_since(tracker.events)
        if since is None:
            return NOT_HANDED_OFF
        if sent_at is not None and sent_at < since - HANDBACK_CLOCK_TOLERANCE_SECONDS:
            return OLDER_THAN_HANDOFF
        tracker.update(bot_takes_back("handback", handback_id))
        await agent.tracker_store.save(tracker)
    logger.info("hand-back: the bot has %s again", conversation_id)
    return ENDED
