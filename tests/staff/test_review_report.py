"""`make review` over a tracker store written by Rasa's SQLTrackerStore with real Rasa events.

The numbers an owner reads (conversations, messages, resolution rate,
hand-offs by reason, 👍/👎 by intent and rule), the masking of buyer ids, the
JSON keys, the draft NLU file, and the command line's answers to bad input.
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from staff.review.__main__ import main, parse_since, run
from tests.support.stored_trackers import (
    DAY,
    Clock,
    answered,
    clarified,
    core_fallback,
    feedback,
    handed_off,
    replied,
    save,
    session_start,
)

BEIJING = timezone(timedelta(hours=8))
NOW = time.time()
UNANSWERED = ["发票怎么开", "能开发票吗", "发票能开吗", "你们周末发货吗", "还是不行，我要投诉", "退款成功了钱怎么还没到"]


def beijing_day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, BEIJING).date().isoformat()


def last_beijing_noon(now: float) -> float:
    noon = datetime.fromtimestamp(now, BEIJING).replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon.timestamp() <= now else noon - timedelta(days=1)).timestamp()


# The week's conversations start at Beijing noon, so that "ten minutes later"
# is the same day whenever the suite runs (at 23:53 it was the next day).
NOON = last_beijing_noon(NOW)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """Five conversations in the last week (one buyer twice) and one a month old."""
    clock_a, clock_b = Clock(NOON - 3 * DAY), Clock(NOON - 3 * DAY + 600)
    clock_c, clock_d = Clock(NOON - 2 * DAY), Clock(NOON - 2 * DAY + 600)
    clock_old = Clock(NOON - 30 * DAY)
    lily = (session_start(clock_a)
            + answered("退款到哪一步了", "ask_refund_progress", ["return_auto_refund_10d"], clock_a)
            + feedback("up", clock_a))
    clock_a.now = NOON - DAY  # the next day: a new session of the same buyer
    lily += (session_start(clock_a) + replied("你好", "greet", "utter_greet", clock_a)
             + replied("发票能开吗", "out_of_scope", "utter_out_of_scope", clock_a))
    conversations = {
        "tb_lily88": lily,
        "tb_zhang_san": session_start(clock_b)
        + answered("退款成功了钱怎么还没到", "ask_refund_not_received",
                   ["refund_credit_card_gateway", "refund_to_original"], clock_b)
        + feedback("down", clock_b),
        "tb_chen_wei": session_start(clock_c)
        + clarified("发票怎么开", clock_c)
        + clarified("能开发票吗", clock_c)
        + handed_off("转人工", "request_human", clock_c)
        + handed_off("转人工！！", "request_human", clock_c),  # already with staff: not a second hand-off
        "store_im:tb_wang_fang": session_start(clock_d)
        + core_fallback("你们周末发货吗", "ask_logistics_problem", clock_d)
        + replied("太差了", "complain", "utter_complain_apology", clock_d)
        + handed_off("还是不行，我要投诉", "complain", clock_d),
        "tb_zhao_lei": session_start(clock_old) + clarified("上个月的问题", clock_old),
    }
    workdir = tmp_path_factory.mktemp("review")
    url = save(workdir / "conversations.db", conversations)
    out = workdir / "reports"
    review = run(parse_since("7d"), out, url, models_dir=None, show_progress=False)
    return {"review": review, "out": out, "url": url, "lily_started": NOON - 3 * DAY,
            "chen_started": NOON - 2 * DAY}


def test_the_numbers_an_owner_reads(shop):
    review = shop["review"]
    assert review["conversations"] == 5  # the month-old one is outside 7 days; lily has two sessions
    assert review["messages"] == 2 + 2 + 2 + 4 + 3
    assert review["fallbacks"] == 3  # two clarifying questions + one core fallback
    assert review["handoffs"] == {"request_human": 1, "complain": 1}
    assert review["feedback"]["up"] == 1 and review["feedback"]["down"] == 1
    assert review["feedback"]["by_intent"] == {
        "ask_refund_not_received": {"up": 0, "down": 1}, "ask_refund_progress": {"up": 1, "down": 0}}
    assert review["feedback"]["by_rule"]["refund_credit_card_gateway"] == {"up": 0, "down": 1}
    assert review["feedback"]["by_rule"]["return_auto_refund_10d"] == {"up": 1, "down": 0}
    assert review["out_of_scope"] == 1
    # Only lily's two conversations went without a problem ("out of scope" is not one).
    assert review["resolution_rate"] == 0.4


def test_conversations_are_counted_on_the_day_they_started(shop):
    per_day = {d["day"]: d for d in shop["review"]["per_day"]}
    first = per_day[beijing_day(shop["lily_started"])]
    assert (first["conversations"], first["resolved"]) == (2, 1)
    second = per_day[beijing_day(shop["chen_started"])]
    assert (second["conversations"], second["resolved"]) == (2, 0)
    assert sum(d["conversations"] for d in per_day.values()) == 5


def test_unanswered_questions_are_what_fell_back_got_a_thumbs_down_or_was_handed_off(shop):
    groups = shop["review"]["unanswered"]
    texts = sorted(t for g in groups for t in g["all_texts"])
    assert texts == sorted(UNANSWERED)
    # Largest first: the three 发票 questions are one group, asked by two buyers.
    assert groups[0]["size"] == 3 and sorted(groups[0]["examples"]) == ["发票怎么开", "发票能开吗", "能开发票吗"]
    # "转人工" came after 能开发票吗; the bot declined 发票能开吗 as out of scope.
    assert groups[0]["why"] == {"fallback": 2, "handoff": 1, "out_of_scope": 1}
    assert groups[0]["buyers"] == ["tb_ch***ei", "tb_li***88"]
    assert all(g["suggested_intent"] is None for g in groups)  # no model given


def test_json_has_the_documented_keys(shop):
    written = json.loads((shop["out"] / "review.json").read_text(encoding="utf-8"))
    for key in ("since", "conversations", "messages", "resolution_rate", "handoffs", "fallbacks",
                "feedback", "unanswered"):
        assert key in written
    assert set(written["feedback"]) >= {"up", "down"}
    for group in written["unanswered"]:
        assert set(group) >= {"size", "examples", "suggested_intent"}
    week_ago = datetime.now(timezone.utc) - timedelta(days=7)
    assert abs(datetime.fromisoformat(written["since"]) - week_ago) < timedelta(minutes=5)


def test_buyer_ids_are_masked_and_message_texts_kept(shop):
    html = (shop["out"] / "review.html").read_text(encoding="utf-8")
    as_json = (shop["out"] / "review.json").read_text(encoding="utf-8")
    for page in (html, as_json):
        for buyer in ("tb_chen_wei", "tb_wang_fang", "tb_zhang_san"):
            assert buyer not in page
        assert "你们周末发货吗" in page
    assert "tb_ch***ei" in html and "store_im:tb_wa***ng" in html
    assert "买家账号已打码" in html and "消息原文保留" in html


def test_the_page_draws_its_charts_inline_and_fetches_nothing(shop):
    html = (shop["out"] / "review.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4
    assert "<path" in html  # bars and glyph outlines, not empty frames
    # Nothing to fetch: no script, no external image, stylesheet or font (xmlns names are not fetched).
    assert "<script" not in html and "@import" not in html
    assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", html)


def test_the_nlu_draft_is_rasa_training_data(shop):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    path = shop["out"] / "nlu_suggestions.yml"
    data = RasaYAMLReader().read(str(path))
    examples = sorted(m.get("text") for m in data.intent_examples)
    assert examples == sorted(UNANSWERED)
    assert "review_group_1" in {m.get("intent") for m in data.intent_examples}  # no model: owner names it
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["version"] == "3.1"


def test_since_accepts_periods_and_dates():
    now = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    assert parse_since("2w", now) == now - timedelta(weeks=2)
    assert parse_since("2026-11-01", now) == datetime(2026, 11, 1, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        parse_since("last week", now)


def test_command_line_says_what_is_wrong_without_a_traceback(tmp_path, capsys):
    assert main(["--since", "yesterday", "--out", str(tmp_path)]) == 2
    assert "7d" in capsys.readouterr().err
    missing = tmp_path / "nothing.db"
    assert main(["--tracker-url", f"sqlite:///{missing}", "--out", str(tmp_path), "--quiet"]) == 1
    assert "还没有会话记录" in capsys.readouterr().err
    assert not missing.exists()  # looking did not create an empty store


def test_a_progress_bar_shows_unless_quiet(shop, tmp_path, capsys):
    assert main(["--tracker-url", shop["url"], "--out", str(tmp_path), "--no-model"]) == 0
    err = capsys.readouterr().err
    assert "读取会话" in err and "100%" in err


def test_an_empty_period_still_writes_a_page_and_says_when_there_is_no_model(shop, tmp_path):
    no_models = tmp_path / "models"
    no_models.mkdir()
    assert main(["--tracker-url", shop["url"], "--since", "1m", "--out", str(tmp_path),
                 "--models", str(no_models), "--quiet"]) == 0
    review = json.loads((tmp_path / "review.json").read_text(encoding="utf-8"))
    assert review["conversations"] == 0 and review["resolution_rate"] is None
    assert review["model"] is None
    html = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "这段时间没有会话" in html and "没有训练好的模型" in html


def test_feedback_rates_the_answer_before_it_in_the_same_turn_or_an_earlier_one():
    from rasa.shared.core.events import SlotSet

    from staff.review.conversations import read_conversation

    clock = Clock(NOW)
    same_turn = (answered("退款到哪一步了", "ask_refund_progress", ["return_auto_refund_10d"], clock)
                 + [SlotSet("feedback", "down", timestamp=clock())])
    later_turn = (answered("钱怎么还没到", "ask_refund_not_received", ["refund_to_original"], clock)
                  + replied("谢谢", "thank", "utter_thank", clock) + feedback("down", clock))
    for events, intent, question in ((same_turn, "ask_refund_progress", "退款到哪一步了"),
                                     (later_turn, "ask_refund_not_received", "钱怎么还没到")):
        conversation = read_conversation("tb_lily88", [e.as_dict() for e in events])
        assert [(f.value, f.intent) for f in conversation.feedback] == [("down", intent)]
        assert [u.message.text for u in conversation.unanswered] == [question]
        assert not conversation.resolved


def test_damaged_rows_in_the_store_do_not_stop_the_review(shop, tmp_path):
    import shutil
    import sqlite3

    damaged = tmp_path / "damaged.db"
    shutil.copy(shop["url"][len("sqlite:///"):], damaged)
    rows = [
        "{not json", "[1, 2]", "null",
        json.dumps({"event": "user", "text": None, "timestamp": "soon", "parse_data": "oops"}),
        json.dumps({"event": "action", "name": "action_default_fallback"}),
        json.dumps({"event": "bot", "data": {"custom": {"rule_ids": "x", "intent": {"a": 1}}}, "metadata": 5}),
        json.dumps({"event": "slot", "name": "handoff_requested", "value": True, "timestamp": None}),
        json.dumps({"event": "slot", "name": "feedback", "value": ["down"]}),
    ]
    with sqlite3.connect(damaged) as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('tb_broken', 'x', ?, ?)",
            [(NOW - 60 + i, row) for i, row in enumerate(rows)])
    assert main(["--tracker-url", f"sqlite:///{damaged}", "--out", str(tmp_path), "--no-model", "--quiet"]) == 0
    review = json.loads((tmp_path / "review.json").read_text(encoding="utf-8"))
    assert review["conversations"] == shop["review"]["conversations"] + 1
    assert review["handoffs"]["unknown"] == 1


def test_a_thumbs_down_then_a_person_points_at_the_question_that_was_rated():
    from staff.review.conversations import read_conversation

    clock = Clock(NOW)
    events = (answered("钱怎么还没到", "ask_refund_not_received", ["refund_to_original"], clock)
              + feedback("down", clock) + handed_off("转人工", "request_human", clock))
    conversation = read_conversation("tb_lily88", [e.as_dict() for e in events])
    assert [(u.message.text, u.why) for u in conversation.unanswered] == [("钱怎么还没到", ["down", "handoff"])]
    assert conversation.handoffs[0].trigger.text == "钱怎么还没到"
