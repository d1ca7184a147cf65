"""`make review [SINCE=7d]`: what the bot could not answer, for the shop owner.

Reads the Rasa tracker store `make run` writes to (staff/review/source.py: same
environment, same URL) and writes, under reports/:
- review.html: conversations per day, resolution rate, hand-offs by reason,
  👍/👎 by intent and rule, and the unanswered questions grouped by meaning;
- review.json: the same numbers (`since`, `conversations`, `messages`,
  `resolution_rate`, `handoffs`, `fallbacks`, `feedback`, `unanswered`, ...);
- nlu_suggestions.yml: the unanswered groups as a draft in Rasa's NLU format.
Buyer ids are masked (tb_li***88); message texts are kept (the owner needs them).

Event contract (what the bot writes and this review reads; see conversations.py):
- a conversation is one Rasa session (from `action_session_start`) with at
  least one buyer message; its day is the day of its first message (Beijing time);
- fallback: action `action_default_fallback` (RulePolicy's core fallback) or
  `action_clarify` (nlu_fallback, rules.yml), or a bot message from
  `utter_default`, in reply to a buyer message;
- hand-off: SlotSet `handoff_requested` becoming true; the reason is the
  `reason` in the bot message's custom JSON (`{"handoff": true, "reason": <intent>}` as action_handoff sends it today,
  or `{"handoff": {"reason": …}}`); setting it to true again while already
  handed off is not a second hand-off;
- feedback: SlotSet `feedback` with "up" or "down", about the last answer before it;
- answers: bot messages whose custom JSON has `rule_ids` and `intent`
  (actions.actions.say_answer).
Resolution rate = conversations without fallback, 👎 and hand-off / conversations.
Unanswered = the buyer messages that fell back, the question behind a 👎, and the
question behind a hand-off (before a bare "转人工", the question asked earlier);
also listed, though not a failure in the resolution rate: questions the bot
declined as out of scope (`utter_out_of_scope`, "这个问题我暂时帮不上忙").
"""
