"""Rasa action server package: actions.py is the entry point rasa-sdk loads."""
