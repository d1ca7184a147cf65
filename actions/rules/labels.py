"""Every Chinese label for an enum value, in one place.

Answers never show raw enum names; they look them up here. The keys are
exactly the enums of facts.py / docs/orders.md (a test checks that
each enum value has a label).
"""
from __future__ import annotations

ORDER_STATUS = {
    "waiting_payment": "等待买家付款",
    "paid": "买家已付款，待发货",
    "shipped": "卖家已发货",
    "success": "交易成功",
    "closed": "交易关闭",
}

PAYMENT_METHOD = {
    "alipay_balance": "支付宝余额",
    "bank_card": "银行卡（网银/快捷支付）",
    "credit_card": "信用卡",
    "huabei": "花呗",
    "other": "其他方式",
}

LOGISTICS = {
    "express": "快递",
    "ems": "邮政特快专递",
    "post": "平邮",
    "none": "无需物流",
}

REFUND_KIND = {
    "refund_only": "仅退款（无需退货）",
    "return_and_refund": "退货退款",
}

REFUND_STATUS = {
    "waiting_seller": "待卖家处理",
    "waiting_buyer_return": "卖家已同意，待您退货",
    "waiting_seller_receipt": "您已退货，待卖家确认收货",
    "seller_refused": "卖家已拒绝",
    "intervening": "客服介入处理中",
    "succeeded": "退款成功",
    "closed": "退款关闭",
}

REFUND_DESTINATION = {
    "alipay_balance": "支付宝余额",
    "bank_card": "付款银行卡",
    "credit_card": "信用卡",
    "huabei": "花呗",
}

FROZEN_REASON = {
    "unverified_receipt": "未实名认证时收到的款项",
    "credit_card_refund": "信用卡付款的退款暂时冻结",
    "auction_deposit": "拍卖保证金",
    "consumer_protection_deposit": "消费者保障服务保证金",
    "red_packet": "创建的红包",
    "withdrawal_processing": "提现处理中",
}
