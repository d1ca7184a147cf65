"""The Rasa server's entry point: ``python -m bot.server run|shell [rasa options]``.

What ``rasa run`` / ``rasa shell`` do, plus what ``rasa`` alone does not:

1. Refuses a Rasa other than 3.6.x and applies bot/rasa_patches.py (action
   timeout, prepared validator, ...), checking that each patched name exists;
   the patches of 3. and 4. live there too, under the same guard.
2. ``run``: the HTTP API is on only when ``RASA_ENABLE_API=1`` and then only
   with a token from ``RASA_API_TOKEN`` or the file ``RASA_API_TOKEN_FILE``
   (never on the command line, where ``ps`` shows it); ``--enable-api`` or
   ``--auth-token`` on the command line is refused.
3. ``run``: bot/api_guard.py checks Host (``RASA_ALLOWED_HOSTS``; default on a
   loopback address: 127.0.0.1, localhost, ::1), Origin (``RASA_ALLOWED_ORIGINS``)
   and the token on every non-channel route.
4. ``shell``: messages go through the hand-off gate (bot/handoff/shell.py), so
   the terminal says when a person has the conversation.
5. Requests over 1 MiB (bot/channels/limits.py ``MAX_REQUEST_BYTES``) get 413
   unless ``SANIC_REQUEST_MAX_SIZE`` says otherwise.
"""
from __future__ import annotations

import os
import sys
from typing import List, Optional, Tuple

from bot.api_guard import LOOPBACK_HOSTS

API_ENV, TOKEN_ENV, TOKEN_FILE_ENV = "RASA_ENABLE_API", "RASA_API_TOKEN", "RASA_API_TOKEN_FILE"
HOSTS_ENV, ORIGINS_ENV = "RASA_ALLOWED_HOSTS", "RASA_ALLOWED_ORIGINS"
FORBIDDEN_FLAGS = ("--enable-api", "--auth-token")


class StartRefused(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"bot.server: {message}")


def api_token(env=os.environ) -> Optional[str]:
    """The API token (env, or the first line of the token file), or None."""
    if env.get(TOKEN_ENV, "").strip():
        return env[TOKEN_ENV].strip()
    path = env.get(TOKEN_FILE_ENV, "").strip()
    if path:
        try:
            with open(path, encoding="utf-8") as file:
                token = file.readline().strip()
        except OSError as error:
            raise StartRefused(f"cannot read {TOKEN_FILE_ENV}={path}: {error.strerror}") from error
        if token:
            return token
    return None


def _interface(args: List[str]) -> str:
    for flag in ("-i", "--interface"):
        if flag in args and args.index(flag) + 1 < len(args):
            return args[args.index(flag) + 1]
    return "0.0.0.0"


def run_settings(args: List[str], env=os.environ) -> Tuple[List[str], Optional[str], List[str], List[str]]:
    """(rasa arguments, API token or None, allowed hosts, allowed origins) for ``run``."""
    for flag in FORBIDDEN_FLAGS:
        if any(a == flag or a.startswith(flag + "=") for a in args):
            raise StartRefused(f"{flag} is not accepted on the command line: set {API_ENV}=1 and "
                               f"{TOKEN_ENV} or {TOKEN_FILE_ENV} (a token in argv shows in `ps`)")
    token = None
    if env.get(API_ENV, "0") == "1":
        token = api_token(env)
        if not token:
            raise StartRefused(f"{API_ENV}=1 needs a token in {TOKEN_ENV} or {TOKEN_FILE_ENV}")
        args = [*args, "--enable-api", "--auth-token", token]  # this process's argv only
    configured = [h.strip() for h in env.get(HOSTS_ENV, "").split(",") if h.strip()]
    hosts = configured or (list(LOOPBACK_HOSTS) if _interface(args) in LOOPBACK_HOSTS else [])
    origins = [o.strip() for o in env.get(ORIGINS_ENV, "").split(",") if o.strip()]
    return args, token, hosts, origins


def guard_every_app(token: Optional[str], hosts: List[str], origins: List[str]) -> None:
    """Add bot/api_guard.py to the Sanic app ``rasa run`` builds (rasa_patches patch 7)."""
    from bot import api_guard, rasa_patches

    rasa_patches.guard_every_app(lambda app: api_guard.install(app, hosts, origins, token))


def main(argv: Optional[List[str]] = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("run", "shell"):
        raise StartRefused("usage: python -m bot.server run|shell [rasa options]")
    from shared.quiet_warnings import silence_library_deprecations

    silence_library_deprecations()
    from bot import rasa_patches
    from bot.channels.limits import MAX_REQUEST_BYTES, REQUEST_MAX_ENV

    os.environ.setdefault(REQUEST_MAX_ENV, str(MAX_REQUEST_BYTES))  # Sanic's own: 100 MB
    try:
        rasa_patches.apply()
    except rasa_patches.UnsupportedRasa as error:
        raise StartRefused(str(error)) from error
    try:
        from bot import clauses

        clauses.install()  # several questions in one message: each clause parsed too (issue #19)
        if args[0] == "run":
            args, token, hosts, origins = run_settings(args)
            guard_every_app(token, hosts, origins)
        else:  # the shell's cmdline channel goes through the hand-off gate too
            from bot.handoff import shell

            shell.install()
    except rasa_patches.UnsupportedRasa as error:
        raise StartRefused(str(error)) from error
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main()
