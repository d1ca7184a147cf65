"""Channels the refund bot talks through (loaded by the Rasa server from credentials.yml).

- bot.channels.store_im.StoreIMInput: the store's IM platform (signed webhook).
- bot.channels.rest.RestInput: Rasa's REST channel that always answers (local only).
- bot.channels.socketio.SocketIOInput: the web chat widget (rasa-webchat over socket.io),
  with server-issued sessions (widget_sessions.py) and exact CORS origins.
- bot/handoff/: the hand-off state every channel goes through (silence, hand-back, timeout).
- pipeline.py: the steps every message takes in all three (too long, over the limits,
  through the hand-off gate, the apology when the bot said nothing);
- validation.py: the request checks and conversation ids all three share; replies.py:
  what a buyer reads when the bot said nothing; dedup.py: IM retries processed once.

The demo page that serves the widget is not a channel: web/server.py.
"""
