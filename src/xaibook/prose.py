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
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup

from xaibook import formatting
from xaibook.text import escape_markdown

TEMPLATE_SUFFIX = ".md.j2"


class TemplateValueError(ValueError):
    """A template printed a value it may not print as it is (missing, or a bare float)."""


def template_file(notebook: Path) -> Path:
    """The text template beside a chapter's notebook: chapters/funding.ipynb -> funding.md.j2."""
    return Path(notebook).with_suffix(TEMPLATE_SUFFIX)


def _literal(value: object) -> object:
    """What ``{{ value }}`` prints: Markup as it is, any other value as escaped literal text."""
    if isinstance(value, Markup):
        return value
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
    return Markup(escape_markdown(value))


def _formatter(format_value: Callable[..., str]) -> Callable[..., Markup]:
    @functools.wraps(format_value)
    def filter_(value: object, *args: object, **kwargs: object) -> Markup:
        return Markup(escape_markdown(format_value(value, *args, **kwargs)))

    return filter_


def _cite(source_ids: object) -> Markup:
    """A parenthetical citation of one source id or a list of them ('' for none)."""
    from xaibook.chapter import cite  # the one place a citation's MyST is written

    if isinstance(source_ids, str) or not isinstance(source_ids, Iterable):
        source_ids = [source_ids]
    return Markup(cite(*source_ids))


def _lower_first(value: object) -> str:
    text = str(value)
    return text[:1].lower() + text[1:]


FILTERS: dict[str, Callable[..., object]] = {
    "usd_bn": _formatter(formatting.usd_bn),
    "megawatts": _formatter(formatting.megawatts),
    "h100e": _formatter(formatting.h100e),
    "percent": _formatter(formatting.percent),
    "ratio": _formatter(formatting.ratio),
    "count": _formatter(formatting.count),
    "months": _formatter(formatting.months),
    "date": _formatter(formatting.date),
    "qualifier": _formatter(formatting.qualifier_prefix),
    "cite": _cite,
    "lower_first": _lower_first,
}


@functools.cache
def environment(chapters_dir: Path) -> jinja2.Environment:
    """The Jinja2 environment that reads the templates in ``chapters_dir``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(chapters_dir),
        undefined=jinja2.StrictUndefined,
        finalize=_literal,
        autoescape=False,  # escaping is Markdown's, done by _literal, not HTML's
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(FILTERS)
    return env


def render(template: Path, macro: str, /, **values: object) -> str:
    """Markdown of macro ``macro`` of the template file ``template``, given ``values``."""
    template = Path(template).resolve()
    module = environment(template.parent).get_template(template.name).module
    passage = getattr(module, macro, None)
    if not isinstance(passage, jinja2.runtime.Macro):
        macros = [
            name for name in dir(module) if isinstance(getattr(module, name), jinja2.runtime.Macro)
        ]
        raise jinja2.TemplateError(
            f"{template} has no macro {macro!r}; it has: {', '.join(macros) or 'none'}"
        )
    return str(passage(**values)).strip()
