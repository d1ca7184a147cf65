"""What a shop owner reads when the bot starts: no screen of library notices.

sanic_cors, pkg_resources, pyparsing and click print DeprecationWarnings that
nobody running the bot can act on; the servers filter them (our own stay).
"""
from __future__ import annotations


def test_the_servers_start_and_answer_without_library_deprecation_notices(bot):
    assert bot.say("tb_lily88", "你好")  # the model and the actions are loaded by now
    for log in (bot.log, bot.actions.log):
        text = log.read_text(encoding="utf-8", errors="replace")
        notices = [line for line in text.splitlines() if "DeprecationWarning" in line]
        assert notices == [], f"{log.name}:\n" + "\n".join(notices[:10])
