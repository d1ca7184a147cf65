"""The demo shop's data, with times relative to the moment it is loaded.

data/demo/orders.json is in the import format, except that a time may be
written "now-1d2h" (days, hours, minutes before or after now); this keeps
the demo's deadlines live whenever a shop owner tries the bot. "now" is
BOT_NOW when set (shared/clock.py), so the demo can be staged on any date.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from actions.orders.db import REPO_ROOT
from shared.clock import bot_now

DEMO_FILE = REPO_ROOT / "data" / "demo" / "orders.json"
SHANGHAI = timezone(timedelta(hours=8))
RELATIVE_TIME = re.compile(r"^now(?:(?P<sign>[+-])(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?)?$")


def resolve_time(text: str, now: datetime) -> str:
    match = RELATIVE_TIME.match(text)
    if not match:
        return text
    delta = timedelta(
        days=int(match["d"] or 0), hours=int(match["h"] or 0), minutes=int(match["m"] or 0)
    )
    moment = now - delta if match["sign"] == "-" else now + delta
    return moment.astimezone(SHANGHAI).replace(second=0, microsecond=0).isoformat()


def _resolve(value: Any, now: datetime) -> Any:
    if isinstance(value, dict):
        return {k: _resolve(v, now) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_resolve(v, now) for v in value]
    if isinstance(value, str) and value.startswith("now"):
        return resolve_time(value, now)
    return value


def demo_document(now: datetime | None = None, path: Path = DEMO_FILE) -> dict:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return _resolve(document, now or bot_now())
