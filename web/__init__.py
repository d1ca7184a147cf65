"""The demo chat page: web/server.py serves web/index.html and the rasa-webchat bundle."""
