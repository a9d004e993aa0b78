"""The PDF: every chapter, charts as images, Chinese source titles legible."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import BuiltBook, latex_available, require_or_skip

pytestmark = [pytest.mark.slow, pytest.mark.latex]

CHAPTER_TITLES = ["Funding", "Competition", "Infrastructure", "Risk", "Data and methods"]


def pdf_text(book: BuiltBook) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(book.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_has_every_chapter_its_charts_and_the_chinese_titles(built_book: BuiltBook):
    if not latex_available() or not shutil.which("pdfimages"):
        require_or_skip("TeX or poppler-utils missing: run `make pdf` once as root")
    assert built_book.pdf.exists() and built_book.pdf.stat().st_size > 50_000
    text = pdf_text(built_book)
    for title in CHAPTER_TITLES:
        assert title in text, title
    assert "马斯克" in text, "the Chinese source titles must be legible"
    assert "contents" in text.lower()  # the table of contents
    images = subprocess.run(
        ["pdfimages", "-list", str(built_book.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    html_charts = sum(
        (built_book.html / "chapters" / f"{slug}.html")
        .read_text(encoding="utf-8")
        .count('class="xaibook-chart"')
        for slug in ("funding", "competition", "infrastructure", "risk", "methods")
    )
    assert len(images) >= html_charts, f"{len(images)} images for {html_charts} charts"
