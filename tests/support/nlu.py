"""A tiny NLU model's config and data for tests that train one (tests/nlu)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DICTIONARY = str(ROOT / "data" / "jieba")

# Our normaliser, tokenizer, entity ruler and RestoreOriginalText around a small
# DIET (no transformer, 30 epochs, ~20 s to train).
CONFIG = f"""
recipe: default.v1
language: zh
pipeline:
  - name: bot.nlu.normalise.TraditionalToSimplified
  - name: bot.nlu.tokenizer.JiebaTokenizer
    dictionary_path: {DICTIONARY}
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 3
  - name: DIETClassifier
    epochs: 30
    entity_recognition: false
    number_of_transformer_layers: 0
    random_seed: 1
  - name: bot.nlu.entities.SpacyEntityRuler
    dictionary_path: {DICTIONARY}
  - name: bot.nlu.normalise.RestoreOriginalText
policies: []
"""

NLU = """
version: "3.1"
nlu:
- intent: ask_refund_after_shipping
  examples: |
    - 已经发货了还能退款吗
    - 发货了还能退吗
    - 已发货的订单怎么退款
    - 快递在路上怎么退款
    - 卖家发货了我不想要了
- intent: ask_withdraw
  examples: |
    - 怎么提现
    - 提现多久到账
    - 余额怎么提到银行卡
    - 提现要几天
    - 我想把钱提现出来
- intent: greet
  examples: |
    - 你好
    - 在吗
    - 亲在不在
    - 哈喽
    - 有人吗
"""
