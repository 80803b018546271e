"""The local stack in a real browser: headless Chromium (the system's, ``ATRIUM_CHROMIUM`` or ``chromium`` on the
PATH; ``make browser`` installs Debian's) driven by Playwright, against ``atrium dev --demo`` over real HTTP.

The browser may reach the local stack only: any request to another host is aborted and recorded, and a test
fails if there was one. Each test saves screenshots of the pages it visits under ``build/screenshots/``.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.e2e.local_stack import ROOT, LocalStack

SCREENSHOTS = ROOT / "build" / "screenshots"
# Headless, and nothing of its own on the network: no component updates, no background requests.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium() -> str:
    found = os.environ.get("ATRIUM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("no Chromium: run `make browser` (Debian's chromium package) or set ATRIUM_CHROMIUM")
    return found


@pytest.fixture(scope="module")
def demo_stack() -> Iterator[LocalStack]:
    """One stack with the demo for the module's tests (they only read it, but the redrive); what it printed up to
    the demo's last line is its ``printed``."""
    stack = LocalStack(args=("--demo",))
    try:
        stack.wait_ready(timeout=120)
        stack.read_until("Audit ", timeout=120)  # the demo's last line: everything it makes is there
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class OfflinePage:
    """A page whose requests leave the machine never: each one to another host is aborted and kept."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.outside: list[str] = []
        page.route("**/*", self._only_local)

    def _only_local(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob", "about") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def page(browser: Browser) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    offline = OfflinePage(context.new_page())
    yield offline
    context.close()
    assert offline.outside == [], f"the page tried to load from outside the machine: {offline.outside}"
