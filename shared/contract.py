"""The names the Rasa server, the action server and the staff tools share.

Each process reads and writes these in the tracker store, the message
metadata and the replies' custom JSON; spelling one of them differently in
two places breaks the seam silently, so they are defined here once.
"""
from __future__ import annotations

import re

# A buyer id as a store's export, the IM and the demo page may carry it.
BUYER_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.\-@]{1,64}$")

# Message metadata: the buyer a channel verified (signed IM body, REST sender
# in the local profile). Channels overwrite any client value under this key.
VERIFIED_BUYER_KEY = "verified_buyer_id"

# Slots both servers and the review read (declared in domain.yml; a test checks).
HANDOFF_SLOT = "handoff_requested"  # True while a person has the conversation
FEEDBACK_SLOT = "feedback"  # the buyer's 👍 / 👎 on the last answer
FEEDBACK_VALUES = ("up", "down")

# Keys of a reply's custom JSON, as the channels send it and the review reads it.
CUSTOM_RULE_IDS = "rule_ids"  # the knowledge rules an answer stands on
CUSTOM_INTENT = "intent"  # the question the answer was for
CUSTOM_HANDOFF = "handoff"  # True when the reply hands the conversation to a person
CUSTOM_REASON = "reason"  # why (a key of HANDOFF_REASONS)
CUSTOM_SUMMARY = "summary"  # the agent's summary

# Why a conversation went to a person: the key travels in the reply, the
# Chinese is what the agent and the shop owner read.
REQUEST_HUMAN = "request_human"
HANDOFF_REASONS = {
    REQUEST_HUMAN: "买家要求转人工",
    "complain": "买家多次投诉",
    "fallback": "机器人连续两次没能理解买家的意思",
}

# What the buyer reads when a person takes over: the action server says it, and
# the Rasa server says it itself when the action server cannot (bot/handoff/fallback.py).
HANDOFF_REPLY = (
    "亲，非常抱歉没能帮您解决好，已经为您转接人工客服，请您稍等片刻，"
    "客服小姐姐看到后会第一时间回复您的，感谢您的耐心🙏"
)
