"""How to cite the book: BibTeX for this edition, its chapters, and the stable section labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from xaibook import paths, prose
from xaibook.chapters import CHAPTERS
from xaibook.text import escape_markdown

TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "cite.md")  # the page's words
BOOK_KEY = "xaibook"
LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.MULTILINE)
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*$", re.MULTILINE)


def _markdown_sources(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


def section_labels(book_root: Path = paths.REPO_ROOT) -> pd.DataFrame:
    """Every explicit label in the chapters with the heading it names and its link."""
    rows = []
    for chapter in CHAPTERS:
        notebook = book_root / chapter.notebook_path
        if not notebook.exists() or chapter.slug == "cite":
            continue
        page = Path(chapter.notebook_path).with_suffix(".html").as_posix()
        for source in _markdown_sources(notebook):
            for match in LABEL.finditer(source):
                heading = HEADING.search(source, match.end())
                title = heading.group(2) if heading else ""
                anchor = "" if match.group(1).startswith("ch-") else f"#{match.group(1)}"
                rows.append(
                    {
                        "chapter": chapter.slug,
                        "label": match.group(1),
                        "heading": title,
                        "link": f"{page}{anchor}",
                    }
                )
    return pd.DataFrame(rows, columns=["chapter", "label", "heading", "link"])


def chapter_titles(labels: pd.DataFrame) -> dict[str, str]:
    titles = labels[labels["label"].str.startswith("ch-")]
    return dict(zip(titles["chapter"], titles["heading"], strict=True))


def _bib_escape(text: str) -> str:
    return text.replace("\\", "").replace("{", "").replace("}", "").replace("&", r"\&")


def _book() -> dict[str, str]:
    """The book's title, author and note, as the page's template words them (BibTeX-safe)."""
    return {key: _bib_escape(text) for key, text in prose.labels(TEMPLATE, "book").items()}


def _field(macro: str, **values: object) -> str:
    return _bib_escape(prose.render_text(TEMPLATE, macro, **values))


def book_bibtex(as_of: pd.Timestamp, fingerprint: str) -> str:
    book = _book()
    edition = _field("book_edition", as_of=f"{as_of:%Y-%m-%d}", fingerprint=fingerprint)
    return "\n".join([
        f"@book{{{BOOK_KEY},",
        f"  title     = {{{{{book['title']}}}}},",
        f"  author    = {{{{{book['author']}}}}},",
        f"  year      = {{{as_of.year}}},",
        f"  edition   = {{{edition}}},",
        f"  note      = {{{book['note']}}},",
        "}",
    ])  # fmt: skip


def chapter_bibtex(slug: str, title: str, as_of: pd.Timestamp) -> str:
    book = _book()
    note = _field("chapter_note", as_of=f"{as_of:%Y-%m-%d}", page=f"chapters/{slug}.html")
    return "\n".join([
        f"@incollection{{{BOOK_KEY}_{slug},",
        f"  title     = {{{_bib_escape(title)}}},",
        f"  booktitle = {{{{{book['title']}}}}},",
        f"  author    = {{{{{book['author']}}}}},",
        f"  year      = {{{as_of.year}}},",
        f"  note      = {{{note}}},",
        "}",
    ])  # fmt: skip


def bibtex_file(as_of: pd.Timestamp, fingerprint: str, labels: pd.DataFrame) -> str:
    entries = [book_bibtex(as_of, fingerprint)]
    for slug, title in chapter_titles(labels).items():
        entries.append(chapter_bibtex(slug, title, as_of))
    return "\n\n".join(entries) + "\n"


def fenced(code: str, language: str = "bibtex") -> str:
    fence = "````" if "```" in code else "```"
    return f"{fence}{language}\n{code}\n{fence}"


def _links_table(labels: pd.DataFrame) -> str:
    header = prose.labels(TEMPLATE, "section_links_columns")
    names = [escape_markdown(header[key]) for key in ("chapter", "section", "label", "link")]
    lines = ["| " + " | ".join(names) + " |", "| --- | --- | --- | --- |"]
    for row in labels.itertuples(index=False):
        lines.append(
            f"| {row.chapter} | {escape_markdown(row.heading)} | `{row.label}` | `{row.link}` |"
        )
    return "\n".join(lines)


def edition_substitutions(as_of: str, fingerprint: str, book_root: Path) -> dict[str, str]:
    """MyST substitutions the build adds for the "how to cite" page (always fresh: they are
    computed from the staged book at build time, not cached with any notebook)."""
    labels = section_labels(book_root)
    stamp = pd.Timestamp(as_of)
    return {
        "edition_bibtex": fenced(bibtex_file(stamp, fingerprint, labels)),
        "section_links": _links_table(labels),
    }
