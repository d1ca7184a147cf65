"""What time it is for the bot: BOT_NOW when set, else the real clock.

BOT_NOW holds an ISO 8601 time with an offset ("2026-12-24T15:00:00+08:00").
The action server, the demo loader and the demo data take it as "now", so
staff can see what the bot will say next week and tests can cross a year
boundary. It is a fixed moment (it does not tick). Security checks (signed
widget tokens, the store IM's timestamp window) keep the real clock.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Mapping, Optional

BOT_NOW_ENV = "BOT_NOW"


class BadBotNow(ValueError):
    """BOT_NOW is set but is not an ISO 8601 time with an offset."""


def parse_bot_now(text: str) -> datetime:
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value)
    except ValueError:
        raise BadBotNow(f"{BOT_NOW_ENV}={text!r} is not an ISO 8601 time "
                        "(example: 2026-12-24T15:00:00+08:00)") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise BadBotNow(f"{BOT_NOW_ENV}={text!r} has no offset: write it as 2026-12-24T15:00:00+08:00")
    return moment


def bot_now(environ: Optional[Mapping[str, str]] = None) -> datetime:
    """BOT_NOW if set (BadBotNow if malformed), else the real time, always tz-aware."""
    env = os.environ if environ is None else environ
    text = env.get(BOT_NOW_ENV, "").strip()
    if not text:
        return datetime.now(timezone.utc)
    return parse_bot_now(text)
