"""xaibook.sphinx_ext on a small Sphinx project with a hostile references.bib: no link from the
bibliography or the text is anything but http(s), in HTML and in LaTeX; no bidirectional
control reaches either. (The real book loads the same extension through _config.yml.)"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.application import Sphinx

from xaibook.data.bibliography import citation_labels
from xaibook.text import BIDI_CONTROLS

HOSTILE_BIB = r"""
@misc{evil,
  title = {Grok ‮7$ noillib},
  author = {Mallory},
  year = {2026},
  url = {javascript:alert(document.cookie)}
}
@misc{data,
  title = {Data URL},
  author = {Mallory},
  year = {2025},
  url = {data:text/html,<script>alert(1)</script>}
}
@misc{tabbed,
  title = {Tabbed},
  author = {Mallory},
  year = {2025},
  url = {java	script:alert(2)}
}
@misc{good,
  title = {Good},
  author = {Alice},
  year = {2025},
  url = {https://example.com/report},
  doi = {10.1000/xyz}
}
"""
INDEX_RST = """
Test
====

Cited :cite:p:`evil,good`; an authored link `click <vbscript:msgbox(1)>`_ and a good one
`home <https://example.com/>`_.

.. bibliography::
   :all:
"""
UNSAFE_SCHEME = re.compile(r"(?:java\s*script|vbscript|data):", re.IGNORECASE)


def build(
    tmp_path: Path, builder: str, index: str = INDEX_RST, reference_style: str = "author_year"
) -> Path:
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    (source / "references.bib").write_text(HOSTILE_BIB, encoding="utf-8")
    (source / "index.rst").write_text(index, encoding="utf-8")
    (source / "conf.py").write_text(
        "extensions = ['sphinxcontrib.bibtex', 'xaibook.sphinx_ext']\n"
        "bibtex_bibfiles = ['references.bib']\n"
        f"bibtex_reference_style = {reference_style!r}\n"
        "latex_documents = [('index', 'book.tex', 'Test', 'A', 'manual')]\n",
        encoding="utf-8",
    )
    out = tmp_path / builder
    app = Sphinx(source, source, out, tmp_path / "doctrees" / builder, builder, status=None)
    app.build()
    return out


def test_html_links_are_http_only_and_text_has_no_bidi_controls(tmp_path):
    page = (build(tmp_path, "html") / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [href for href in hrefs if UNSAFE_SCHEME.search(href)], hrefs
    assert "https://example.com/report" in hrefs and "https://doi.org/10.1000/xyz" in hrefs
    assert "https://example.com/" in hrefs  # authored http links stay links
    assert "javascript:alert(document.cookie)" in page  # shown as text, not dropped
    assert not set(page) & BIDI_CONTROLS
    assert "Grok 7$ noillib" in page


def test_latex_links_are_http_only(tmp_path):
    tex = (build(tmp_path, "latex") / "book.tex").read_text(encoding="utf-8")
    links = re.findall(r"\\(?:sphinx)?(?:href|url)\{([^}]*)\}", tex)
    assert links and not [link for link in links if UNSAFE_SCHEME.search(link)], links
    assert not set(tex) & BIDI_CONTROLS


CITING_INDEX = (
    "Cited :cite:p:`evil`, :cite:p:`data`, :cite:p:`tabbed` and :cite:p:`good`.\n\n"
    ".. bibliography::\n   :all:\n"
)


def cited_in_text(tmp_path: Path) -> tuple[list[str], str]:
    """The four works' citations as the built page prints them (in citing order), and the
    page's text."""
    html = build(tmp_path, "html", CITING_INDEX, "xaibook_author_year") / "index.html"
    text = re.sub(r"<[^>]+>", "", html.read_text(encoding="utf-8"))
    cited = re.findall(r"\w+, 20\d\d[a-z]?", text.split("Cited", 1)[1].split(".", 1)[0])
    return cited, text


def test_the_books_citations_tell_apart_works_of_one_author_and_year(tmp_path):
    # Mallory has three entries (2026, 2025, 2025), Alice one: the bibliography labels the two of
    # 2025 Mal25a and Mal25b, and the text must name each as its label does.
    cited, text = cited_in_text(tmp_path)
    assert sorted(cited) == ["Alice, 2025", "Mallory, 2025a", "Mallory, 2025b", "Mallory, 2026"]
    # the letter is the one the bibliography's label gives the same work ("Data URL", which
    # the bibliography's style writes in sentence case)
    data_label = re.search(r"Mal25([ab])\]\s*Mallory\. Data url", text)
    assert data_label and cited[1] == f"Mallory, 2025{data_label.group(1)}", (cited, text)


def test_tables_name_a_work_as_the_texts_citations_do(tmp_path):
    # table cells and chart captions name sources with bibliography.citation_labels: the same
    # words and letter the text's citation of the same work prints
    cited, _ = cited_in_text(tmp_path)
    labels = citation_labels(tmp_path / "src" / "references.bib")
    assert [labels[key] for key in ("evil", "data", "tabbed", "good")] == cited


def test_an_edition_that_holds_one_of_two_works_cites_it_without_a_letter(tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@misc{first, title={A}, author={{Epoch AI}}, year={2025}, date={2025-03-01}}\n"
        "@misc{second, title={B}, author={{Epoch AI}}, year={2025}, date={2025-09-01}}\n",
        encoding="utf-8",
    )
    assert citation_labels(bib) == {"first": "Epoch AI, 2025a", "second": "Epoch AI, 2025b"}
    # as of June 2025 the bibliography lists only the first work, and labels it without a letter
    assert citation_labels(bib, dt.date(2025, 6, 30)) == {"first": "Epoch AI, 2025"}
    assert citation_labels(tmp_path / "missing.bib") == {}


@pytest.mark.parametrize(
    ("uri", "internal", "kept"),
    [
        ("https://example.com", False, True),
        ("chapters/funding.html#x", True, True),
        ("#anchor", False, True),
        ("javascript:alert(1)", False, False),
        ("mailto:a@b.c", False, False),
        ("file:///etc/passwd", False, False),
    ],
)
def test_unlink_unsafe_references(uri, internal, kept):
    from xaibook.sphinx_ext import unlink_unsafe_references

    paragraph = nodes.paragraph("", "", nodes.reference("", "label", refuri=uri, internal=internal))
    assert unlink_unsafe_references(paragraph) == ([] if kept else [uri])
    assert bool(list(paragraph.findall(nodes.reference))) == kept
    assert paragraph.astext() == "label"
