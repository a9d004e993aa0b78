"""Text from the data, made safe to place in the book.

Company names, source titles and notes come from CSV files that anyone can edit. Glued into
MyST markdown they would otherwise be *parsed*: a name with ``*`` turns italic, ``{cite}`x```
becomes a citation, ``<script>`` becomes raw HTML. Everything here makes such text render as
exactly the characters it holds.

Chapter use::

    glue("largest_backer", Markdown(escape_markdown(name)), display=False)   # {glue:md}`...`
    glue("tbl-sites", Table(sites_df, caption="Sites"), display=False)        # ```{glue:} ...
"""

from __future__ import annotations

import csv
import html
import re
import string
from urllib.parse import quote, urlsplit

import pandas as pd

ALLOWED_URL_SCHEMES = ("http", "https")
MISSING_VALUE_TEXT = "–"  # shown for empty cells; an en dash reads as "no value"

# Bidirectional embeddings, overrides, isolates and marks. One in a name ("\u202e") reverses
# the text after it on the page, so a reader sees other words than the data holds. The book's
# text is left-to-right (English, Chinese): nothing it shows needs them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))

# Cells that a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# CommonMark lets a backslash escape *any* ASCII punctuation, and the escaped character is always
# literal; escaping all of them (not a hand-picked list) also covers MyST's roles ``{..}``,
# substitutions ``{{..}}``, dollar math, colon fences, definition lists and table pipes.
_MARKDOWN_SPECIAL = frozenset(string.punctuation)
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidirectional control characters (see ``BIDI_CONTROLS``)."""
    return text.translate(_BIDI_TABLE)


def escape_markdown(text: object) -> str:
    """Markdown source that renders as the literal text of ``text``, on one line.

    Line breaks become spaces and the ends are stripped: a line break could start a heading, a
    list or a code block, and the parser strips a paragraph's ends anyway. NUL becomes U+FFFD, as
    the CommonMark parser would do. Bidirectional controls are dropped.
    """
    one_line = _LINE_BREAKS.sub(" ", strip_bidi_controls(str(text))).replace("\0", "\ufffd").strip()
    return "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in one_line)


# What a browser drops before it reads a URL's scheme (WHATWG URL standard): C0 controls and
# spaces at the ends, tabs and line breaks anywhere ("java\tscript:" runs as "javascript:").
_URL_END_JUNK = "".join(map(chr, range(0x21)))
_URL_INNER_JUNK = re.compile("[\t\n\r]")


def is_link_url(url: object) -> bool:
    """Whether ``url`` may become a link: an http(s) URL with a host, as a browser reads it.

    ``javascript:``, ``data:``, ``file:``, scheme-relative or relative URLs are not.
    """
    text = _URL_INNER_JUNK.sub("", str(url).strip(_URL_END_JUNK))
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "http://[::1" (unbalanced IPv6 bracket)
        return False
    return parts.scheme.lower() in ALLOWED_URL_SCHEMES and bool(parts.netloc)


def safe_link(url: str, label: str) -> str:
    """A markdown link if ``url`` is http(s) with a host; otherwise just the escaped label.

    ``javascript:``, ``data:``, ``file:`` or relative URLs from the data never become links.
    """
    if not is_link_url(url):
        return escape_markdown(label)
    parts = urlsplit(_URL_INNER_JUNK.sub("", str(url).strip(_URL_END_JUNK)))
    # Percent-encode everything but URL syntax, so no space, "<", ">", "\" or ")" can end the
    # link destination early; the <...> form then needs no further escaping.
    destination = quote(parts.geturl(), safe=":/?#[]@!$&'*+,;=%~-._")
    shown = escape_markdown(label) or escape_markdown(url)  # an empty label hides the link
    return f"[{shown}](<{destination}>)"


def _cell_text(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return MISSING_VALUE_TEXT
    return strip_bidi_controls(str(value))


def html_table(df: pd.DataFrame, *, caption: str | None = None) -> str:
    """An HTML table whose every header and cell shows its text literally.

    Written by hand rather than with ``DataFrame.to_html``: pandas rewrites tabs and line breaks
    in text as "\\t"/"\\n" and cuts long text to "..." under its display options. Cells are
    ``str(value)``, so chapters format numbers (units, rounding) before tabling. No ids, no
    uuids: the same frame always gives the same bytes.
    """
    rows = ['<table class="dataframe xaibook-table">']
    if caption is not None:
        rows.append(f"  <caption>{html.escape(strip_bidi_controls(caption))}</caption>")
    header = "".join(f"<th>{html.escape(_cell_text(column))}</th>" for column in df.columns)
    rows += ["  <thead>", f"    <tr>{header}</tr>", "  </thead>", "  <tbody>"]
    for row in df.itertuples(index=False):
        cells = "".join(f"<td>{html.escape(_cell_text(value))}</td>" for value in row)
        rows.append(f"    <tr>{cells}</tr>")
    rows += ["  </tbody>", "</table>"]
    return "\n".join(rows)


def markdown_table(df: pd.DataFrame, *, caption: str | None = None) -> str:
    """A GFM pipe table of escaped cells: what the PDF build renders (it cannot use HTML).

    The caption, if any, is a paragraph above the table.
    """
    header = [escape_markdown(column) or " " for column in df.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(escape_markdown(_cell_text(v)) or " " for v in row) + " |")
    table = "\n".join(lines)
    return f"{escape_markdown(caption)}\n\n{table}" if caption else table


class Table:
    """A data frame to glue: HTML for the web book, a markdown table for the PDF.

    myst-nb picks text/html for HTML builders and text/markdown for LaTeX, which has no HTML.
    """

    def __init__(self, df: pd.DataFrame, *, caption: str | None = None):
        self.df = df
        self.caption = caption

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {
            "text/html": html_table(self.df, caption=self.caption),
            "text/markdown": markdown_table(self.df, caption=self.caption),
            "text/plain": without_bidi_controls(self.df).to_string(index=False),
        }


# Every CSV the project writes for readers (chart and table downloads, ``xaibook facts``) -----


def _safe_csv_cell(value: object) -> object:
    if not isinstance(value, str):
        return value  # numbers stay numbers: -5 in a numeric column is data, not a formula
    text = strip_bidi_controls(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _map_text_cells(data: pd.DataFrame, convert) -> pd.DataFrame:
    converted = data.copy()
    for column in converted.columns:
        values = converted[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            converted[column] = values.astype(object).map(convert)
    converted.columns = [convert(column) for column in converted.columns]
    return converted


def _without_bidi_cell(value: object) -> object:
    return strip_bidi_controls(value) if isinstance(value, str) else value


def without_bidi_controls(data: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``data`` whose text cells and headers hold no bidirectional controls."""
    return _map_text_cells(data, _without_bidi_cell)


def csv_safe_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``data`` fit for a spreadsheet: text cells lose bidirectional controls, and
    text a spreadsheet would run as a formula starts with ``'``; headers likewise."""
    return _map_text_cells(data, _safe_csv_cell)


def to_safe_csv(data: pd.DataFrame) -> str:
    """``data`` as CSV text through ``csv_safe_frame``; the same frame gives the same bytes.

    Every text cell is quoted: with "\\n" line ends the csv module would leave a lone "\\r" in
    a cell unquoted, and spreadsheets split the row there.
    """
    return csv_safe_frame(data).to_csv(
        index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
    )
