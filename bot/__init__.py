"""Custom Rasa NLU components for the Taobao refund bot (Rasa 3.6).

- bot.normalise.TraditionalToSimplified / RestoreOriginalText
- bot.tokenizer.JiebaTokenizer (class RefundJiebaTokenizer)
- bot.entities.SpacyEntityRuler
"""
