"""Fixtures for the channel tests: signed store IM requests, the chat page, a browser."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.servers import BIN, REPO, base_env, serving
from tests.support.store_im import im_body, post_im, signature  # noqa: F401 (used by the channel tests)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def webchat_bundle() -> Path:
    """rasa-webchat installed from web/package-lock.json (npm ci when missing)."""
    bundle = REPO / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
    if not bundle.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("npm is needed to install the chat widget (web/package-lock.json)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=REPO / "web", check=True)
    return bundle


@pytest.fixture(scope="session")
def chat_page(bot, webchat_bundle, tmp_path_factory):
    """The chat page server (web/server.py) on the port the bot allows as origin."""
    log = tmp_path_factory.mktemp("web") / "web.log"
    env = base_env({"WIDGET_TOKEN_SECRET": bot.env["WIDGET_TOKEN_SECRET"]})
    url = f"http://127.0.0.1:{bot.web_port}"
    command = [str(BIN / "python"), "-m", "web.server", "--host", "127.0.0.1",
               "--port", str(bot.web_port), "--rasa", bot.url]
    with serving(command, env, log, f"{url}/webchat.js", timeout=30):
        yield url


# Module scope, not session: Playwright's sync API keeps an event loop running
# while it is open, which would break every later test that calls asyncio.run().
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        )
        try:
            yield launched
        finally:
            launched.close()
