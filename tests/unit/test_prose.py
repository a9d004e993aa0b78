"""Chapter text templates (xaibook.prose): what a writer may put in one, and what stops a build."""

from __future__ import annotations

import jinja2
import pandas as pd
import pytest

from xaibook import prose
from xaibook.cache import chapter_key


def template(tmp_path, text: str):
    path = tmp_path / "chapter.md.j2"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_passage_prints_values_through_filters_and_cites_its_sources(tmp_path):
    path = template(
        tmp_path,
        "{% macro latest(round) -%}\n"
        "**{{ round.name }} raised {{ round.amount | usd_bn(round.qualifier) }}**\n"
        "({{ round.date | date('month') }}) {{ round.sources | cite }}.\n"
        "{%- endmacro %}\n",
    )
    latest = {
        "name": "Series E",
        "amount": 20.0,
        "qualifier": "more_than",
        "date": pd.Timestamp("2026-01-06"),
        "sources": ["xai2026seriese", "reuters2026"],
    }
    assert prose.render(path, "latest", round=latest) == (
        "**Series E raised more than \\$20 billion**\n"
        "(January 2026) {cite:p}`xai2026seriese,reuters2026`."
    )


@pytest.mark.parametrize(
    "hostile",
    ["[click](javascript:alert(1))", "# Heading", "{{ edition_stamp }}", "a\nb", "$x$", "<b>"],
)
def test_text_from_the_data_is_printed_as_literal_text(tmp_path, hostile):
    path = template(tmp_path, "{% macro name(x) %}Name: {{ x }}{% endmacro %}")
    rendered = prose.render(path, "name", x=hostile)
    assert "\n" not in rendered
    for char in "[]()#{}$<>":
        assert char not in rendered.replace("\\" + char, "")


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        (None, "printed None"),
        (float("nan"), "printed nan"),
        (pd.NA, "printed <NA>"),
        (True, "printed True"),
        (12.3456, "bare number"),
        (pd.Timestamp("2026-01-06"), "bare date"),
    ],
)
def test_a_value_that_cannot_be_printed_as_it_is_stops_the_build(tmp_path, value, complaint):
    path = template(tmp_path, "{% macro show(x) %}It is {{ x }}.{% endmacro %}")
    with pytest.raises(prose.TemplateValueError, match=complaint):
        prose.render(path, "show", x=value)


def test_a_value_the_chapter_did_not_pass_is_named(tmp_path):
    path = template(tmp_path, "{% macro show(x) %}{{ x.total | usd_bn }}{% endmacro %}")
    with pytest.raises(jinja2.UndefinedError, match="total"):
        prose.render(path, "show", x={})
    with pytest.raises(TypeError, match="takes no keyword argument 'y'"):
        prose.render(path, "show", x={"total": 1.0}, y=2)


def test_a_missing_macro_names_the_template_and_its_macros(tmp_path):
    path = template(tmp_path, "{% macro one() %}1{% endmacro %}{% macro two() %}2{% endmacro %}")
    with pytest.raises(
        jinja2.TemplateError,
        match=r"chapter\.md\.j2 has no macro 'three'; it "
        r"has: one, two",
    ):
        prose.render(path, "three")


def test_an_edited_template_is_read_again(tmp_path):
    path = template(tmp_path, "{% macro show() %}before{% endmacro %}")
    assert prose.render(path, "show") == "before"
    path.write_text("{% macro show() %}after, a longer text{% endmacro %}")
    assert prose.render(path, "show") == "after, a longer text"


def test_editing_a_chapters_template_changes_its_cache_key(tmp_path):
    notebook = tmp_path / "funding.ipynb"
    notebook.write_text('{"cells": []}')
    key = lambda: chapter_key("funding", notebook, {}, [], tmp_path)  # noqa: E731
    without = key()
    text = prose.template_file(notebook)
    assert text == tmp_path / "funding.md.j2"
    text.write_text("{% macro a() %}one{% endmacro %}")
    first = key()
    text.write_text("{% macro a() %}two{% endmacro %}")
    assert len({without, first, key()}) == 3


def test_plain_text_for_titles_and_cells_is_one_line_without_markdown_escapes(tmp_path):
    path = template(
        tmp_path,
        "{% macro title(r) %}\nxAI raised {{ r.total | usd_bn }}\nfrom {{ r.names | join_and }}\n"
        "{% endmacro %}",
    )
    values = {"total": 42.0, "names": ["Nvidia", "A*B [fund]", "SpaceX"]}
    assert prose.render_text(path, "title", r=values) == (
        "xAI raised $42 billion from Nvidia, A*B [fund] and SpaceX"
    )
    assert prose.render(path, "title", r=values) == (
        "xAI raised \\$42 billion\nfrom Nvidia, A\\*B \\[fund\\] and SpaceX"
    )


@pytest.mark.parametrize(("names", "joined"), [([], ""), (["a"], "a"), (["a", "b"], "a and b")])
def test_a_list_reads_as_a_sentence_does(tmp_path, names, joined):
    path = template(tmp_path, "{% macro names(x) %}{{ x | join_and }}{% endmacro %}")
    assert prose.render_text(path, "names", x=names) == joined


def test_plain_text_cannot_cite_or_print_a_missing_value(tmp_path):
    path = template(tmp_path, "{% macro t(x) %}{{ x.source | cite }}{{ x.value }}{% endmacro %}")
    with pytest.raises(prose.TemplateValueError, match="citation in plain text"):
        prose.render_text(path, "t", x={"source": "paper2026", "value": "v"})
    other = template(tmp_path, "{% macro t(x) %}{{ x }}{% endmacro %}")
    with pytest.raises(prose.TemplateValueError, match="printed None"):
        prose.render_text(other, "t", x=None)


def test_the_introductions_key_covers_the_templates_of_the_chapters_it_quotes(tmp_path):
    from xaibook.analysis import intro
    from xaibook.chapters import CHAPTERS_BY_SLUG

    quoted = {name for name in ("funding", "competition", "infrastructure", "risk")
              if hasattr(intro, name)}  # fmt: skip
    assert set(CHAPTERS_BY_SLUG["intro"].quotes) == quoted
    notebook = tmp_path / "intro.ipynb"
    notebook.write_text('{"cells": []}')
    quoted_template = tmp_path / "funding.md.j2"
    quoted_template.write_text("{% macro a() %}one{% endmacro %}")
    key = lambda: chapter_key(  # noqa: E731
        "intro",
        notebook,
        {},
        [],
        tmp_path,
        templates=[prose.template_file(notebook), quoted_template],
    )
    before = key()
    quoted_template.write_text("{% macro a() %}two{% endmacro %}")
    assert key() != before


@pytest.mark.parametrize(
    ("rank", "said"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (13, "13th"),
        (22, "22nd"),
        (111, "111th"),
        (1001, "1,001st"),
    ],
)
def test_a_rank_reads_as_an_ordinal(tmp_path, rank, said):
    path = template(tmp_path, "{% macro r(n) %}ranks {{ n | ordinal }}{% endmacro %}")
    assert prose.render_text(path, "r", n=rank) == f"ranks {said}"


def test_a_qualifier_keeps_its_space_and_a_macro_prints_inside_another_unescaped(tmp_path):
    path = template(
        tmp_path,
        "{% macro amount(v) %}{{ v.q | qualifier }}{{ v.x | usd_bn }}{% endmacro %}"
        "{% macro line(v) %}*{{ amount(v) }}* for {{ v.name }}{% endmacro %}",
    )
    values = {"q": "more_than", "x": 72.0, "name": "A*B"}
    assert prose.render(path, "line", v=values) == "*more than \\$72 billion* for A\\*B"
    assert prose.render_text(path, "line", v=values) == "*more than $72 billion* for A*B"


def test_a_number_without_a_unit_keeps_the_decimals_asked_for(tmp_path):
    path = template(
        tmp_path, "{% macro n(x) %}{{ x | number(2) }} / {{ x | number }}{% endmacro %}"
    )
    assert prose.render_text(path, "n", x=1.238) == "1.24 / 1.2"
    assert prose.render_text(path, "n", x=3.0) == "3 / 3"
    assert prose.render(path, "n", x=1234.5) == "1\\,234\\.5 / 1\\,234\\.5"


def test_labels_are_the_words_a_template_sets_and_a_missing_one_is_named(tmp_path):
    path = template(
        tmp_path,
        '{% set columns = {"amount": "Raised\n  (USD bn)", "kinds": ["Equity", "Debt"]} %}\n'
        '{% set title = "Rounds" %}\n'
        "{% macro passage() %}x{% endmacro %}\n"
        '{% set counted = {"n": 3} %}\n',
    )
    assert prose.labels(path, "columns") == {
        "amount": "Raised (USD bn)",
        "kinds": ["Equity", "Debt"],
    }
    assert prose.labels(path, "title") == "Rounds"
    prose.labels(path, "columns")["amount"] = "changed by a caller"
    assert prose.labels(path, "columns")["amount"] == "Raised (USD bn)"
    with pytest.raises(jinja2.TemplateError, match="sets: columns, counted, title"):
        prose.labels(path, "passage")
    with pytest.raises(jinja2.TemplateError, match="no labels 'colums'"):
        prose.labels(path, "colums")
    with pytest.raises(prose.TemplateValueError, match=r"counted\['n'\] is int"):
        prose.labels(path, "counted")
