"""The reference resolver: 第二个 / 招商银行那个 / 尾号7910 / 被拒绝的那个 / 那另一单呢."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.dialogue.choice import candidate_orders
from actions.dialogue.references import NO_MATCH, NO_REFERENCE, ONE, SEVERAL, resolve_frozen, resolve_order
from actions.rules.intents import REFUND_INTENTS, needs_order
from tests.support.demo_shop import DEMO_BUYERS, demo_buyers


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return demo_buyers(tmp_path_factory.mktemp("shop") / "orders.db")


def _items(resolution):
    return [o.item for o in resolution.orders]


@pytest.mark.parametrize("message, item", [
    ("招商银行那个", "加厚羽绒服 大码"), ("招商銀行那個", "加厚羽绒服 大码"), ("信用卡那笔", "加厚羽绒服 大码"),
    ("羽绒服那个", "加厚羽绒服 大码"), ("买的台灯", "户外折叠台灯"), ("第二个", "户外折叠台灯"),
    ("第二個", "户外折叠台灯"), ("第2个", "户外折叠台灯"), ("最后一个", "户外折叠台灯"), ("上面那个", "加厚羽绒服 大码"),
    ("尾号7912", "户外折叠台灯"), ("7910那个", "加厚羽绒服 大码"), ("尾號7910的", "加厚羽绒服 大码"),
    ("3286451901234567912", "户外折叠台灯"), ("599那个", "加厚羽绒服 大码"), ("最贵的那个", "加厚羽绒服 大码"),
    ("最便宜的", "户外折叠台灯"),
])
def test_a_reference_picks_one_of_the_orders_shown(shop, message, item):
    shown = candidate_orders("ask_refund_not_received", shop["tb_zhang_san"])
    r = resolve_order(message, shown)
    assert (r.kind, _items(r)) == (ONE, [item])
    assert r.pure


def test_state_references_among_refused_and_intervening_refunds(shop):
    shown = candidate_orders("ask_platform_intervention", shop["tb_zhao_lei"])
    assert _items(resolve_order("被拒绝的那个", shown)) == ["记忆棉枕头"]
    assert _items(resolve_order("小二介入的那个", shown)) == ["珊瑚绒毛毯"]
    assert resolve_order("退款成功的那个", shown).kind == NO_MATCH


def test_an_ambiguous_reference_keeps_only_the_matching_orders(shop):
    shown = shop["tb_zhao_lei"].orders
    r = resolve_order("已经发货的那个", shown)
    assert r.kind == SEVERAL and all(o.status == "shipped" for o in r.orders)
    assert [o.order_id for o in r.orders] == [o.order_id for o in shown if o.status == "shipped"]


def test_a_reference_that_fits_nothing_says_so(shop):
    shown = candidate_orders("ask_refund_not_received", shop["tb_zhang_san"])
    assert resolve_order("花呗那单", shown).kind == NO_MATCH
    assert resolve_order("第五个", shown).kind == NO_MATCH
    assert resolve_order("尾号1234", shown).kind == NO_MATCH


def test_the_other_one_moves_to_the_other_candidate_or_the_rest(shop):
    zs = shop["tb_zhang_san"]
    shown = candidate_orders("ask_refund_not_received", zs)
    r = resolve_order("那另一单呢", shown, focus_id=shown[0].order_id, others=zs.orders)
    assert _items(r) == [shown[1].item]
    lily = shop["tb_lily88"]
    one = candidate_orders("ask_refund_progress", lily)
    r = resolve_order("那另一单呢", one, focus_id=one[0].order_id, others=lily.orders)
    assert r.kind == SEVERAL and one[0] not in r.orders and len(r.orders) == 2


def test_questions_and_chit_chat_are_not_references(shop):
    shown = candidate_orders("ask_refund_not_received", shop["tb_zhang_san"])
    for message in ("要几天", "你是机器人吗", "第一次退款怎么还没到", "退款成功了钱怎么还没到", "谢谢"):
        assert resolve_order(message, shown).kind == NO_REFERENCE, message
    assert not resolve_order("羽绒服那个要几天到", shown).pure


def test_frozen_items_by_kind_and_amount(shop):
    funds = shop["tb_wang_fang"].frozen_funds
    assert [f.reason for f in resolve_frozen("红包那个什么时候解冻", funds)] == ["red_packet"]
    assert [f.reason for f in resolve_frozen("提现那個", funds)] == ["withdrawal_processing"]
    assert {f.reason for f in resolve_frozen("保证金", funds)} == {"auction_deposit", "consumer_protection_deposit"}
    assert resolve_frozen("我的钱为什么冻结了", funds) == ()


ORDINALS = ["第一个", "第二个", "第三个", "第四个", "第五个", "第1个", "第2个", "第3个", "第4个", "第5个",
            "第一個", "第二個", "第三個", "第四個", "第五個"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(buyer_id=st.sampled_from(DEMO_BUYERS), intent=st.sampled_from(REFUND_INTENTS), ordinal=st.sampled_from(ORDINALS))
def test_every_ordinal_within_range_is_the_order_shown_at_that_place(shop, buyer_id, intent, ordinal):
    buyer = shop.get(buyer_id)
    if buyer is None or not needs_order(intent):
        return
    shown = candidate_orders(intent, buyer) or list(buyer.orders)
    place = ORDINALS.index(ordinal) % 5
    r = resolve_order(ordinal, shown)
    if place < len(shown):
        assert r.kind == ONE and r.order is shown[place]
    else:
        assert r.kind == NO_MATCH


words = st.sampled_from(["第二个", "那个", "尾号", "7910", "599", "招商银行", "信用卡", "花呗", "被拒绝的", "退款成功的",
                         "羽绒服", "台灯", "枕头", "龙井", "另一单", "最贵的", "3286451901234567920", "呢", "的"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(buyer_id=st.sampled_from(DEMO_BUYERS), parts=st.lists(words, min_size=1, max_size=4),
       focus=st.sampled_from([None, "3286451901234567920", "3286451901234567910"]))
def test_a_reference_never_resolves_to_another_buyers_order(shop, buyer_id, parts, focus):
    buyer = shop.get(buyer_id)
    if buyer is None:
        return
    r = resolve_order("".join(parts), buyer.orders, focus_id=focus, others=buyer.orders)
    assert all(o.buyer_id == buyer_id for o in r.orders)


def test_several_words_together_single_out_one_item_and_colours_said_with_de(shop):
    from dataclasses import replace
    base = shop["tb_zhang_san"].orders[0]
    shirts = [replace(base, order_id=f"32864519000000000{i}", item=item)
              for i, item in enumerate(["纯棉T恤 黑色", "纯棉T恤 白色", "运动短裤"], 1)]
    assert _items(resolve_order("黑色T恤那件", shirts)) == ["纯棉T恤 黑色"]
    assert _items(resolve_order("白的那件", shirts)) == ["纯棉T恤 白色"]
    assert resolve_order("T恤那件", shirts).kind == SEVERAL
    assert resolve_order("羽绒服那个", shirts).kind == NO_MATCH
    assert resolve_order("就那个", shirts).kind == NO_REFERENCE
