from actions.identity import buyer_id_for, make_buyer_token, verify_buyer_token


def test_token_round_trip_and_expiry():
    token = make_buyer_token("tb_lily88", "k", ttl_seconds=60, now=1_000)
    assert verify_buyer_token(token, "k", now=1_030) == "tb_lily88"
    assert verify_buyer_token(token, "k", now=1_061) is None
    assert verify_buyer_token(token, "other", now=1_030) is None
    assert verify_buyer_token(token, None, now=1_030) is None


def test_tampered_tokens_are_refused():
    token = make_buyer_token("tb_lily88", "k", now=1_000)
    buyer, expires, signature = token.split(":")
    assert verify_buyer_token(f"tb_zhang_san:{expires}:{signature}", "k", now=1_000) is None
    assert verify_buyer_token(f"{buyer}:{int(expires) + 999}:{signature}", "k", now=1_000) is None
    for junk in (None, 5, "", "a:b", "a:b:c:d", {"x": 1}):
        assert verify_buyer_token(junk, "k") is None


def test_channels(monkeypatch):
    monkeypatch.delenv("TRUSTED_SENDER_CHANNELS", raising=False)
    assert buyer_id_for("tb_a", "rest", {}) == "tb_a"
    assert buyer_id_for("tb_a", "store_im", {}) == "tb_a"
    assert buyer_id_for("tb_a", "socketio", {}) is None
    assert buyer_id_for("tb_a", "telegram", {}) is None
    monkeypatch.setenv("TRUSTED_SENDER_CHANNELS", "store_im")
    assert buyer_id_for("tb_a", "rest", {}) is None
    assert buyer_id_for("tb_a", "store_im", {}) == "tb_a"
