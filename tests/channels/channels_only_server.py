"""Rasa's own HTTP server with the repo's channels and no model loaded.

    python tests/channels/channels_only_server.py PORT [CREDENTIALS]

Built with ``rasa.core.run.configure_app`` (what ``rasa run`` uses), so the
channels are read from credentials.yml and mounted exactly as in ``rasa run``;
only the model (and so any answer) is missing. Starts in seconds, for tests of
what a channel decides before a message reaches the bot (fail closed without
a secret).
"""
from __future__ import annotations

import sys

from rasa.core.run import configure_app, create_http_input_channels


def main() -> None:
    port = int(sys.argv[1])
    credentials = sys.argv[2] if len(sys.argv) > 2 else "credentials.yml"
    channels = create_http_input_channels(None, credentials)
    app = configure_app(channels, enable_api=False, port=port)
    app.run(host="127.0.0.1", port=port, access_log=False, workers=1, motd=False)


if __name__ == "__main__":
    main()
