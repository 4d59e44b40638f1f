"""Headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright.

`playwright install` is never run: the system browser is the one we test, and
`make test` installs it. A missing browser fails the tests loudly instead of
skipping them, so a green run always means the pages were really clicked.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

CHROMIUM = Path(os.environ.get("DONEMAIL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A fresh phone-sized page in a browser of its own; PUBLIC_URL points at
    the live server so the links under test are the ones an email would carry.

    Per test, not per session: Playwright's sync API keeps an asyncio loop
    running on this thread while it is open, and Django refuses ORM calls
    while a loop runs. The browser tests allow them for their own duration
    (their ORM calls are plain synchronous code); the rest of the suite never
    sees the loop.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium "
            "(or `apt-get install -y chromium` as root)", pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(settings, "PUBLIC_URL", live_server.url)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        )
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="en-GB")
        context.set_default_timeout(15_000)
        yield context.new_page()
        # While Playwright's loop runs, Django keeps this thread's connections
        # in a separate (async-context) store; close them here, or PostgreSQL
        # cannot drop the test database at the end of the session.
        connections.close_all()
        context.close()
        browser.close()


def screenshot(page, name: str, viewport: dict) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(viewport)
    path = SCREENSHOTS / f"{name}-{viewport['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
