"""The hand-off state of a conversation (issue #12): who talks, the bot or a person.

- state.py: reads the state from the tracker's events (pure, no I/O).
- gate.py: every channel's message goes through it: the bot answers, or stays
  silent while a person has the conversation (the message is still recorded),
  and takes the conversation back after a hand-back or a timeout.
"""
