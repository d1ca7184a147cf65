"""Property: whatever order number a buyer types, they only ever get their own order.

choose_order / find_own_order (actions/dialogue/choice.py) decide which order a
question is about. Over random text, digit strings, other buyers' real order
numbers and those numbers wrapped in SQL or template injection, the chosen
order is always one of the asking buyer's, and another buyer's order number
gets exactly the answer a number that does not exist gets.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import sessionmaker

from actions.dialogue.choice import OrderChoice, choose_order, find_own_order
from actions.orders.db import make_engine
from actions.orders.demo import demo_document
from actions.orders.queries import buyer_facts
from actions.rules.intents import REFUND_INTENTS

DEMO = demo_document()
BUYER_IDS = sorted({b["buyer_id"] for b in DEMO["buyers"]})
ALL_ORDER_IDS = sorted({o["order_id"] for o in DEMO["orders"]})
INTENTS = sorted(REFUND_INTENTS)
INJECTIONS = ["' OR 1=1 --", "' OR '1'='1", "; DROP TABLE orders; --", "{{7*7}}", "${7*7}",
              "../../etc/passwd", "%", "_", "*", "\x00", " ", "\n"]


@pytest.fixture(scope="module")
def buyers(demo_db_url):
    engine = make_engine(demo_db_url)
    facts = {b: buyer_facts(sessionmaker(engine, future=True), b) for b in BUYER_IDS}
    engine.dispose()
    facts[None] = None  # anonymous visitor
    return facts


order_ids = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\d{1,25}", fullmatch=True),
    st.sampled_from(ALL_ORDER_IDS),
    st.builds(lambda oid, inj, before: inj + oid if before else oid + inj,
              st.sampled_from(ALL_ORDER_IDS), st.sampled_from(INJECTIONS), st.booleans()),
    st.builds(lambda oid: oid[:-1], st.sampled_from(ALL_ORDER_IDS)),  # prefix of a real id
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(buyer_id=st.sampled_from(BUYER_IDS + [None]), intent=st.sampled_from(INTENTS), mentioned=order_ids,
       remembered=st.one_of(st.none(), order_ids))
def test_only_the_buyers_own_order_is_ever_chosen(buyers, buyer_id, intent, mentioned, remembered):
    buyer = buyers[buyer_id]
    own = {o.order_id: o for o in (buyer.orders if buyer else ())}

    found = find_own_order(buyer, mentioned)
    assert found is None or (found.buyer_id == buyer_id and own.get(found.order_id) is found)
    assert (found is not None) == (mentioned in own)

    choice = choose_order(intent, buyer, mentioned, remembered)
    for order in ([choice.order] if choice.order else []) + list(choice.ask_between):
        assert order.buyer_id == buyer_id and own.get(order.order_id) is order
    if mentioned and mentioned not in own:
        # Someone else's order number looks exactly like one that does not exist.
        assert choice.order is None and not choice.ask_between


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(buyer_id=st.sampled_from(BUYER_IDS), intent=st.sampled_from(INTENTS),
       foreign=st.sampled_from(ALL_ORDER_IDS))
def test_another_buyers_order_gets_the_same_choice_as_a_missing_one(buyers, buyer_id, intent, foreign):
    buyer = buyers[buyer_id]
    if any(o.order_id == foreign for o in buyer.orders):
        return
    missing = "3286451900000000001"
    a, b = choose_order(intent, buyer, foreign), choose_order(intent, buyer, missing)
    assert a == b == OrderChoice()
