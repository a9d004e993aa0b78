"""End-to-end: the real book built by the real command line, read as a reader would."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests.conftest import BuiltBook, build_book
from xaibook import formatting, paths
from xaibook.data.bibliography import read_bibliography

CHAPTERS = ["funding", "competition", "infrastructure", "risk"]
# the introduction too: a substitution inside `code` there once went unfilled, unnoticed
PAGES = ["intro.html"] + [
    f"chapters/{slug}.html" for slug in [*CHAPTERS, "methods", "cite", "bibliography"]
]
CHART = 'class="xaibook-chart"'
NETWORK_ASSET = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']https?://""")
UNRENDERED_SUBSTITUTION = re.compile(r"\{\{\s*[a-z_]+\s*\}\}")
STAMP = re.compile(r"Built on \d{1,2} [A-Z][a-z]+ \d{4}")  # the build day: all that may differ


def text_of(page: Path) -> str:
    """What a reader sees: the page's main text without scripts, tags or entities."""
    source = page.read_text(encoding="utf-8")
    main = source[source.find("<main") : source.find("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.mark.slow
def test_every_page_exists_and_loads_nothing_from_the_network(built_book: BuiltBook):
    assert built_book.page("index.html").exists() or built_book.page("intro.html").exists()
    for name in PAGES:
        page = built_book.page(name)
        assert page.exists(), name
    for page in built_book.html.rglob("*.html"):
        assert not NETWORK_ASSET.search(page.read_text(encoding="utf-8")), page


@pytest.mark.slow
def test_chapters_have_three_charts_a_table_and_downloadable_chart_data(built_book: BuiltBook):
    for slug in CHAPTERS:
        source = built_book.page(f"chapters/{slug}.html").read_text(encoding="utf-8")
        assert source.count(CHART) >= 3, slug
        assert "<table" in source, slug
        charts = set(re.findall(r'id="fig-[a-z0-9-]+"', source))
        downloads = set(re.findall(r"_downloads/[0-9a-f]+/([A-Za-z0-9_-]+)\.csv", source))
        for chart_id in charts:
            assert chart_id[4:-1] in downloads, f"{slug}: no CSV for {chart_id}"


@pytest.mark.slow
def test_build_is_clean_and_pages_read_correctly(built_book: BuiltBook):
    assert "WARNING" not in built_book.log(), built_book.log()[-3000:]
    horizon = json.loads((built_book.html / "edition.json").read_text())["data_horizon"]
    for name in PAGES:
        words = text_of(built_book.page(name))
        for broken in ("nan ", " NaN", "not reported billion", "{cite", "{glue", "None "):
            assert broken not in words, f"{name}: {broken!r} in the text"
        assert not UNRENDERED_SUBSTITUTION.search(words), f"{name}: a {{{{ substitution }}}}"
        assert STAMP.search(words), f"{name}: no edition stamp"
        # the stamp states the data horizon, not only the day the book was built
        # at month precision: an article's day can be the curators' reading (TechCrunch's copy
        # has no date), never more precise than the data hold it
        newest = formatting.date(horizon["newest_article"], "month")
        assert f"newest article was published in {newest}" in words, f"{name}: no data horizon"
        assert formatting.date(horizon["epoch_downloaded_to"]) in words, f"{name}: no Epoch date"


@pytest.mark.slow
def test_bibliography_lists_every_source_and_credits_epoch(built_book: BuiltBook):
    words = text_of(built_book.page("chapters/bibliography.html"))
    sources, problems = read_bibliography(paths.BIBLIOGRAPHY_FILE)
    assert not problems
    for source in sources.values():
        original_title = source.title.split(" [")[0].strip()
        assert original_title[:20] in words, source.key
    assert ("Epoch AI" in words and "CC BY 4.0" in words) or "Creative Commons" in words


@pytest.mark.slow
def test_early_edition_cites_nothing_published_after_its_date(early_book: BuiltBook):
    later = ["Is xAI a neocloud now?", "200亿美元到账"]  # published 2026-01-07 and 2026-05-06
    # nor does its bibliography list them, nor its methods count them
    for slug in [*CHAPTERS, "methods", "bibliography"]:
        words = text_of(early_book.page(f"chapters/{slug}.html"))
        for title in later:
            assert title not in words, f"{slug} cites {title!r} as of 2025-12-31"
        assert "as of 31 December 2025" in words


@pytest.mark.slow
def test_early_funding_chapter_reads_differently_from_today(built_book, early_book):
    today = text_of(built_book.page("chapters/funding.html"))
    early = text_of(early_book.page("chapters/funding.html"))
    assert STAMP.sub("", today) != STAMP.sub("", early)


@pytest.mark.slow
def test_same_inputs_give_the_same_pages(early_book: BuiltBook, tmp_path):
    """Reproducible editions: a second, fully re-executed build differs only in its stamp."""
    again = build_book(tmp_path / "again", "--as-of", "2025-12-31", "--no-cache")
    first_pages = sorted(p.relative_to(early_book.html) for p in early_book.html.rglob("*.html"))
    second_pages = sorted(p.relative_to(again.html) for p in again.html.rglob("*.html"))
    assert first_pages == second_pages
    for relative in first_pages:
        first = STAMP.sub("", (early_book.html / relative).read_text(encoding="utf-8"))
        second = STAMP.sub("", (again.html / relative).read_text(encoding="utf-8"))
        assert first == second, f"{relative} differs between two builds of the same inputs"


# Words for the data's bookkeeping, which belong in the methods chapter, the downloads and the
# data README, not in what a chapter tells its readers (issue 11, class 6).
RECORD_ID = re.compile(r"\b(?:met|fr|val|inv|site|tl|pos|rev)-\d{3}\b")
# (Parameter names are not here: the chapters tell analysts how to rebuild with `-p NAME=...`;
# the edition box gives them in words, tests/unit/test_edition.py.)
BOOKKEEPING = (".txt", "CURATION_NOTES", "Seed file", "claim_rank")


def bookkeeping_in(words: str, keys: set[str], claim_ids: set[str]) -> list[str]:
    """Bibliography keys, record and claim ids and file names in ``words``."""
    found = [key for key in keys if re.search(rf"(?<![\w/]){re.escape(key)}(?!\w)", words)]
    found += RECORD_ID.findall(words)
    found += [i for i in claim_ids if re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w-])", words)]
    return found + [word for word in BOOKKEEPING if word in words]


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["built_book", "early_book"])
def test_chapters_speak_to_readers_without_the_datas_ids(edition, request):
    import pandas as pd

    book = request.getfixturevalue(edition)
    keys = set(read_bibliography(paths.BIBLIOGRAPHY_FILE)[0])
    claim_ids = set()
    for table in paths.DATA_DIR.glob("*.csv"):
        frame = pd.read_csv(table, dtype=str)
        if "claim_id" in frame:
            claim_ids |= set(frame["claim_id"].dropna())
    for name in ["intro.html"] + [f"chapters/{slug}.html" for slug in CHAPTERS]:
        words = text_of(book.page(name))
        assert not bookkeeping_in(words, keys, claim_ids), name


def _inline_text(page: Path) -> str:
    """The page's text as a reader sees it inline: tags removed without adding space, so two
    words a template printed without a space between them read as one."""
    source = page.read_text(encoding="utf-8")
    main = source[source.find("<main") : source.find("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"<(p|li|td|th|div|h[1-6]|br|tr|dt|dd|figcaption)\b", r" <\1", main)
    return html.unescape(re.sub(r"<[^>]+>", "", main))


# a lower-case word run into a capitalised one ("putsAnthropic") or into a bracket ("dates[")
GLUED = re.compile(r"\b[a-z]+[A-Z][a-z]{2,}\b|\b[a-z]{2,}[\[(][A-Za-z]")


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["built_book", "early_book"])
def test_no_two_words_run_together(edition, request):
    book = request.getfixturevalue(edition)
    # names spelled with inner capitals (OpenAI, StepStone) are written so in the data
    spelled = paths.BIBLIOGRAPHY_FILE.read_text(encoding="utf-8")
    spelled += "".join(p.read_text(encoding="utf-8") for p in paths.DATA_DIR.rglob("*.csv"))
    known = set(re.findall(r"[A-Za-z]+", spelled))
    formula = {"cash[t", "revenue[t"}  # the runway model's recurrence, written out
    for name in PAGES:
        glued = [
            match
            for match in GLUED.findall(_inline_text(book.page(name)))
            if not any(word in known for word in re.findall(r"[a-z]*[A-Z][a-z]+", match))
            and not any(match.startswith(f) for f in formula)
            and match not in known
        ]
        assert not glued, (name, glued)
