"""Custom Rasa NLU components for the Taobao refund bot (Rasa 3.6).

- bot.normalise.TraditionalToSimplified / RestoreOriginalText
- bot.tokenizer.JiebaTokenizer (class RefundJiebaTokenizer)
- bot.entities.SpacyEntityRuler
- bot.content_guard.ContentGuard (no letters/digits/CJK -> nlu_fallback)
"""

from bot import rasa_patches as _rasa_patches

# Bounded custom-action calls and a prepared response validator for every
# Rasa server that loads this project's pipeline (see bot/rasa_patches.py).
_rasa_patches.apply()
