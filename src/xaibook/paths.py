"""Every path the project uses, defined once.

The repository root is found from this file, so the package works from any working directory
(papermill runs kernels in the caller's directory, not the notebook's).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent

DATA_DIR = REPO_ROOT / "data"
EPOCH_DIR_NAME = "epoch"  # third-party Epoch AI exports live in DATA_DIR / "epoch"
CHAPTERS_DIR = REPO_ROOT / "chapters"
# A build points its kernels at its own copy of the bibliography (xaibook.build.snapshot._Snapshot).
BIBLIOGRAPHY_FILE_ENV = "XAIBOOK_BIBLIOGRAPHY_FILE"
BIBLIOGRAPHY_FILE = Path(os.environ.get(BIBLIOGRAPHY_FILE_ENV) or REPO_ROOT / "references.bib")
BOOK_CONFIG_FILE = REPO_ROOT / "_config.yml"
BOOK_TOC_FILE = REPO_ROOT / "_toc.yml"
DEFAULT_OUT_DIR = REPO_ROOT / "_build"
# The execution cache lives beside the published output, never inside it, so publishing a new
# edition cannot delete it and `make clean` can.
CACHE_DIR = REPO_ROOT / ".cache" / "xaibook"
CACHE_DIR_ENV = "XAIBOOK_CACHE_DIR"  # tests and the bench point builds at a private cache


@contextmanager
def bibliography_file_as(path: Path) -> Iterator[None]:
    """Read ``path`` as references.bib meanwhile (the build validates its copy of the data)."""
    global BIBLIOGRAPHY_FILE
    previous, BIBLIOGRAPHY_FILE = BIBLIOGRAPHY_FILE, Path(path)
    try:
        yield
    finally:
        BIBLIOGRAPHY_FILE = previous


def cache_dir() -> Path:
    """Where caches live for this process: $XAIBOOK_CACHE_DIR, else CACHE_DIR."""
    return Path(os.environ.get(CACHE_DIR_ENV) or CACHE_DIR)


def environment_data_dir() -> Path:
    """Files made once per Python environment (they depend on installed packages only).

    ``make setup`` fills it; it sits inside the environment (``sys.prefix``), so a new venv
    starts without them and ``make clean`` (the build caches) leaves them.
    """
    return Path(sys.prefix) / "share" / "xaibook"


# The charts' offline JavaScript, made by xaibook.charts; must match sphinx.config.html_js_files
# in _config.yml. Named here so a build that finds it made needs no Altair import.
VEGA_BUNDLE_FILE_NAME = "vega-bundle.js"
CHARTS_MODULE_FILE = PACKAGE_DIR / "charts.py"  # the bundle is made again when it changes
TEXT_TEMPLATE_SUFFIX = ".md.j2"  # a chapter's sentences (xaibook.prose), beside its notebook
# the words every chapter shares ("no data" notices, sources lines)
SHARED_TEXT_TEMPLATE = CHAPTERS_DIR / f"shared{TEXT_TEMPLATE_SUFFIX}"


def text_template(notebook: Path) -> Path:
    """The text template beside a chapter's notebook: chapters/funding.ipynb -> funding.md.j2."""
    return Path(notebook).with_suffix(TEXT_TEMPLATE_SUFFIX)


def epoch_dir(data_dir: Path) -> Path:
    """Folder of the Epoch AI exports inside a data folder."""
    return Path(data_dir) / EPOCH_DIR_NAME
