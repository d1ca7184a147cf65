"""Channels the refund bot talks through (loaded by the Rasa server from credentials.yml).

- bot.channels.store_im.StoreIMInput: the store's IM platform (signed webhook).
- bot.channels.socketio.SocketIOInput: the web chat widget (rasa-webchat over socket.io),
  Rasa's socketio channel with exact CORS origins and custom JSON kept out of the widget.
- bot.channels.web_page: the small page server that serves the widget (make run, :8080).
"""
