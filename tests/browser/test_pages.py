"""Every built page, opened from disk in headless Chromium with the network cut off."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import BuiltBook, build_book

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHAPTER_PAGES = ["funding", "competition", "infrastructure", "risk", "methods"]
HOSTILE_NAME = 'xAI <b id="injected">Bold</b></script><script>window.pwned=1</script> "q" \\ 中文'


def test_every_page_renders_its_charts_offline_without_errors(
    built_book: BuiltBook, browser, open_page_offline, wait_for_charts
):
    # the book's own pages (the theme also ships HTML templates under _static/)
    pages = [
        built_book.page("index.html"),
        built_book.page("intro.html"),
        *sorted((built_book.html / "chapters").glob("*.html")),
    ]
    assert len(pages) >= 9
    for path in pages:
        page, problems = open_page_offline(browser, path)
        charts = wait_for_charts(page)
        if path.stem in CHAPTER_PAGES[:4]:
            assert charts >= 3, f"{path.name}: {charts} charts"
        assert problems == [], f"{path.name}: {problems}"


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> BuiltBook:
    """The book built from a copy of the data where xAI's name carries markup and </script>."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    import shutil

    from xaibook import paths

    shutil.copytree(paths.DATA_DIR, data)
    companies = data / "companies.csv"
    rows = list(csv.reader(io.StringIO(companies.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("company_id")] == "xai":
            row[header.index("name")] = HOSTILE_NAME
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    companies.write_text(buffer.getvalue(), encoding="utf-8")
    return build_book(root / "out", "--data", str(data))


def test_markup_in_a_company_name_is_shown_as_text_and_never_reaches_the_dom(
    hostile_book: BuiltBook, browser, open_page_offline, wait_for_charts
):
    seen_in_text = 0
    for slug in CHAPTER_PAGES:
        path: Path = hostile_book.page(f"chapters/{slug}.html")
        page, problems = open_page_offline(browser, path)
        wait_for_charts(page)
        assert page.locator("#injected").count() == 0, f"{slug}: markup became an element"
        assert page.evaluate("() => window.pwned === undefined"), f"{slug}: script ran"
        body_text = page.inner_text("main")
        svg_text = page.evaluate(
            "() => Array.from(document.querySelectorAll('.xaibook-chart svg text'))"
            ".map(t => t.textContent).join(' ')"
        )
        if '<b id="injected">Bold</b>' in body_text + svg_text:
            seen_in_text += 1
        assert problems == [], f"{slug}: {problems}"
    assert seen_in_text >= 1, "the hostile name should appear literally somewhere"
