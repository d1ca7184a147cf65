from shared.identity import VERIFIED_BUYER_KEY, buyer_id_for, make_buyer_token, verify_buyer_token


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
    for junk in (None, 5, "", "a:b", "a:b:c:d", {"x": 1}, "a:" + "9" * 400 + ":c"):
        assert verify_buyer_token(junk, "k") is None


def test_channels(monkeypatch):
    verified = {VERIFIED_BUYER_KEY: "tb_a"}
    monkeypatch.delenv("TRUSTED_SENDER_CHANNELS", raising=False)
    assert buyer_id_for("rest:tb_a", "rest", verified) == "tb_a"
    assert buyer_id_for("store_im:tb_a", "store_im", verified) == "tb_a"
    # the widget channel verified the token, dropped it and set the key (a client's is removed)
    assert buyer_id_for("web:x", "socketio", verified) == "tb_a"
    # a conversation recorded with the token itself (before issue #23): verified here again
    assert buyer_id_for("web:x", "socketio", {"buyer_token": "tb_a:1:forged", **verified}) is None
    assert buyer_id_for("tb_a", "telegram", verified) is None
    monkeypatch.setenv("TRUSTED_SENDER_CHANNELS", "store_im")
    assert buyer_id_for("rest:tb_a", "rest", verified) is None
    assert buyer_id_for("store_im:tb_a", "store_im", verified) == "tb_a"


def test_the_conversation_id_text_is_never_the_buyer(monkeypatch):
    """Only what a channel verified counts: an id that looks like a buyer means nothing."""
    monkeypatch.delenv("TRUSTED_SENDER_CHANNELS", raising=False)
    monkeypatch.delenv("SHELL_BUYER_ID", raising=False)
    for channel in ("rest", "store_im", "cmdline", None, ""):
        assert buyer_id_for("tb_lily88", channel, {}) is None
        assert buyer_id_for("store_im:tb_lily88", channel, None) is None
    assert buyer_id_for("tb_lily88", None, {VERIFIED_BUYER_KEY: "tb_lily88"}) is None  # HTTP API
    monkeypatch.setenv("SHELL_BUYER_ID", "tb_zhao_lei")
    assert buyer_id_for("shell:tb_lily88", "cmdline", {}) == "tb_zhao_lei"
