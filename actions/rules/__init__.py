"""Refund rules as data (knowledge.yml) plus pure functions over them.

Nothing in this package imports Rasa: it can be read against the seed
documents and tested on its own.
"""
