"""The demo shop as BuyerFacts, loaded through the real importer into SQLite."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Dict, Optional

from sqlalchemy.orm import Session, sessionmaker

from actions.orders.db import make_engine
from actions.orders.demo import demo_document
from actions.orders.loader import load_document
from actions.orders.models import create_tables
from actions.orders.queries import buyer_facts
from actions.rules.facts import BuyerFacts

DEMO_BUYERS = ("tb_lily88", "tb_chen_wei", "tb_zhang_san", "tb_wang_fang", "tb_zhao_lei", "tb_new_buyer")


def demo_buyers(db_path: Path, now: Optional[datetime] = None) -> Dict[str, BuyerFacts]:
    """Every demo buyer's facts, as the actions would read them."""
    engine = make_engine(f"sqlite:///{db_path}")
    create_tables(engine)
    sessions = sessionmaker(engine, future=True, class_=Session)
    load_document(demo_document(now), sessions)
    buyers = {b: buyer_facts(sessions, b) for b in DEMO_BUYERS}
    engine.dispose()
    return {k: v for k, v in buyers.items() if v is not None}
