"""The conversation, without Rasa: what the buyer is asking about (talk), which
order (choice, references), what to say (replies, text, repeats, suggest,
handoff_summary), and the one bridge to the tracker (asker)."""
