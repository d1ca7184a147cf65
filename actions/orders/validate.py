"""Validation of the JSON import format (docs/orders.md).

Every problem is reported with the record it is in and the field it is
about, so a shop can fix its export; one bad record rejects the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Dict, List, Optional

from actions.rules.facts import (
    FROZEN_REASONS,
    LOGISTICS,
    ORDER_STATUSES,
    PAYMENT_METHODS,
    REFUND_DESTINATIONS,
    REFUND_KINDS,
    REFUND_STATUSES,
)
from shared.contract import BUYER_ID_PATTERN

AMOUNT_PATTERN = re.compile(r"^\d{1,10}\.\d{2}$")
ORDER_ID_PATTERN = re.compile(r"^\d{15,20}$")
SECTIONS = ("buyers", "orders", "refunds", "frozen_funds")


class ImportRejected(Exception):
    """The file was rejected whole; `errors` names each record and field."""

    def __init__(self, errors: List[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Field:
    name: str
    parse: Callable[[Any], Any]
    required: bool = True  # must be present and not null


def _string(pattern: Optional[re.Pattern] = None, max_len: int = 500):
    def parse(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("must be a non-empty string")
        if len(value) > max_len:
            raise ValueError(f"must be at most {max_len} characters")
        if pattern is not None and not pattern.match(value):
            raise ValueError(f"has an invalid format: {value!r}")
        return value

    return parse


def _enum(allowed: tuple):
    def parse(value: Any) -> str:
        if value not in allowed:
            raise ValueError(
                f"unknown value {value!r} (expected one of: {', '.join(allowed)})"
            )
        return value

    return parse


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _amount_fen(value: Any) -> int:
    """Yuan as a string with two decimals -> integer fen."""
    if isinstance(value, str) and value.startswith("-"):
        raise ValueError(f"must not be negative: {value!r}")
    if not isinstance(value, str) or not AMOUNT_PATTERN.match(value):
        raise ValueError(
            f"must be yuan as a string with two decimals like \"129.00\", got {value!r}"
        )
    try:
        return int(Decimal(value) * 100)
    except InvalidOperation as error:  # pragma: no cover - the regex rules this out
        raise ValueError(f"is not a number: {value!r}") from error


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 time string with an offset")
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"is not an ISO 8601 time: {value!r}") from error
    if parsed.tzinfo is None:
        raise ValueError(f"needs a UTC offset such as +08:00: {value!r}")
    return parsed


BUYER_FIELDS = [
    Field("buyer_id", _string(BUYER_ID_PATTERN, 64)),
    Field("real_name_verified", _boolean),
]
ORDER_FIELDS = [
    Field("order_id", _string(ORDER_ID_PATTERN, 20)),
    Field("buyer_id", _string(BUYER_ID_PATTERN, 64)),
    Field("shop", _string(max_len=200)),
    Field("item", _string(max_len=500)),
    Field("amount", _amount_fen),
    Field("status", _enum(ORDER_STATUSES)),
    Field("payment_method", _enum(PAYMENT_METHODS)),
    Field("card_bank", _string(max_len=64), required=False),
    Field("logistics", _enum(LOGISTICS)),
    Field("free_shipping", _boolean),
    Field("seven_day_return", _boolean),
    Field("fast_refund", _boolean),
    Field("paid_at", _time, required=False),
    Field("shipped_at", _time, required=False),
    Field("signed_at", _time, required=False),
    Field("success_at", _time, required=False),
    Field("closed_at", _time, required=False),
]
REFUND_FIELDS = [
    Field("refund_id", _string(BUYER_ID_PATTERN, 64)),  # same shape as buyer ids
    Field("order_id", _string(ORDER_ID_PATTERN, 20)),
    Field("kind", _enum(REFUND_KINDS)),
    Field("status", _enum(REFUND_STATUSES)),
    Field("amount", _amount_fen),
    Field("reason", _string(max_len=200), required=False),
    Field("requested_at", _time),
    Field("seller_agreed_at", _time, required=False),
    Field("return_tracking_no", _string(max_len=64), required=False),
    Field("return_shipped_at", _time, required=False),
    Field("succeeded_at", _time, required=False),
    Field("closed_at", _time, required=False),
    Field("destination", _enum(REFUND_DESTINATIONS)),
]
FROZEN_FIELDS = [
    Field("buyer_id", _string(BUYER_ID_PATTERN, 64)),
    Field("amount", _amount_fen),
    Field("reason", _enum(FROZEN_REASONS)),
    Field("frozen_at", _time),
    Field("card_bank", _string(max_len=64), required=False),
]

# Times an order or refund in a given status cannot be without.
ORDER_STATUS_NEEDS = {
    "paid": ["paid_at"],
    "shipped": ["paid_at", "shipped_at"],
    "success": ["paid_at", "success_at"],
    "closed": ["closed_at"],
}
REFUND_STATUS_NEEDS = {
    "waiting_seller_receipt": ["seller_agreed_at"],
    "waiting_buyer_return": ["seller_agreed_at"],
    "succeeded": ["succeeded_at"],
    "closed": ["closed_at"],
}


def _label(section: str, index: int, record: Any, key: str) -> str:
    ident = record.get(key) if isinstance(record, dict) else None
    where = f"{section}[{index}]"
    return f"{where} ({key}={ident})" if isinstance(ident, (str, int)) else where


def _parse_record(section, index, record, fields, key, errors) -> Optional[Dict[str, Any]]:
    label = _label(section, index, record, key)
    if not isinstance(record, dict):
        errors.append(f"{label}: must be a JSON object")
        return None
    parsed: Dict[str, Any] = {}
    ok = True
    for field in fields:
        value = record.get(field.name)
        if value is None:
            if field.required:
                errors.append(f"{label}: field '{field.name}' is required")
                ok = False
            parsed[field.name] = None
            continue
        try:
            parsed[field.name] = field.parse(value)
        except ValueError as problem:
            errors.append(f"{label}: field '{field.name}' {problem}")
            ok = False
    return parsed if ok else None


def _check_needs(section, index, record, parsed, needs, key, errors) -> None:
    for field_name in needs.get(parsed["status"], []):
        if parsed.get(field_name) is None:
            errors.append(
                f"{_label(section, index, record, key)}: field '{field_name}' "
                f"is required when status is {parsed['status']}"
            )


def parse_import(
    document: Any,
    known_buyer_ids: Callable[[set], set],
    known_order_ids: Callable[[set], set],
) -> Dict[str, List[Dict[str, Any]]]:
    """Check a whole import document; return parsed records or raise ImportRejected.

    `known_*_ids` answer which of the given ids already exist in the database,
    so a file may refer to buyers and orders loaded earlier.
    """
    errors: List[str] = []
    if not isinstance(document, dict):
        raise ImportRejected(["the file must be a JSON object with buyers/orders/refunds/frozen_funds"])
    for section in SECTIONS:
        if section in document and not isinstance(document[section], list):
            errors.append(f"{section}: must be a list")
    if errors:
        raise ImportRejected(errors)

    specs = {
        "buyers": (BUYER_FIELDS, "buyer_id"),
        "orders": (ORDER_FIELDS, "order_id"),
        "refunds": (REFUND_FIELDS, "refund_id"),
        "frozen_funds": (FROZEN_FIELDS, "buyer_id"),
    }
    parsed: Dict[str, List[Dict[str, Any]]] = {}
    for section, (fields, key) in specs.items():
        parsed[section] = []
        seen = set()
        for index, record in enumerate(document.get(section, [])):
            result = _parse_record(section, index, record, fields, key, errors)
            if result is None:
                continue
            if section == "orders":
                _check_needs(section, index, record, result, ORDER_STATUS_NEEDS, key, errors)
            if section == "refunds":
                _check_needs(section, index, record, result, REFUND_STATUS_NEEDS, key, errors)
            identity = (
                (result["buyer_id"], result["reason"], result["frozen_at"])
                if section == "frozen_funds"
                else result[key]
            )
            if identity in seen:
                errors.append(f"{_label(section, index, record, key)}: field '{key}' is a duplicate in this file")
            seen.add(identity)
            result["_label"] = _label(section, index, record, key)
            parsed[section].append(result)

    _check_references(parsed, known_buyer_ids, known_order_ids, errors)
    if errors:
        raise ImportRejected(errors)
    return parsed


def _check_references(parsed, known_buyer_ids, known_order_ids, errors) -> None:
    file_buyers = {b["buyer_id"] for b in parsed["buyers"]}
    wanted_buyers = {
        r["buyer_id"] for section in ("orders", "frozen_funds") for r in parsed[section]
    } - file_buyers
    buyers = file_buyers | (known_buyer_ids(wanted_buyers) if wanted_buyers else set())
    for section in ("orders", "frozen_funds"):
        for record in parsed[section]:
            if record["buyer_id"] not in buyers:
                errors.append(
                    f"{record['_label']}: field 'buyer_id' refers to unknown buyer {record['buyer_id']!r}"
                )

    file_orders = {o["order_id"]: o for o in parsed["orders"]}
    wanted_orders = {r["order_id"] for r in parsed["refunds"]} - set(file_orders)
    orders = set(file_orders) | (known_order_ids(wanted_orders) if wanted_orders else set())
    for refund in parsed["refunds"]:
        if refund["order_id"] not in orders:
            errors.append(
                f"{refund['_label']}: field 'order_id' refers to unknown order {refund['order_id']!r}"
            )
        order = file_orders.get(refund["order_id"])
        if order is not None and refund["amount"] > order["amount"]:
            errors.append(
                f"{refund['_label']}: field 'amount' is more than the order's amount"
            )
