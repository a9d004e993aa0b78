"""references.bib: the keys every ``source_id`` must resolve to, and what the book shows of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pybtex.database
import pybtex.errors
from pybtex.scanner import PybtexSyntaxError

from xaibook.problems import Problem, display_path

pybtex.errors.set_strict_mode(True)  # a repeated key is an error, not a printed warning


@dataclass(frozen=True)
class Source:
    """What the book shows of a bibliography entry."""

    key: str
    title: str
    publisher: str
    published: dt.date | None  # `date` field (YYYY-MM-DD)
    accessed: dt.date | None  # `urldate`: for a data set, the day the copy we hold was downloaded
    url: str
    note: str


def _field(entry: pybtex.database.Entry, *names: str) -> str:
    for name in names:
        if name in entry.fields:
            return str(entry.fields[name]).replace("{", "").replace("}", "").strip()
    return ""


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def read_bibliography(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    """Sources by key, or the problems that prevent reading the file."""
    name = display_path(path)
    if not Path(path).is_file():
        return {}, [
            Problem(
                file=name,
                message="bibliography file is missing",
                expected="references.bib with one entry per source_id",
            )
        ]
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return {}, [
            Problem(
                file=name, message=f"undecodable bytes at byte {error.start}", expected="UTF-8 text"
            )
        ]
    try:
        data = pybtex.database.parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        return {}, [
            Problem(
                file=name,
                line=getattr(error, "lineno", None),
                message=f"BibTeX syntax error: {error.error_type}",
                expected="well-formed BibTeX entries",
            )
        ]
    except pybtex.database.BibliographyDataError as error:
        return {}, [Problem(file=name, message=str(error), expected="unique entry keys")]
    sources = {}
    for key, entry in data.entries.items():
        sources[key] = Source(
            key=key,
            title=_field(entry, "title"),
            publisher=_field(entry, "publisher", "organization", "howpublished"),
            published=_date(_field(entry, "date")),
            accessed=_date(_field(entry, "urldate")),
            url=_field(entry, "url"),
            note=_field(entry, "note"),
        )
    return sources, []


def snapshot_date(source: Source) -> dt.date | None:
    """When the copy of a data set we hold was taken: its download date, else its date."""
    return source.accessed or source.published


def write_published_by(source: Path, as_of: dt.date, target: Path) -> list[str]:
    """Write to ``target`` the entries of ``source`` published by ``as_of`` (and those with no
    date), for the book's bibliography: an edition as of a date lists no source published
    after it. Returns the keys left out. ``source`` must be readable (the build validated it)."""
    sources, problems = read_bibliography(source)
    if problems:
        raise ValueError(f"{display_path(source)}: {problems[0].message}")
    later = [key for key, s in sources.items() if s.published is not None and s.published > as_of]
    if not later:
        target.write_bytes(Path(source).read_bytes())  # byte for byte, as the chapters read it
        return []
    data = pybtex.database.parse_string(Path(source).read_text(encoding="utf-8"), "bibtex")
    kept = pybtex.database.BibliographyData(
        {key: entry for key, entry in data.entries.items() if key not in later}
    )
    target.write_text(kept.to_string("bibtex"), encoding="utf-8")
    return later
