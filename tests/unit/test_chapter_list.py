"""The chapter list comes from _toc.yml, and what each chapter reads from its notebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xaibook import paths
from xaibook.chapters import CHAPTERS, ChapterListError, read_chapters
from xaibook.data.tables import ALL_TABLES


def book(tmp_path: Path, toc: str, notebooks: dict[str, object]) -> Path:
    (tmp_path / "_toc.yml").write_text(toc, encoding="utf-8")
    for name, declaration in notebooks.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata = {} if declaration is None else {"xaibook": declaration}
        path.write_text(json.dumps({"cells": [], "metadata": metadata}), encoding="utf-8")
    return tmp_path


TOC = """format: jb-book
root: intro
parts:
  - caption: Chapters
    chapters:
      - file: chapters/beta
      - file: chapters/alpha
        sections:
          - file: chapters/alpha-more
      - file: chapters/about
"""


def test_the_chapters_are_the_notebooks_the_toc_lists_in_its_order(tmp_path):
    root = book(
        tmp_path,
        TOC,
        {
            "intro.ipynb": {"tables": "all", "quotes": ["alpha"]},
            "chapters/beta.ipynb": {"tables": ["sites"]},
            "chapters/alpha.ipynb": {"tables": ["companies", "funding_rounds"]},
            "chapters/alpha-more.ipynb": {"tables": []},
        },
    )
    (root / "chapters/about.md").write_text("# About\n", encoding="utf-8")  # a page, not a chapter
    (root / "chapters/unlisted.ipynb").write_text("{}", encoding="utf-8")  # not in the toc
    chapters = read_chapters(root)
    assert [c.slug for c in chapters] == ["intro", "beta", "alpha", "alpha-more"]
    assert chapters[0].tables == ALL_TABLES and chapters[0].quotes == ("alpha",)
    assert chapters[2].notebook_path == "chapters/alpha.ipynb"
    assert chapters[2].tables == ("companies", "funding_rounds")


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        (None, r"chapters/beta\.ipynb .*declare the tables it reads"),
        ({"quotes": []}, r"chapters/beta\.ipynb .*declare the tables it reads"),
        ({"tables": ["sites", "sitez"]}, r"chapters/beta\.ipynb: unknown tables sitez"),
        ({"tables": "sites"}, r"chapters/beta\.ipynb: .*tables must be a list"),
        ({"tables": [], "quotes": ["gamma"]}, r"unknown quotes gamma"),
    ],
)
def test_a_notebook_in_the_toc_that_does_not_declare_what_it_reads_is_named(
    tmp_path, declaration, message
):
    root = book(tmp_path, "root: chapters/beta\n", {"chapters/beta.ipynb": declaration})
    with pytest.raises(ChapterListError, match=message):
        read_chapters(root)


def test_an_unreadable_toc_or_notebook_is_named(tmp_path):
    with pytest.raises(ChapterListError, match=r"_toc\.yml"):
        read_chapters(tmp_path)
    (tmp_path / "_toc.yml").write_text("root: intro\n", encoding="utf-8")
    (tmp_path / "intro.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(ChapterListError, match=r"intro\.ipynb .*not a readable notebook"):
        read_chapters(tmp_path)


def test_the_books_chapters_are_its_toc_notebooks():
    toc = (paths.REPO_ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed = [c.notebook_path.removesuffix(".ipynb") for c in CHAPTERS]
    assert all(page in toc for page in listed)
    assert {"funding", "competition", "infrastructure", "risk", "methods", "intro"} == {
        c.slug for c in CHAPTERS
    }
