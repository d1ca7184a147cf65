"""Keep the libraries' deprecation notices out of what a shop owner reads.

sanic_cors, pkg_resources, click (through typer and spaCy) and others print
DeprecationWarnings at start-up that nobody running the bot can act on. Sanic
turns DeprecationWarnings on ("once") when it is imported, so it is imported
first and this filter goes in front of its. Our own packages' warnings stay
visible: they are ours to act on.
"""
from __future__ import annotations

import warnings

OWN_MODULES = r"(?!(bot|actions|staff|web|shared)(\.|$))"


def silence_library_deprecations() -> None:
    import sanic  # noqa: F401  (installs its own DeprecationWarning filter)

    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category, module=OWN_MODULES)
