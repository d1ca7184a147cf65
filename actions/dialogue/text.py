"""Chinese wording of the dialogue around the answers (not the rules themselves)."""
from __future__ import annotations

from actions.rules.facts import OrderFacts
from shared.contract import HANDOFF_REPLY

# Button titles for the clarifying question after a low-confidence guess.
INTENT_TOPICS = {
    "ask_refund_after_shipping": "已发货后怎么退款",
    "ask_refund_before_shipping": "还没发货想退款",
    "ask_refund_after_success": "确认收货后还能退吗",
    "ask_refund_not_received": "退款成功了钱没到账",
    "ask_refund_progress": "查看退款进度",
    "ask_cancel_refund": "取消退款申请",
    "ask_frozen_balance": "余额被冻结",
    "ask_withdraw": "怎么提现",
    "ask_real_name_verification": "怎么实名认证",
    "ask_seven_day_return": "七天无理由退货",
    "ask_return_shipping_fee": "退货运费谁出",
    "ask_quality_issue": "商品有质量问题",
    "ask_platform_intervention": "申请客服介入",
    "ask_auto_confirm": "多久自动确认收货",
    "ask_trade_closed": "交易关闭了钱退了吗",
    "ask_logistics_problem": "快递丢件或破损",
    "request_human": "转人工客服",
}
# Offered when the message gave no usable guess at all (empty, emoji, garbled).
COMMON_TOPICS = (
    "ask_refund_progress",
    "ask_refund_not_received",
    "ask_refund_after_shipping",
    "ask_frozen_balance",
    "request_human",
)

CLARIFY = "亲，不好意思，我不太确定您想问的是哪一个，您是想了解下面哪个问题呢？"
NOT_UNDERSTOOD = "亲，您好，很抱歉没能看懂您的消息。您可以用一句话描述一下遇到的问题，或者点击下面的常见问题："
CHOOSE_ORDER = "亲，我看到您账号下有几笔相关的订单，请问您问的是哪一笔呢？点击下面的订单，或者告诉我是第几个、订单尾号都可以哦："
ORDER_NOT_FOUND = (
    "亲，非常抱歉，在您的账号下没有查到订单号 {order_id} 呢，麻烦您核对一下订单号是否正确哦。"
)
ANONYMOUS_ORDER = "亲，您还没有登录哦，我暂时看不到订单信息，登录店铺账号后我可以帮您查具体订单。"
ORDERS_UNAVAILABLE = "亲，非常抱歉，订单系统正在维护，暂时查不到您的订单详情，先给您说一下平台的规则："
HANDOFF = HANDOFF_REPLY
NO_FIT = "亲，不好意思，刚才列出的订单里没有找到您说的那一笔呢。"
NARROWED = "亲，符合您说的订单不止一笔哦。"
WHICH_ORDER_REMINDER = "亲，方便的话点一下上面的订单，或者告诉我是第几个、订单尾号都可以哦～"
GREET_WITH_TOPICS = "亲，您好！很高兴为您服务😊 我看了一下您的订单，您可能想问这些，点一下就可以，也可以直接告诉我您的问题哦："
ORDER_ID_PLEASE = "亲，麻烦您发一下订单号，我帮您查一下哦。"


def order_button_title(order: OrderFacts) -> str:
    return f"{order.item}（订单尾号{order.order_id[-4:]}，¥{order.amount}）"


def shorten(order_id: object, keep: int = 24) -> str:
    """An order number as it may be echoed: text only, never longer than a real one."""
    text = order_id if isinstance(order_id, str) else ""
    return text if len(text) <= keep else text[:keep] + "…"

# A follow-up whose answer would repeat the last one word for word (issue #9:
# 小二介入要多久 / 那我需要上传什么凭证 after the intervention answer).
SAME_AS_BEFORE = "亲，「{item}」这笔的情况和我刚才说的一样，暂时还没有新的变化哦。"
GENERAL_RULE = "这类问题的一般规则是这样的："
ASK_A_PERSON = "如果还有其他疑问，可以回复“转人工”，人工客服会帮您进一步处理，感谢您的耐心。"
SAME_RULE_AS_BEFORE = "亲，这个问题的规则和我刚才说的一样哦，您可以往上翻看一下。"
