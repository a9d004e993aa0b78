"""A tiny fake book (two short notebooks) that the real build pipeline builds in seconds."""

from __future__ import annotations

import contextlib
import io
import shutil
from argparse import Namespace
from pathlib import Path

import nbformat
import pytest

from xaibook import cli, publish
from xaibook.build import run_build
from xaibook.chapters import Chapter

CONFIG = """\
title: Fake book
author: Tests
only_build_toc_files: true
execute:
  execute_notebooks: "off"
parse:
  myst_enable_extensions: [colon_fence]
sphinx:
  config:
    nb_remove_code_source: true  # like the real book: readers see outputs, not code
"""
TOC = """\
format: jb-book
root: intro
chapters:
  - file: chapters/alpha
  - file: chapters/beta
"""
INTRO = "# Fake book\n\n{{ edition_stamp }}\n\n{{ edition_parameters }}\n"
ALPHA_CODE = """\
import sys
from pathlib import Path
rows = len(Path(data_dir, "companies.csv").read_text().splitlines()) - 1
Path("downloads/alpha").mkdir(parents=True, exist_ok=True)
Path("downloads/alpha/companies.csv").write_text(f"rows\\n{rows}\\n")
print("a warning for authors", file=sys.stderr)
print("\\x1b[31mcoloured\\x1b[0m", as_of, rows)
"""
# A chapter's files for readers live in downloads/<slug>/ and are linked from its prose.
ALPHA_PROSE = "{download}`the rows <downloads/alpha/companies.csv>`"
# The fake chapters are not in the real registry: tests hand them to run_build.
FAKE_CHAPTERS = (
    Chapter("alpha", "chapters/alpha.ipynb", ("companies",), ("as_of", "data_dir")),
    Chapter("beta", "chapters/beta.ipynb", ("sites",), ("as_of",)),
)


def write_notebook(
    path: Path,
    title: str,
    parameters: str,
    *code_cells: str,
    prose: str = "",
    tables: tuple[str, ...] = ("companies",),
) -> None:
    """A chapter: a title with the edition stamp, a `parameters` cell, then ``code_cells``; its
    metadata declares the ``tables`` it reads, as a real chapter's does."""
    notebook = nbformat.v4.new_notebook()
    parameters_cell = nbformat.v4.new_code_cell(parameters)
    parameters_cell.metadata["tags"] = ["parameters"]
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\nEdition: {{{{ edition_stamp }}}}\n\n{prose}"),
        parameters_cell,
        *(nbformat.v4.new_code_cell(code) for code in code_cells),
    ]
    notebook.metadata["xaibook"] = {"tables": list(tables)}
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def make_fake_book(root: Path) -> tuple[Path, Path]:
    """(book root, data folder) of a two-chapter book."""
    book, data = root / "book", root / "data"
    (book / "chapters").mkdir(parents=True)
    data.mkdir()
    (book / "_config.yml").write_text(CONFIG)
    (book / "_toc.yml").write_text(TOC)
    (book / "intro.md").write_text(INTRO)
    (book / "references.bib").write_text("@misc{fake, title={Fake}}\n")
    (data / "companies.csv").write_text("company_id\nxai\nopenai\n")
    (data / "sites.csv").write_text("site_id\ncolossus\n")
    write_notebook(
        book / "chapters" / "alpha.ipynb", "Alpha",
        "as_of = '2020-01-01'\ndata_dir = '.'", ALPHA_CODE, prose=ALPHA_PROSE,
    )  # fmt: skip
    write_notebook(
        book / "chapters" / "beta.ipynb", "Beta", "as_of = '2020-01-01'", "print(6 * 7)",
        tables=("sites",),
    )  # fmt: skip
    return book, data


class FakeBuild:
    """A fake book plus its own cache; ``build()`` runs the real pipeline in this process."""

    def __init__(self, root: Path):
        self.root = root
        self.book, self.data = make_fake_book(root)
        self.cache = root / "cache"

    def args(self, out: Path, *options: str) -> Namespace:
        return cli.build_parser().parse_args(
            ["build", "--data", str(self.data), "--out", str(out), *options]
        )

    def build(self, out: Path, *options: str, book=None, chapters=FAKE_CHAPTERS) -> str:
        """Build into ``out``; returns what the build printed. Raises what run_build raises."""
        printed = io.StringIO()
        with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(printed):
            # the fake data folder is not the real dataset: the real validator would refuse it
            patch.setattr("xaibook.data.validate.collect_problems", lambda data_dir: [])
            try:
                run_build(
                    self.args(out, *options),
                    book_root=book or self.book,
                    chapters=chapters,
                    cache_dir=self.cache,
                )
            finally:
                self.last_output = printed.getvalue()
        return self.last_output


def copy_book(fake: FakeBuild, target: Path) -> Path:
    """A copy of the fake book, to break one chapter without touching the shared one."""
    shutil.copytree(fake.book, target)
    return target


def staging_dirs(out: Path) -> list[Path]:
    return list(out.glob(f"{publish.STAGING_PREFIX}*"))
