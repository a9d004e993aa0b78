"""The sentences that change with the data, written in Markdown templates beside the chapters.

A chapter's wording lives in ``chapters/<slug>.md.j2`` (Jinja2), one macro per passage the
notebook glues; Python computes the values and passes them in, the template chooses the words::

    {% macro latest_round(round) -%}
    **xAI's latest round raised {{ round.amount | usd_bn(round.amount_qualifier) }}**
    ({{ round.date | date(round.date_precision) }}) {{ round.source_ids | cite }}.
    {%- endmacro %}

and the notebook calls ``ch.text("funding-latest", "latest_round", round=...)``.

What keeps a writer's edit safe:

- every value a template prints is escaped as literal text (a name from the data cannot add a
  link or a heading); the filters below return MyST that is safe already;
- a template that names a value the chapter did not pass, prints a missing value, or prints a
  bare float (a number must go through a filter, which decides its precision and unit) stops
  the build with the template's name and line;
- the rendered passage is one paragraph or list as written; blank lines in the template are kept.

A macro can also give plain text (``render_text``): a chart title, an axis title, a table cell,
where Markdown escapes would show. It is one line, cannot cite, and checks values the same way.

Fixed words with no values in them (axis titles, tooltip titles, table headers, a chart's
description for screen readers) are set once at the top of the template and read with
``labels``::

    {% set rounds_columns = {"date": "Date", "name": "Round", "amount": "Raised (USD bn)"} %}
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup

from xaibook import formatting, paths
from xaibook.text import escape_markdown


class TemplateValueError(ValueError):
    """A template printed a value it may not print as it is (missing, or a bare float)."""


template_file = paths.text_template  # where a chapter's template is (one place for paths)


def _checked(value: object) -> object:
    """``value`` if a template may print it as it is; TemplateValueError otherwise."""
    if isinstance(value, bool) or formatting.is_missing(value):
        raise TemplateValueError(
            f"a template printed {value!r}; test for it with {{% if %}} or pass text instead"
        )
    if isinstance(value, float):
        raise TemplateValueError(
            f"a template printed the bare number {value!r}; print numbers through a filter "
            "(usd_bn, megawatts, h100e, percent, ratio, count, months)"
        )
    if isinstance(value, dt.date):  # pandas' Timestamp too
        raise TemplateValueError(
            f"a template printed the bare date {value!r}; print dates through the date filter"
        )
    return value


def _escaped(text: str) -> Markup:
    """Markdown that shows ``text`` literally, keeping a space at either end ("more than ")."""
    before = " " if text[:1].isspace() else ""
    after = " " if text[-1:].isspace() and text.strip() else ""
    return Markup(before + escape_markdown(text) + after)


def _markdown_literal(value: object) -> Markup:
    """What ``{{ value }}`` prints in Markdown: Markup as it is, else escaped literal text."""
    if isinstance(value, Markup):
        return value
    return _escaped(str(_checked(value)))


def _plain_literal(value: object) -> str:
    """What ``{{ value }}`` prints in plain text (a chart title, an axis, a table cell)."""
    return str(_checked(value))


def _join_and(items: Iterable[object], literal: Callable[[object], object]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    parts = [str(literal(item)) for item in items]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _cite(source_ids: object) -> Markup:
    """A parenthetical citation of one source id or a list of them ('' for none)."""
    from xaibook.chapter import cite  # the one place a citation's MyST is written

    if isinstance(source_ids, str) or not isinstance(source_ids, Iterable):
        source_ids = [source_ids]
    return Markup(cite(*source_ids))


def _no_citation(source_ids: object) -> str:
    raise TemplateValueError(
        "a citation in plain text (a chart title, an axis, a table cell) would show as code; "
        "cite in the figure's sources line or in the text instead"
    )


def ordinal(value: object) -> str:
    """A rank as a reader says it: 1 -> '1st', 12 -> '12th', 22 -> '22nd', 1001 -> '1,001st'."""
    number = round(formatting.printable(value))
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number:,}{suffix}"


def _lower_first(value: object) -> str:
    text = str(value)
    return text[:1].lower() + text[1:]


def number(value: object, digits: int = 1) -> str:
    """A number without a unit, at most ``digits`` decimals: 1.238 -> '1.24' (digits=2)."""
    if formatting.is_missing(value):
        return formatting.MISSING
    return formatting._trim(formatting.printable(value), digits)


FORMATTERS: dict[str, Callable[..., str]] = {
    "usd_bn": formatting.usd_bn,
    "usd": formatting.usd,
    "megawatts": formatting.megawatts,
    "h100e": formatting.h100e,
    "percent": formatting.percent,
    "ratio": formatting.ratio,
    "count": formatting.count,
    "number": number,
    "months": formatting.months,
    "date": formatting.date,
    "on_date": formatting.on_date,
    "qualifier": formatting.qualifier_prefix,
    "ordinal": ordinal,
}


def _filters(literal: Callable[[object], object], markdown: bool) -> dict[str, Callable]:
    """The filters of one environment: formatters whose output is printed as ``literal`` does."""

    def formatter(format_value: Callable[..., str]) -> Callable[..., object]:
        @functools.wraps(format_value)
        def filter_(value: object, *args: object, **kwargs: object) -> object:
            text = format_value(value, *args, **kwargs)
            return _escaped(text) if markdown else text

        return filter_

    filters: dict[str, Callable] = {name: formatter(f) for name, f in FORMATTERS.items()}
    filters["join_and"] = lambda items: (Markup if markdown else str)(_join_and(items, literal))
    filters["cite"] = _cite if markdown else _no_citation
    filters["lower_first"] = _lower_first

    def qualified(value: object, qualifier: object) -> object:
        """A figure already formatted (and escaped) with its qualifier's words on both sides:
        'about 47× or more'."""
        if not markdown:
            return formatting.qualified(str(value), qualifier)
        before, after = (
            formatting.qualifier_prefix(qualifier),
            formatting.qualifier_suffix(qualifier),
        )
        return _escaped(before) + value + _escaped(after)

    filters["qualified"] = qualified
    return filters


@functools.cache
def environment(chapters_dir: Path, *, markdown: bool = True) -> jinja2.Environment:
    """The Jinja2 environment that reads the templates in ``chapters_dir``: for Markdown
    passages, or (``markdown=False``) for plain text such as chart titles and table cells."""
    literal = _markdown_literal if markdown else _plain_literal
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(chapters_dir),
        undefined=jinja2.StrictUndefined,
        finalize=literal,
        # Markdown's escaping is done by the finalizer; autoescape only makes a macro's output
        # Markup, so a passage may print another macro without escaping it twice
        autoescape=markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(_filters(literal, markdown))
    return env


def _macro(template: Path, macro: str, markdown: bool) -> jinja2.runtime.Macro:
    template = Path(template).resolve()
    module = environment(template.parent, markdown=markdown).get_template(template.name).module
    passage = getattr(module, macro, None)
    if not isinstance(passage, jinja2.runtime.Macro):
        macros = [
            name for name in dir(module) if isinstance(getattr(module, name), jinja2.runtime.Macro)
        ]
        raise jinja2.TemplateError(
            f"{template} has no macro {macro!r}; it has: {', '.join(macros) or 'none'}"
        )
    return passage


Words = str | dict[str, "Words"] | list["Words"]


def _words(value: object, where: str) -> Words:
    """``value`` if it is text, or a dict or list of text; TemplateValueError otherwise."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {str(key): _words(item, f"{where}[{key!r}]") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_words(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise TemplateValueError(
        f"{where} is {type(value).__name__} {value!r}: labels are text, or a dict or list of text"
    )


def labels(template: Path, name: str) -> Words:
    """Fixed words the template sets with ``{% set name = ... %}`` (axis and tooltip titles,
    table headers, chart descriptions): a string, or a dict or list of strings, each with its
    white space collapsed to single spaces. A fresh copy each call, so a caller may change it."""
    template = Path(template).resolve()
    module = environment(template.parent, markdown=False).get_template(template.name).module
    value = getattr(module, name, None)
    if name.startswith("_") or value is None or isinstance(value, jinja2.runtime.Macro):
        defined = [
            key
            for key in dir(module)
            if not key.startswith("_")
            and not isinstance(getattr(module, key), jinja2.runtime.Macro)
        ]
        raise jinja2.TemplateError(
            f"{template} sets no labels {name!r}; it sets: {', '.join(defined) or 'none'}"
        )
    return _words(value, f"{template.name}: {name}")


def render(template: Path, macro: str, /, **values: object) -> str:
    """Markdown of macro ``macro`` of the template file ``template``, given ``values``."""
    return str(_macro(template, macro, markdown=True)(**values)).strip()


def render_text(template: Path, macro: str, /, **values: object) -> str:
    """Plain text (one line) of macro ``macro``: a chart title, an axis title, a table cell."""
    return " ".join(str(_macro(template, macro, markdown=False)(**values)).split())
