"""Two Rasa replicas, one conversation: the production configuration.

Two Rasa servers on different ports share one PostgreSQL tracker store and one
Redis lock store (as in endpoints.production.yml); each has its own action
server process (stateless) on one order database. One buyer's messages go to
the replicas alternately over the signed store IM channel; the tracker, read
from either replica, must hold every message in order with the bot's replies.
Then one replica restarts and the conversation goes on with nothing lost, and
a hand-off entered on one replica holds on the other until the hand-back.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from bot.channels.replies import APOLOGY
from tests.support.servers import STORE_IM_SECRET, RasaServer, running_bots
from tests.support.services import POSTGRES_ADMIN_URL, REDIS_URL, unavailable

BUYER = "tb_zhao_lei"  # several open refunds: the bot asks which order, with buttons


def signed_post(server: RasaServer, buyer: str, text_: str) -> dict:
    body = json.dumps({"buyer_id": buyer, "message_id": uuid.uuid4().hex, "text": text_,
                       "timestamp": int(time.time())}, ensure_ascii=False).encode("utf-8")
    signature = "sha256=" + hmac.new(STORE_IM_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = requests.post(f"{server.url}/webhooks/store_im/webhook", data=body, timeout=60,
                             headers={"Content-Type": "application/json", "X-Store-Signature": signature})
    assert response.status_code == 200, response.text
    return response.json()


def signed_handback(server: RasaServer, buyer: str) -> requests.Response:
    body = json.dumps({"type": "handback", "handback_id": f"h-{time.time()}", "buyer_id": buyer,
                       "timestamp": int(time.time())}).encode("utf-8")
    signature = "sha256=" + hmac.new(STORE_IM_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = requests.post(f"{server.url}/webhooks/store_im/handback", data=body, timeout=60,
                             headers={"Content-Type": "application/json", "X-Store-Signature": signature})
    assert response.status_code == 200, response.text
    return response


def reply_texts(result: dict) -> List[str]:
    return [r.get("text", "") for r in result["replies"] if r.get("text")]


def turns(tracker: dict) -> List[Tuple[str, List[str]]]:
    """(user text, [bot texts that followed]) for each user message, in order."""
    out: List[Tuple[str, List[str]]] = []
    for event in tracker["events"]:
        if event["event"] == "user":
            out.append((event.get("text"), []))
        elif event["event"] == "bot" and out and event.get("text"):
            out[-1][1].append(event["text"])
    return out


@pytest.fixture
def shared_stores():
    """A fresh PostgreSQL tracker database and a Redis key prefix for this run."""
    import redis

    name = f"rasa_tracker_test_{uuid.uuid4().hex[:10]}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as error:
        unavailable("Redis on 127.0.0.1:6379", error)
    try:
        admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT",
                              connect_args={"connect_timeout": 3})
        with admin.connect():
            pass
    except Exception as error:
        unavailable("PostgreSQL on 127.0.0.1:5432", error)
    yield name
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                           {"n": name})
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_one_conversation_across_two_replicas_and_a_restart(tmp_path: Path, shared_stores, postgres_url):
    from actions.orders.db import make_engine
    from actions.orders.demo import demo_document
    from actions.orders.loader import load_document

    engine = make_engine(postgres_url)
    load_document(demo_document(), sessionmaker(engine, future=True))
    engine.dispose()

    admin = POSTGRES_ADMIN_URL.split("://", 1)[1]
    user = admin.split("@", 1)[0].split(":", 1)[0] or "postgres"
    host_port = admin.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":") if ":" in host_port else (host_port, "5432")
    redis_host_port = REDIS_URL.split("://", 1)[1].split("/", 1)[0]
    redis_host, redis_port = redis_host_port.split(":") if ":" in redis_host_port else (redis_host_port, "6379")
    stores = (
        "  enable_selective_domain: true\n"  # continues action_endpoint, as in endpoints.production.yml
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n"
        f"  url: {host}\n  port: {port}\n  db: {shared_stores}\n  username: {user}\n  login_db: postgres\n"
        "lock_store:\n  type: redis\n"
        f"  url: {redis_host}\n  port: {redis_port}\n  db: 1\n  key_prefix: test_{shared_stores}\n"
    )
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("bot.channels.store_im.StoreIMInput:\n  max_body_bytes: 65536\n", encoding="utf-8")
    env = {"ORDERS_DB_URL": postgres_url, "TRUSTED_SENDER_CHANNELS": "store_im"}
    # two model loads on 2 busy cores
    with running_bots(tmp_path, 2, env, endpoints_extra=stores, credentials=credentials, timeout=300) as replicas:
        a, b = replicas

        said: List[Tuple[str, List[str]]] = []

        def say(server: RasaServer, message: str) -> Tuple[List[str], Dict[str, Any]]:
            result = signed_post(server, BUYER, message)
            replies = reply_texts(result)
            said.append((message, replies))
            return replies, result

        replies, _ = say(a, "你好")
        assert any("您好" in r or "亲" in r for r in replies), replies
        replies, result = say(b, "退款到哪一步了")
        buttons = [btn for r in result["replies"] for btn in r.get("buttons", [])]
        assert len(buttons) >= 2, result
        chosen = next(btn for btn in buttons if "四件套" in btn["title"])
        replies, _ = say(a, chosen["payload"])
        assert any("四件套" in r for r in replies), replies
        replies, _ = say(b, "谢谢")
        assert replies and APOLOGY not in replies, replies  # answered, not the apology

        for server in (a, b):
            assert turns(server.tracker(BUYER, channel="store_im"))[-len(said):] == said

        # Replica B goes away; A keeps serving the buyer; B comes back with no memory of its own.
        b.stop()
        replies, _ = say(a, "我的余额为什么被冻结了")
        assert any("冻结" in r for r in replies), replies
        b.start(timeout=180)
        replies, _ = say(b, "再见")
        assert replies and APOLOGY not in replies, replies

        # A hand-off is state in the shared tracker: entered on A, silent on B, handed back on B.
        _, result = say(a, "转人工")
        assert any((r.get("custom") or {}).get("handoff") for r in result["replies"]), result
        replies, result = say(b, "还在吗")
        assert replies == [] and result["handoff_active"] is True, result
        assert signed_handback(b, BUYER).json() == {"buyer_id": BUYER, "bot_active": True}
        replies, result = say(a, "退款到哪一步了")
        assert replies and APOLOGY not in replies and result["handoff_active"] is False, result

        for server in (a, b):
            history = turns(server.tracker(BUYER, channel="store_im"))
            assert [m for m, _ in history] == [m for m, _ in said], "a user message was lost or reordered"
            assert history == said, "the tracker's bot replies differ from what the buyer was sent"
