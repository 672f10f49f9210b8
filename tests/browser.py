"""The one browser fixture: headless Chromium from Debian's package (`chromium`), driven by
Playwright for Python with the system browser's path (Playwright's own browser download cannot
work here). Locally a missing browser skips with a message; in CI (CI=true) it fails instead.

Use it from any test package: `from tests.browser import browser, page  # noqa: F401` in that
package's conftest.py, then take `page` (a fresh context on pytest-django's `live_server`).
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import IN_CI

# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests need {reason} (apt-get install chromium; .ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if not path:
        _unavailable("Debian's chromium on PATH or CHROMIUM_PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package (make install)")
    # Playwright's sync API keeps an event loop in this thread while it runs; the ORM calls tests
    # make between browser steps are still synchronous and safe. Module scope: the loop and the
    # variable end with the module, so no later test (asyncio.run, `check --deploy`) inherits them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=path, headless=True, args=list(CHROMIUM_ARGS))
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
