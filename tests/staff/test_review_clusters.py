"""Grouping what the bot could not answer: paraphrases together, other questions apart.

Also the small pure pieces: masking buyer ids, where the tracker store is.
"""
from __future__ import annotations

from staff.review.clusters import cluster
from staff.review.source import REPO_ROOT as REPO
from staff.review.source import tracker_db_url
from staff.review.summary import mask_buyer

INVOICE = ["发票怎么开", "能给我开张发票吗", "我要开发票", "開發票怎麼弄", "发票"]  # one question, traditional too
WEEKEND = ["你们周末发货吗", "周末能发货不", "周六周日发不发货"]
SIZE = ["衣服尺码偏大还是偏小", "尺码偏小吗"]


def grouped(texts):
    return [sorted(texts[i] for i in group.members) for group in cluster(texts)]


def test_paraphrases_of_one_question_are_one_group_apart_from_others():
    texts = WEEKEND[:1] + INVOICE[:2] + SIZE + WEEKEND[1:] + INVOICE[2:]
    groups = grouped(texts)
    assert groups[0] == sorted(INVOICE)  # largest first
    assert groups[1] == sorted(WEEKEND)
    assert groups[2] == sorted(SIZE)
    assert len(groups) == 3


def test_a_different_question_with_one_shared_word_stays_apart():
    texts = INVOICE + ["退款什么时候到账", "钱什么时候退回来"]
    groups = grouped(texts)
    assert sorted(INVOICE) in groups
    assert all(not (set(g) & set(INVOICE) and set(g) - set(INVOICE)) for g in groups)


def test_group_members_start_with_the_most_typical():
    texts = ["我要开发票", "怎么开发票", "发票怎么开", "发票怎么开呢"]
    group = cluster(texts)[0]
    assert group.size == 4
    assert texts[group.members[0]] in ("发票怎么开", "发票怎么开呢")  # the wording most others share
    assert texts[group.members[-1]] == "我要开发票"


def test_nothing_one_and_emoji_only():
    assert cluster([]) == []
    assert [g.members for g in cluster(["发票怎么开"])] == [[0]]
    assert sum(g.size for g in cluster(["😂😂", "？？？", "发票怎么开"])) == 3


def test_buyer_ids_are_masked_like_the_brief_says():
    assert mask_buyer("tb_lily88") == "tb_li***88"
    assert mask_buyer("store_im:tb_zhang_san") == "store_im:tb_zh***an"
    assert mask_buyer("abc12") == "ab***2"
    assert mask_buyer("ab") == "***"
    assert "tb_zhang_san" not in mask_buyer("tb_zhang_san")


def test_the_review_reads_the_store_make_run_writes():
    assert tracker_db_url({"TRACKER_DB_URL": "sqlite:////data/t.db"}) == "sqlite:////data/t.db"
    assert tracker_db_url({"ORDERS_DB_URL": "sqlite:////srv/shop/orders.db"}) == "sqlite:////srv/shop/conversations.db"
    assert tracker_db_url({}) == f"sqlite:///{REPO}/.local/conversations.db"
    assert tracker_db_url({"ORDERS_DB_URL": "sqlite:///shop/orders.db"}) == f"sqlite:///{REPO}/shop/conversations.db"
    assert tracker_db_url({"LOCAL_DIR": "/var/bot"}) == "sqlite:////var/bot/conversations.db"
    assert tracker_db_url({"ORDERS_DB_URL": "postgresql+psycopg2://bot@db/shop"}).endswith("/.local/conversations.db")
    production = tracker_db_url({"PROFILE": "production", "RASA_TRACKER_DB_HOST": "db.internal",
                                 "RASA_TRACKER_DB_USER": "rasa", "RASA_TRACKER_DB_PASSWORD": "s3cret"})
    assert production == "postgresql+psycopg2://rasa:s3cret@db.internal:5432/rasa_tracker"


def test_repeated_texts_count_in_their_group_and_emoji_only_messages_group_together():
    texts = ["转人工", "😂😂", "发票怎么开", "转人工", "？？？", "转人工", "我要开发票"]
    groups = grouped(texts)
    assert groups[0] == ["转人工"] * 3
    assert sorted(map(sorted, groups[1:])) == [["发票怎么开", "我要开发票"], ["？？？", "😂😂"]]
    assert grouped(["😂", "？？"]) == [["？？", "😂"]]  # no words at all: still no crash


def test_texts_beyond_the_limit_join_the_nearest_group_or_stand_alone():
    texts = INVOICE + WEEKEND + ["衣服尺码偏大还是偏小"]
    full = grouped(texts)
    limited = [sorted(texts[i] for i in g.members) for g in cluster(texts, limit=4)]
    assert sorted(INVOICE) in limited and sorted(WEEKEND) in limited
    assert ["衣服尺码偏大还是偏小"] in limited
    assert sorted(map(sorted, limited)) == sorted(map(sorted, full))
