"""references.bib: the keys every ``source_id`` must resolve to, and what the book shows of them."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pybtex.database
import pybtex.errors
from pybtex.plugin import find_plugin
from pybtex.scanner import PybtexSyntaxError

from xaibook.data.problems import Problem, display_path

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
    note: str  # for readers: the bibliography page shows it
    curation: str = ""  # `annote`: the curators' own record (seed file, keys); not shown


def _field(entry: pybtex.database.Entry, *names: str) -> str:
    for name in names:
        if name in entry.fields:
            return _plain(str(entry.fields[name]))
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
            curation=_field(entry, "annote"),
        )
    return sources, []


# The bibliography page's labels (sphinxcontrib-bibtex's default pybtex style, "alpha") end in
# the year's two digits, then a letter when an author has several entries that year:
# "HuJiameng26b". xaibook.sphinx_ext prints that letter after the year in the text's citations.
BIBLIOGRAPHY_STYLE = "alpha"
_LABEL_LETTER = re.compile(r"\d{2}([a-z]+)$")


def _plain(text: str) -> str:
    return text.replace("{", "").replace("}", "").strip()


def _citation_authors(entry: pybtex.database.Entry) -> str:
    """The author part of an author-year citation: last names, as sphinxcontrib-bibtex's
    author-year style writes them ("A", "A and B", "A et al.")."""
    people = entry.persons.get("author", [])
    names = [_plain(" ".join(person.last_names)) or _plain(str(person)) for person in people]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al."


def citation_labels(path: Path, as_of: dt.date | None = None) -> dict[str, str]:
    """How the text cites each entry ("胡珈萌 (Hu Jiameng), 2026b"), for table cells and chart
    captions to name a source exactly as the sentences beside them do.

    The letters come from the pybtex style that labels the bibliography page, run over the
    entries an edition lists (with ``as_of``, those ``write_published_by`` keeps): an edition
    that holds one of an author's two works that year cites it without a letter, as its
    bibliography does. An unreadable file gives no labels (validation reports it).
    """
    try:
        data = pybtex.database.parse_string(Path(path).read_text(encoding="utf-8"), "bibtex")
    except (OSError, UnicodeDecodeError, PybtexSyntaxError, pybtex.database.PybtexError):
        return {}
    entries = {
        key: entry
        for key, entry in data.entries.items()
        if as_of is None
        or (published := _date(_field(entry, "date"))) is None
        or published <= as_of
    }
    style = find_plugin("pybtex.style.formatting", BIBLIOGRAPHY_STYLE)()
    formatted = style.format_bibliography(pybtex.database.BibliographyData(entries))
    labels = {}
    for item in formatted.entries:
        entry = entries[item.key]
        who = _citation_authors(entry) or _field(entry, "title")
        letter = _LABEL_LETTER.search(item.label or "")
        year = _field(entry, "year") + (letter.group(1) if letter else "")
        labels[item.key] = f"{who}, {year}" if year else who
    return labels


# A copy that is a summary says so first in its note ("An English summary ... of ...")
SUMMARY_NOTE = re.compile(r"^\s*an?\s+(?:\w+\s+)?summary\b", re.IGNORECASE)


def is_summary(source: Source) -> bool:
    """Whether the book holds ``source`` as a summary of an article, not the article itself."""
    return bool(SUMMARY_NOTE.match(source.note or ""))


def snapshot_date(source: Source) -> dt.date | None:
    """When the copy of a data set we hold was taken: its download date, else its date."""
    return source.accessed or source.published


ENTRY_START = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


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
    # the kept entries as written, not re-serialised: pybtex would escape the escapes the
    # entries already hold ("ai\\_companies" shown to readers as "ai\\\\_companies")
    text = Path(source).read_text(encoding="utf-8")
    starts = [m.start() for m in ENTRY_START.finditer(text)] + [len(text)]
    blocks = [text[: starts[0]]]
    for start, end in itertools.pairwise(starts):
        key = ENTRY_START.match(text, start).group(1)
        if key not in later:
            blocks.append(text[start:end])
    target.write_text("".join(blocks), encoding="utf-8")
    return later
