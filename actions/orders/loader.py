"""Load an import document into the database: all of it, or nothing."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from actions.orders.models import Buyer, FrozenFund, Order, Refund, create_tables
from actions.orders.validate import ImportRejected, parse_import


@dataclass
class LoadSummary:
    buyers: int = 0
    orders: int = 0
    refunds: int = 0
    frozen_funds: int = 0

    def __str__(self) -> str:
        return (
            f"loaded {self.buyers} buyers, {self.orders} orders, "
            f"{self.refunds} refunds, {self.frozen_funds} frozen funds"
        )


def read_document(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ImportRejected([f"{path}: the file is not UTF-8 text ({error.reason})"]) from error
    except json.JSONDecodeError as error:
        raise ImportRejected([f"{path}: not valid JSON at line {error.lineno} column {error.colno}: {error.msg}"]) from error


def _fields(record: Dict[str, Any], renames: Dict[str, str]) -> Dict[str, Any]:
    return {renames.get(k, k): v for k, v in record.items() if not k.startswith("_")}


def _upsert(session: Session, model, key_value, values: Dict[str, Any]) -> None:
    row = session.get(model, key_value)
    if row is None:
        session.add(model(**values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def load_document(document: Any, sessions: sessionmaker, replace_frozen_funds: bool = False) -> LoadSummary:
    """Validate and upsert in a single transaction; raise ImportRejected on any error.

    ``replace_frozen_funds``: the file's frozen funds replace those of the buyers it
    lists (the demo shop: its times move with "now", so its natural keys do too,
    and upserting would add a copy on every load).
    """
    with sessions() as session:
        create_tables(session.get_bind())
    with sessions() as session, session.begin():
        def known(model, column):
            def ask(ids: set) -> set:
                return set(session.scalars(select(column).where(column.in_(ids))))
            return ask

        parsed = parse_import(
            document,
            known_buyer_ids=known(Buyer, Buyer.buyer_id),
            known_order_ids=known(Order, Order.order_id),
        )
        amount = {"amount": "amount_fen"}
        for record in parsed["buyers"]:
            _upsert(session, Buyer, record["buyer_id"], _fields(record, {}))
        session.flush()
        for record in parsed["orders"]:
            _upsert(session, Order, record["order_id"], _fields(record, amount))
        session.flush()
        for record in parsed["refunds"]:
            _upsert(session, Refund, record["refund_id"], _fields(record, amount))
        if replace_frozen_funds:
            listed = {record["buyer_id"] for record in parsed["buyers"]}
            session.execute(delete(FrozenFund).where(FrozenFund.buyer_id.in_(listed)))
        for record in parsed["frozen_funds"]:
            existing = session.scalars(
                select(FrozenFund).where(
                    FrozenFund.buyer_id == record["buyer_id"],
                    FrozenFund.reason == record["reason"],
                    FrozenFund.frozen_at == record["frozen_at"],
                )
            ).first()
            values = _fields(record, amount)
            if existing is None:
                session.add(FrozenFund(**values))
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
        return LoadSummary(
            buyers=len(parsed["buyers"]),
            orders=len(parsed["orders"]),
            refunds=len(parsed["refunds"]),
            frozen_funds=len(parsed["frozen_funds"]),
        )


def load_file(path: Path, sessions: sessionmaker) -> LoadSummary:
    return load_document(read_document(path), sessions)
