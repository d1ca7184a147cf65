"""Trackers as the action server receives them, and what a dispatcher collected (no servers)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from shared.identity import VERIFIED_BUYER_KEY


def user_event(text: str, intent: str, entities: Optional[List[dict]] = None,
               channel: Optional[str] = "rest", metadata: Optional[dict] = None) -> Dict[str, Any]:
    parse = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [],
             "text": text, "metadata": metadata or {}}
    return {"event": "user", "text": text, "parse_data": parse, "input_channel": channel,
            "metadata": metadata or {}}


def make_tracker(sender: str, events: List[Dict[str, Any]], slots: Optional[dict] = None) -> Tracker:
    """A tracker as the action server receives it. For a rest / store_im message the
    channel has already put the buyer it verified in the metadata (bot/channels): here
    that buyer is ``sender``, as if the message came from that buyer. A `requested_slot`
    in `slots` means the order form is waiting."""
    for event in events:
        if event["event"] == "user" and event.get("input_channel") in ("rest", "store_im"):
            for metadata in (event["metadata"], event["parse_data"]["metadata"]):
                metadata.setdefault(VERIFIED_BUYER_KEY, sender)
    latest: Dict[str, Any] = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    loop = {"name": "order_id_form"} if (slots or {}).get("requested_slot") else {}
    return Tracker(sender, slots or {}, latest, events, False, None, loop, "action_listen")


def order_entity(order_id: str) -> dict:
    return {"entity": "order_id", "value": order_id, "start": 0, "end": len(order_id)}




def said(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def custom(dispatcher: CollectingDispatcher) -> List[dict]:
    return [m.get("custom") for m in dispatcher.messages if m.get("custom")]
