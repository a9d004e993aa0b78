"""Fixtures for opening built book pages in headless Debian Chromium, fully offline.

The book must work from file:// with no network: every request that is not file:// is aborted
and reported, together with console errors and uncaught page errors. A test passes a page only
if that list stays empty.

Never run `playwright install` (it downloads a browser; there is no network for that here):
Playwright drives the Debian package at /usr/bin/chromium.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM_PATH = Path("/usr/bin/chromium")
# Headless in a container: no sandbox (root), no GPU, and none of Chromium's own background
# traffic (updates, sync, field trials) that would show up as blocked requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHART_SELECTOR = ".xaibook-chart"  # the div xaibook.charts.chart_html writes for every chart
CHART_TIMEOUT_MS = 15_000

# Every chart container holds an SVG with at least one drawn mark (bar, line, point...).
_ALL_CHARTS_DRAWN_JS = f"""() => Array.from(document.querySelectorAll("{CHART_SELECTOR}"))
    .every((el) => el.querySelector("svg .role-mark > *") !== null)"""


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM_PATH.exists():
        from tests.conftest import require_or_skip

        require_or_skip("Debian chromium not installed: apt-get install chromium")
    return CHROMIUM_PATH


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    """One headless Chromium for the session; each page gets its own fresh context (profile)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _open_page_offline(browser, path: Path) -> tuple[object, list[str]]:
    """Open ``path`` from file:// with the network cut off.

    Returns the page and a live list of problems, each a line starting with
    "console error:", "page error:" or "blocked request:". The list keeps filling while the
    test uses the page (e.g. a chart that fails after a hover).
    """
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []

    def block_remote(route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            problems.append(f"blocked request: {url}")
            route.abort()

    context.route("**/*", block_remote)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    return page, problems


def _wait_for_charts(page, timeout_ms: int = CHART_TIMEOUT_MS) -> int:
    """Wait until every chart on the page has drawn its marks; returns the number of charts."""
    page.wait_for_function(_ALL_CHARTS_DRAWN_JS, timeout=timeout_ms)
    return page.locator(CHART_SELECTOR).count()


# Helpers are handed out as fixtures: tests cannot reliably `from conftest import ...` because
# tests/conftest.py is a module named "conftest" too.


@pytest.fixture
def open_page_offline() -> Iterator[Callable[[object, Path], tuple[object, list[str]]]]:
    """``page, problems = open_page_offline(browser, path)``; contexts closed after the test."""
    contexts = []

    def open_(browser, path: Path) -> tuple[object, list[str]]:
        page, problems = _open_page_offline(browser, path)
        contexts.append(page.context)
        return page, problems

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def wait_for_charts() -> Callable[..., int]:
    """``wait_for_charts(page)``: waits until every chart drew its marks; returns their number."""
    return _wait_for_charts
