"""xaibook.text: any string from the data renders as exactly that text in MyST and in HTML.

The renderer under test is the real one: myst-parser's markdown-it setup, with the book's MyST
extensions plus the risky ones we do not enable (dollarmath, amsmath...), so the escaping keeps
holding if the configuration grows.
"""

from __future__ import annotations

import string
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import example, given, settings, strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from xaibook.text import (
    BIDI_CONTROLS,
    Table,
    escape_markdown,
    html_table,
    is_link_url,
    markdown_table,
    safe_link,
    strip_bidi_controls,
)

BOOK_EXTENSIONS = {"colon_fence", "deflist", "substitution"}  # as in _config.yml
RISKY_EXTENSIONS = {
    "dollarmath",
    "amsmath",
    "fieldlist",
    "tasklist",
    "strikethrough",
    "attrs_inline",
    "attrs_block",
}
PARSERS = {
    "book": create_md_parser(MdParserConfig(enable_extensions=BOOK_EXTENSIONS), RendererHTML),
    "risky": create_md_parser(
        MdParserConfig(enable_extensions=BOOK_EXTENSIONS | RISKY_EXTENSIONS), RendererHTML
    ),
}
NASTY_EXAMPLES = [
    "<script>alert(1)</script>",
    "{cite}`smith2020`",
    "{{ edition_stamp }}",
    "$x^2$ and $$y$$",
    "*not italic* _nor this_ **nor bold**",
    "[link](javascript:alert(1))",
    "<http://example.com>",
    "# heading",
    "- list item",
    "1. numbered",
    "> quote",
    "    indented code",
    ":::{note}\nfenced\n:::",
    "```{code-cell}\nprint(1)\n```",
    "term\n: definition",
    "a | b | c",
    "&amp; &lt;b&gt; &#x3C;",
    "trailing backslash \\",
    "![img](x.png)",
    "(a)[b]{c}",
    "---",
    "中文 <b>粗体</b>",
    "xAI\r\nline two\rthree",
    "\0nul",
    "Grok \u202e7$ noillib",  # a right-to-left override would show "billion $7" reversed
    "\u2066isolate\u2069 \u202aembed\u202c \u200fmark\u200e \u061c",
]
# Any text but surrogates (not encodable), plus text dense in markdown syntax, which random
# Unicode rarely produces ("{cite}`", "$x$", "<b>", "1. ", "\n#").
any_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.text(
        st.sampled_from([*string.punctuation, " ", "\n", "\r", "\t", "a", "1", "中"]), max_size=40
    ),
    st.text(st.sampled_from([*BIDI_CONTROLS, "a", "$", " ", "\n"]), max_size=20),
)


def expected_text(text: str) -> str:
    """What a reader should see: one line, ends stripped, NUL as U+FFFD (CommonMark rule),
    no bidirectional controls (they would reorder the text around them)."""
    text = "".join(char for char in text if char not in BIDI_CONTROLS)
    return (
        " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        .replace("\0", "\ufffd")
        .strip()
    )


def inline_children(markdown: str, parser: str) -> list:
    tokens = PARSERS[parser].parse(markdown)
    inlines = [token for token in tokens if token.type == "inline"]
    return [child for token in inlines for child in token.children or []]


class _ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("td", "th"):
            self._in_cell, self.text = True, []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cells.append("".join(self.text))
            self._in_cell = False

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html: str) -> _ElementCollector:
    collector = _ElementCollector()
    collector.feed(html)
    collector.close()
    return collector


def assert_renders_literally(text: str, parser: str) -> None:
    escaped = escape_markdown(text)
    children = inline_children(escaped, parser)
    # Only plain text tokens: no role, math, html, link, emphasis, substitution...
    assert {child.type for child in children} <= {"text"}, (text, children)
    assert "".join(child.content for child in children) == expected_text(text)
    html = PARSERS[parser].render(escaped)
    assert set(parse_html(html).tags) <= {"p"}, (text, html)


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("text", NASTY_EXAMPLES)
def test_known_attacks_render_literally(parser, text):
    assert_renders_literally(text, parser)


@pytest.mark.parametrize("parser", sorted(PARSERS))
@settings(max_examples=500, deadline=None)
@given(text=any_text)
@example(text="")
def test_any_text_renders_literally(parser, text):
    assert_renders_literally(text, parser)


@settings(max_examples=200, deadline=None)
@given(text=any_text)
def test_escaped_text_stays_literal_inside_a_sentence(text):
    # Glued inline ({glue:md}`name`): the prose around the text must stay intact too.
    sentence = f"The company {escape_markdown(text)} raised *US$ 6 bn*."
    children = inline_children(sentence, "book")
    types = [child.type for child in children]
    assert types == ["text", "em_open", "text", "em_close", "text"], (text, types)
    assert children[0].content == f"The company {expected_text(text)} raised "


def test_escape_markdown_accepts_non_strings():
    assert escape_markdown(3.5) == "3\\.5"
    assert escape_markdown(None) == "None"


@settings(max_examples=200, deadline=None)
@given(label=any_text, path=any_text)
@example(label="<b>x</b>", path=") [evil](javascript:alert(1)")
def test_safe_link_keeps_http_links_and_literal_labels(label, path):
    url = f"https://example.com/{path}"
    markdown = safe_link(url, label)
    children = inline_children(markdown, "book")
    types = [child.type for child in children]
    assert types[0] == "link_open" and types[-1] == "link_close", markdown
    assert set(types[1:-1]) <= {"text"}
    assert children[0].attrs["href"].startswith("https://example.com/")
    shown = "".join(c.content for c in children[1:-1])
    assert shown == (expected_text(label) or expected_text(url))  # an empty label shows the URL


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<b>",
        "file:///etc/passwd",
        "vbscript:x",
        "//example.com/x",
        "/relative",
        "https://",
        "http://[::1",
        "mailto:a@b.c",
        # what a browser strips before reading the scheme: the result would run script
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "\x00 data:text/html,<script>alert(1)</script>",
        "https:alert(1)",
    ],
)
def test_safe_link_refuses_other_urls(url):
    assert not is_link_url(url)
    markdown = safe_link(url, "label <b>")
    assert markdown == escape_markdown("label <b>")
    assert {child.type for child in inline_children(markdown, "book")} == {"text"}


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(any_text, min_size=1, max_size=4, unique=True),
    values=st.lists(any_text, min_size=1, max_size=4),
    caption=st.none() | any_text,
)
def test_html_table_shows_every_cell_literally(names, values, caption):
    df = pd.DataFrame({name: values for name in names})
    html = html_table(df, caption=caption)
    assert html == html_table(df.copy(), caption=caption)  # deterministic
    collected = parse_html(html)
    assert set(collected.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "caption"}
    assert "id=" not in html
    expected_cells = [str(n) for n in names] + [str(v) for v in values for _ in names]
    assert collected.cells == [strip_bidi_controls(cell) for cell in expected_cells]
    assert not set(html) & BIDI_CONTROLS


def test_html_table_does_not_truncate_long_text():
    long_name = "x" * 500
    assert long_name in html_table(pd.DataFrame({"name": [long_name]}))


def test_html_table_shows_missing_values_as_a_dash():
    html = html_table(pd.DataFrame({"a": [None, 1.0], "b": ["x", None]}))
    assert parse_html(html).cells == ["a", "b", "–", "x", "1.0", "–"]


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(any_text, min_size=1, max_size=4))
def test_markdown_table_cells_render_literally(cells):
    df = pd.DataFrame({"company": cells, "note | pipe": cells})
    tokens = PARSERS["book"].parse(markdown_table(df))
    assert [t.type for t in tokens if t.type == "table_open"] == ["table_open"]
    inline_cells = ["".join(c.content for c in t.children) for t in tokens if t.type == "inline"]
    assert all(c.type == "text" for t in tokens if t.type == "inline" for c in t.children)
    expected = ["company", "note | pipe"] + [expected_text(c) for c in cells for _ in range(2)]
    assert inline_cells == expected


def test_table_glues_html_and_markdown():
    df = pd.DataFrame({"company": ["<b>x</b>"]})
    bundle = Table(df, caption="Cap")._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
    assert "<caption>Cap</caption>" in bundle["text/html"]
    assert bundle["text/markdown"].startswith("Cap\n\n| company |")


@given(text=any_text)
def test_no_bidi_control_reaches_a_page_or_table(text):
    df = pd.DataFrame({text: [text]})
    outputs = [
        escape_markdown(text),
        html_table(df, caption=text),
        markdown_table(df, caption=text),
        *Table(df)._repr_mimebundle_().values(),
    ]
    for output in outputs:
        assert not set(output) & BIDI_CONTROLS, output
