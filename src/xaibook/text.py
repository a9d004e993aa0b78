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

import html
import re
import string
from urllib.parse import quote, urlsplit

import pandas as pd

ALLOWED_URL_SCHEMES = ("http", "https")
MISSING_VALUE_TEXT = "–"  # shown for empty cells; an en dash reads as "no value"

# CommonMark lets a backslash escape *any* ASCII punctuation, and the escaped character is always
# literal; escaping all of them (not a hand-picked list) also covers MyST's roles ``{..}``,
# substitutions ``{{..}}``, dollar math, colon fences, definition lists and table pipes.
_MARKDOWN_SPECIAL = frozenset(string.punctuation)
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def escape_markdown(text: object) -> str:
    """Markdown source that renders as the literal text of ``text``, on one line.

    Line breaks become spaces and the ends are stripped: a line break could start a heading, a
    list or a code block, and the parser strips a paragraph's ends anyway. NUL becomes U+FFFD, as
    the CommonMark parser would do.
    """
    one_line = _LINE_BREAKS.sub(" ", str(text)).replace("\0", "\ufffd").strip()
    return "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in one_line)


def safe_link(url: str, label: str) -> str:
    """A markdown link if ``url`` is http(s) with a host; otherwise just the escaped label.

    ``javascript:``, ``data:``, ``file:`` or relative URLs from the data never become links.
    """
    try:
        parts = urlsplit(str(url).strip())
    except ValueError:  # e.g. "http://[::1" (unbalanced IPv6 bracket)
        return escape_markdown(label)
    if parts.scheme.lower() not in ALLOWED_URL_SCHEMES or not parts.netloc:
        return escape_markdown(label)
    # Percent-encode everything but URL syntax, so no space, "<", ">", "\" or ")" can end the
    # link destination early; the <...> form then needs no further escaping.
    destination = quote(parts.geturl(), safe=":/?#[]@!$&'*+,;=%~-._")
    shown = escape_markdown(label) or escape_markdown(url)  # an empty label hides the link
    return f"[{shown}](<{destination}>)"


def _cell_text(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return MISSING_VALUE_TEXT
    return str(value)


def html_table(df: pd.DataFrame, *, caption: str | None = None) -> str:
    """An HTML table whose every header and cell shows its text literally.

    Written by hand rather than with ``DataFrame.to_html``: pandas rewrites tabs and line breaks
    in text as "\\t"/"\\n" and cuts long text to "..." under its display options. Cells are
    ``str(value)``, so chapters format numbers (units, rounding) before tabling. No ids, no
    uuids: the same frame always gives the same bytes.
    """
    rows = ['<table class="dataframe xaibook-table">']
    if caption is not None:
        rows.append(f"  <caption>{html.escape(caption)}</caption>")
    header = "".join(f"<th>{html.escape(str(column))}</th>" for column in df.columns)
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
            "text/plain": self.df.to_string(index=False),
        }
