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
