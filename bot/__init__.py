"""Code the Rasa server loads: custom NLU components, channels, the server entry point.

- bot.nlu.normalise.TraditionalToSimplified / RestoreOriginalText
- bot.nlu.tokenizer.JiebaTokenizer (class RefundJiebaTokenizer)
- bot.nlu.entities.SpacyEntityRuler
- bot.nlu.content_guard.ContentGuard (no letters/digits/CJK -> nlu_fallback)
- bot.channels: store IM webhook, REST, socket.io widget
- bot.server: ``python -m bot.server run|shell ...`` starts Rasa with bot.rasa_patches
  applied and the HTTP API locked down (bot.api_guard). Importing ``bot`` patches nothing.
"""
