"""The action server's entry point: ``python -m actions.server --port 5055``.

The same as ``python -m rasa_sdk --actions actions``, without the libraries'
deprecation notices at start-up (shared/quiet_warnings.py).
"""
from __future__ import annotations

import sys


def main() -> None:
    from shared.quiet_warnings import silence_library_deprecations

    silence_library_deprecations()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    if "--actions" not in sys.argv:
        sys.argv[1:1] = ["--actions", "actions"]
    rasa_sdk_main()


if __name__ == "__main__":
    main()
