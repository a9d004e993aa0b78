"""The "How to cite" page: its BibTeX and its table of section links, in the page's words."""

from __future__ import annotations

import pandas as pd

from xaibook import paths, prose
from xaibook.analysis import cite


def test_bibtex_names_the_edition_and_takes_its_words_from_the_template():
    labels = cite.section_labels(paths.REPO_ROOT)
    text = cite.bibtex_file(pd.Timestamp("2026-01-31"), "abc123", labels)
    book = prose.labels(cite.TEMPLATE, "book")
    assert text.count("@incollection{") == labels["label"].str.startswith("ch-").sum() > 0
    assert text.startswith("@book{xaibook,") and "abc123" in text and "2026-01-31" in text
    assert text.count(f"{{{{{book['title']}}}}}") == 1 + text.count("@incollection{")
    for entry in text.split("\n\n"):  # every entry's braces balance
        assert entry.count("{") == entry.count("}")


def test_section_links_table_has_a_row_per_label():
    links = cite.edition_substitutions("2026-01-31", "abc123", paths.REPO_ROOT)["section_links"]
    rows = links.splitlines()
    header = prose.labels(cite.TEMPLATE, "section_links_columns")
    assert all(word in rows[0] for word in header.values())
    assert len(rows) == 2 + len(cite.section_labels(paths.REPO_ROOT))
