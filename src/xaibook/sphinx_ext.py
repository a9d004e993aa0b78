"""The book's own Sphinx extension (named in ``_config.yml``): safe links and text from data on
every page and in the PDF, and rendering speed-ups.

Safety. The bibliography page is written by sphinxcontrib-bibtex from ``references.bib``: a
``url`` field becomes a link whatever its scheme, so ``javascript:`` or ``data:`` would run
script when clicked, and a bidirectional override in a title reverses the text after it. A
post-transform on the finished document tree, the one tree both the HTML and the LaTeX writers
read, turns every outside link that is not http(s) into its plain text and drops bidirectional
controls from all text (``xaibook.text`` does the same for what a chapter glues as raw HTML).

Speed. sphinxcontrib-bibtex asks pybtex for its plain-text backend once per citation, and pybtex
answers by scanning the entry points of every installed package: about 20 ms a lookup, so half
of a ten-second render for the book's few hundred citations. Registering the very class pybtex
finds, through its public ``register_plugin``, makes every later lookup a dict read; the output
is unchanged.

Citations. sphinxcontrib-bibtex's author-year references print "Hu, 2026" for each of two works
Hu published in 2026, while the bibliography's labels tell them apart (HuJiameng26a,
HuJiameng26b). The style ``xaibook_author_year`` (``bibtex_reference_style`` in ``_config.yml``)
is author-year with the label's letter after the year, so the text says "Hu, 2026a" and
"Hu, 2026b" and each citation names one work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes
from pybtex.richtext import Text
from pybtex.style.template import Node
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinxcontrib.bibtex import plugin as bibtex_plugins
from sphinxcontrib.bibtex.style import template
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

from xaibook.text import BIDI_CONTROLS, is_link_url, strip_bidi_controls

LOGGER = logging.getLogger(__name__)
# (plugin group, name) pairs looked up per citation
PER_CITATION_PLUGINS = (("pybtex.backends", "plaintext"),)
REFERENCE_STYLE_GROUP = "sphinxcontrib.bibtex.style.referencing"
REFERENCE_STYLE_NAME = "xaibook_author_year"
# pybtex's alpha labels end in the year's two digits, then a letter only when an author has
# several entries that year: "HuJiameng26a".
_LABEL_YEAR_LETTER = re.compile(r"\d{2}([a-z]+)$")


def unlink_unsafe_references(tree: nodes.Node) -> list[str]:
    """Replace each outside link whose URL is not http(s) by its text; return those URLs.

    Links inside the book (Sphinx marks them ``internal``) and ``#anchor`` links stay.
    """
    unlinked = []
    for reference in list(tree.findall(nodes.reference)):
        uri = reference.get("refuri")
        if uri is None or reference.get("internal") or uri.startswith("#") or is_link_url(uri):
            continue
        unlinked.append(uri)
        reference.replace_self(nodes.inline("", "", *reference.children))
    return unlinked


def _has_bidi(text: str) -> bool:
    return any(char in BIDI_CONTROLS for char in text)


def strip_bidi_text(tree: nodes.Node) -> None:
    """Drop bidirectional controls from every text node and text attribute of ``tree``
    (a citation's tooltip, ``reftitle``, holds the whole bibliography entry)."""
    for text in list(tree.findall(nodes.Text)):
        if _has_bidi(text):
            text.parent.replace(text, nodes.Text(strip_bidi_controls(str(text))))
    for element in tree.findall(nodes.Element):
        for name, value in element.attributes.items():
            if isinstance(value, str) and _has_bidi(value):
                element[name] = strip_bidi_controls(value)


class SafeLinksAndText(SphinxPostTransform):
    # after sphinxcontrib-bibtex (5) and reference resolution (10) have made their links
    default_priority = 900

    def run(self, **_kwargs) -> None:
        for uri in unlink_unsafe_references(self.document):
            # info, not a warning: the page is safe as built, and -W must not stop the book
            LOGGER.info("xaibook: shown as text, not a link (not http/https): %r", uri)
        strip_bidi_text(self.document)


@template.node
def year_with_label_letter(children, data) -> Text:
    """The entry's year, with the letter its bibliography label adds (2026a), if any."""
    assert not children
    year = template.year.format_data(data)
    letter = _LABEL_YEAR_LETTER.search(data["formatted_entry"].label or "")
    return Text(year, letter.group(1)) if letter else year


def _with_year_letters(node: object) -> object:
    """A copy of a reference template with each year node replaced by the lettered year."""
    if node is template.year:
        return year_with_label_letter
    if not isinstance(node, Node):
        return node
    copy = node._clone()  # pybtex's own copy of a node with its arguments
    copy.children = [_with_year_letters(child) for child in node.children]
    return copy


@dataclass
class LetteredAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """Author-year references whose year carries the bibliography label's letter."""

    def inner(self, role_name: str) -> Node:
        return _with_year_letters(super().inner(role_name))


def setup(app) -> dict:
    from pybtex.plugin import find_plugin, register_plugin

    for group, name in PER_CITATION_PLUGINS:
        register_plugin(group, name, find_plugin(group, name), force=True)
    bibtex_plugins.register_plugin(
        REFERENCE_STYLE_GROUP, REFERENCE_STYLE_NAME, LetteredAuthorYearReferenceStyle
    )
    app.add_post_transform(SafeLinksAndText)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
