"""The chapter registry: which notebooks the build executes, what each reads and receives.

``tables`` is what the execution cache hashes: a chapter is re-executed when one of its tables
changes and only then, so a chapter that reads a table must list it here (a missing entry
means a stale chapter after that table changes). The parameters a chapter receives are declared
in ``xaibook.params`` (``Parameter.chapters``); they are looked up here, not repeated.

Chapters write files for readers (CSV downloads) only under ``downloads/<slug>/`` next to the
notebook (``downloads_dir(slug)``): the cache saves and restores exactly that folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xaibook.params import parameters_for
from xaibook.tables import ALL_TABLES

DOWNLOADS_DIR_NAME = "downloads"


@dataclass(frozen=True)
class Chapter:
    slug: str
    notebook_path: str  # relative to the book root, as listed (without suffix) in _toc.yml
    tables: tuple[str, ...]  # logical names from xaibook.tables
    parameters: tuple[str, ...]  # names from xaibook.params
    # chapters whose text this one quotes: their text templates are part of its cache key
    quotes: tuple[str, ...] = ()


def _chapter(slug: str, tables: tuple[str, ...]) -> Chapter:
    return Chapter(slug, f"chapters/{slug}.ipynb", tables, parameters_for(slug))


CHAPTERS: tuple[Chapter, ...] = (
    _chapter(
        "funding",
        ("companies", "funding_rounds", "investments", "valuations", "company_metrics",
         "epoch_funding_rounds", "bibliography"),
    ),
    _chapter(
        "competition",
        ("companies", "valuations", "company_metrics", "competitors", "epoch_funding_rounds",
         "epoch_revenue_reports", "bibliography"),
    ),
    _chapter(
        "infrastructure",
        ("companies", "sites", "company_metrics", "epoch_data_centers",
         "epoch_data_center_timelines", "epoch_gpu_clusters", "bibliography"),
    ),
    _chapter(
        "risk",
        ("companies", "company_metrics", "funding_rounds", "valuations", "risks", "timeline",
         "competitors", "investments", "sites", "epoch_funding_rounds", "epoch_revenue_reports",
         "epoch_compute_spend", "bibliography"),
    ),
    _chapter("methods", ALL_TABLES),  # the data & methods chapter describes every table
    # the introduction quotes each chapter's lead finding, so it reads what they all read
    Chapter(
        "intro", "intro.ipynb", ALL_TABLES, parameters_for("intro"),
        quotes=("funding", "competition", "infrastructure", "risk"),
    ),
)  # fmt: skip

CHAPTERS_BY_SLUG: dict[str, Chapter] = {chapter.slug: chapter for chapter in CHAPTERS}


def downloads_dir(slug: str) -> Path:
    """Folder (relative to the notebook, the kernel's working directory) for a chapter's files.

    In a chapter: ``table.to_csv(downloads_dir("funding") / "rounds.csv")``; in its markdown:
    ``{download}`the rounds (CSV) <downloads/funding/rounds.csv>` ``.
    """
    folder = Path(DOWNLOADS_DIR_NAME) / slug
    folder.mkdir(parents=True, exist_ok=True)
    return folder
