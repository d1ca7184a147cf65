"""The one path a buyer's message takes in every channel (store_im.py, rest.py, socketio.py).

Each channel first reads its own request (signature, JSON, widget session),
makes the conversation id and puts the verified buyer in the metadata. Then:

1. ``too_long`` / ``over_limits`` (``refusal`` does both, in that order): a
   message over the channel's ``max_message_chars`` is not parsed (NLU time
   explodes with length); one over the limits per conversation and client
   (limits.py) is not parsed either. The buyer reads the polite text returned.
2. ``deliver``: a ``UserMessage`` goes through the hand-off gate
   (bot/handoff/gate.py) to Rasa. Any failure except the tracker store's
   (``TrackerStoreError``: each channel answers it its own way, 503 or the
   apology) is logged and counts as "the bot said nothing".
3. ``owed_reply``: unless a person has the conversation, a buyer who got
   nothing readable gets the apology (or the control reply after ``/restart``).
   The store IM's ReplyCollector (replies.py) applies the same rule itself.
"""
from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Protocol, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.channels.limits import RATE_LIMITED, MessageLimits
from bot.channels.replies import TOO_LONG, nothing_said_reply
from bot.handoff import gate
from bot.handoff.state import HandoffSettings
from bot.rasa_patches import TrackerStoreError

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class Channel(Protocol):
    """What the pipeline reads from an input channel (credentials.yml sets them)."""

    max_message_chars: int
    limits: Optional[MessageLimits]
    handoff: HandoffSettings

    @classmethod
    def name(cls) -> Text: ...


def too_long(channel: Channel, text: str) -> Optional[str]:
    """The polite "say it shorter" reply for a message over the channel's limit, else None."""
    if len(text) > channel.max_message_chars:
        return TOO_LONG.format(limit=channel.max_message_chars)
    return None


def over_limits(channel: Channel, conversation: str, client: Optional[str]) -> Optional[str]:
    """Counts the message; the "too fast" reply when the conversation or its client is over its limit."""
    limits = channel.limits
    if limits is not None and not limits.allow(conversation, client):
        return RATE_LIMITED
    return None


def refusal(channel: Channel, text: str, conversation: str, client: Optional[str]) -> Optional[str]:
    """What the buyer reads instead of an answer (too long, then too fast), or None to go on."""
    return too_long(channel, text) or over_limits(channel, conversation, client)


async def deliver(channel: Channel, agent: Any, on_new_message: OnNewMessage, text: str, output: OutputChannel,
                  conversation: str, metadata: Dict[str, Any]) -> gate.Outcome:
    """Hand the message to the bot through the hand-off gate; what the bot says goes to ``output``."""
    message = UserMessage(text, output, conversation, input_channel=channel.name(), metadata=metadata)
    try:
        return await gate.deliver(agent, message, channel.handoff, on_new_message)
    except TrackerStoreError:
        raise
    except CancelledError:  # as Rasa's own REST channel: the buyer still gets an answer
        logger.error("%s: handling a message in %s was cancelled", channel.name(), conversation)
    except Exception:  # the buyer still gets an answer (the apology)
        logger.exception("%s: handling a message in %s failed", channel.name(), conversation)
    return gate.Outcome(silent=False)


def owed_reply(outcome: gate.Outcome, said_something: bool, text: object) -> Optional[str]:
    """The apology (or control reply) a buyer is owed when the bot said nothing readable."""
    if outcome.silent or said_something:
        return None
    return nothing_said_reply(text)
