"""The vote of the intent classifiers (bot/nlu/ensemble.py): what the buyer's message is read as
when the models disagree, and that the FallbackClassifier after it still sees a ranking."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.ensemble import VOTES_KEY, EnsembleVote, average_rankings, keep_vote


def _ranking(**confidences: float):
    return [{"name": name, "confidence": value} for name, value in confidences.items()]


def test_models_that_agree_keep_their_answer_and_disagreement_lowers_the_confidence():
    votes = [_ranking(ask_refund_progress=0.9, complain=0.1),
             _ranking(ask_refund_progress=0.3, complain=0.7)]
    ranking = average_rankings(votes, length=10)
    assert [r["name"] for r in ranking] == ["ask_refund_progress", "complain"]
    assert abs(ranking[0]["confidence"] - 0.6) < 1e-9  # less sure than the surer model


def test_an_intent_one_model_leaves_out_counts_as_zero_there():
    ranking = average_rankings([_ranking(greet=1.0), _ranking(thank=0.6, greet=0.4)], length=0)
    assert ranking == [{"name": "greet", "confidence": 0.7}, {"name": "thank", "confidence": 0.3}]


def test_the_vote_replaces_the_last_models_answer_and_clears_the_votes():
    message = Message(data={"text": "退款到哪一步了"})
    for ranking in (_ranking(ask_refund_progress=0.8, complain=0.2), _ranking(complain=0.6, ask_refund_progress=0.4)):
        message.set("intent_ranking", ranking)
        message.set("intent", ranking[0])
        keep_vote([message])
    EnsembleVote({"ranking_length": 1}).process([message])
    assert message.get("intent")["name"] == "ask_refund_progress"
    assert [r["name"] for r in message.get("intent_ranking")] == ["ask_refund_progress"]
    assert not message.get(VOTES_KEY)


def test_a_message_no_model_voted_on_is_left_alone():
    message = Message(data={"text": "/restart", "intent": {"name": "restart", "confidence": 1.0}})
    EnsembleVote({}).process([message])
    assert message.get("intent") == {"name": "restart", "confidence": 1.0}
