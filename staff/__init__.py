"""Tools for the shop's staff (not loaded by the bot): the conversation review."""
