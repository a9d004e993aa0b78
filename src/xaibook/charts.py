"""The one place that decides how every chart in the book looks and how it reaches the reader.

A chapter calls ``use_book_theme_and_renderer(output_format)`` once, builds charts with
``chart`` (its words from the chapter's template) and places them with ``glue_chart``.

Why a custom renderer: Altair's default HTML loads vega from a CDN (the book must work offline),
and its ``inline`` template pastes a 0.9 MB bundle into every output whose top-level ``const _``
collides with Sphinx's own scripts. Instead the bundle is written once to ``_static/`` by
``write_vega_bundle`` and every chart output is a small ``<div>`` plus a ``vegaEmbed`` call.
The PDF (LaTeX) build cannot run JavaScript, so it gets a PNG rendered by vl-convert.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import cycle
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from xaibook import paths
from xaibook.text import strip_bidi_controls, to_safe_csv

OUTPUT_FORMATS = ("html", "pdf", "all")
VL_VERSION = "v6_4"  # vl-convert panics on "6"; "v6_4" is what we measured (TOOLCHAIN.md)
# vl-convert 1.9 calls the keyword ``scale`` (TOOLCHAIN.md's ``scale_factor`` raises TypeError
# here); 2 turns a 640 px chart into a 1280 px PNG, sharp in print.
PNG_SCALE = 2
THEME_NAME = "xaibook"
RENDERER_NAME = "xaibook"
BUNDLE_FILE_NAME = paths.VEGA_BUNDLE_FILE_NAME
CHART_ID_PREFIX = "xaibook-chart-"

CHART_WIDTH_PX = 640
CHART_HEIGHT_PX = 360
DATE_AXIS_FORMAT = "%b %Y"  # "Jun 2025"
DAY_FORMAT = "%d %b %Y"  # "03 Jun 2025": the exact date, where a tooltip gives it
BAR_BAND_PX = 28  # height of one category row when categories run down the y axis
# System fonts only (no web fonts: the book is offline). The first one installed wins; the CJK
# entries let vl-convert's PNGs draw Chinese names instead of empty boxes.
FONT_FAMILY = "'DejaVu Sans', 'Noto Sans', 'Noto Sans CJK SC', Helvetica, Arial, sans-serif"
HIGHLIGHT_COLOR = "#d55e00"  # xAI (Okabe-Ito vermillion: distinct for colour-blind readers)
MUTED_COLOR = "#a7b0ba"  # everything that is not the highlight
CATEGORY_COLORS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#f0e442", "#000000")
TEXT_COLOR = "#333333"  # values written on a chart, beside a bar or above a point
REFERENCE_COLOR = "#000000"  # a mark to measure the data against: a target, a threshold
LIGHT_TINT = 0.6  # how far ``tint`` mixes a colour with white: marks of what is not (yet) so
# Each company's colour in every chapter, by the name the charts show (companies.csv): xAI is
# the highlight; a company not listed takes a spare category colour (``company_color_scale``).
COMPANY_COLORS = {
    "xAI": HIGHLIGHT_COLOR,
    "OpenAI": CATEGORY_COLORS[0],
    "Anthropic": CATEGORY_COLORS[1],
}

CHART_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

# Characters that could end the <script> element or start an HTML comment inside it, and the
# two line separators that older JavaScript engines reject inside string literals.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


# 1. Theme -------------------------------------------------------------------------------------


def _book_theme() -> alt.theme.ThemeConfig:
    label_size, title_size = 12, 13
    return {
        "config": {
            # The whole chart, labels and legend included, is CHART_WIDTH_PX wide, so it fits
            # the page column and the PDF text width the same way.
            "autosize": {"type": "fit-x", "contains": "padding"},
            "view": {
                "continuousWidth": CHART_WIDTH_PX,
                "continuousHeight": CHART_HEIGHT_PX,
                "stroke": None,
            },
            "font": FONT_FAMILY,
            "title": {
                "fontSize": 16,
                "anchor": "start",
                "subtitleFontSize": 12,
                "subtitleColor": "#4a5561",
                "offset": 12,
            },
            "axis": {
                "labelFontSize": label_size,
                "titleFontSize": title_size,
                "titleFontWeight": "normal",
                "gridColor": "#e3e7eb",
                "labelLimit": 200,
            },
            "legend": {
                "labelFontSize": label_size,
                "titleFontSize": title_size,
                "orient": "bottom",
            },
            "header": {"labelFontSize": label_size, "titleFontSize": title_size},
            "range": {"category": list(CATEGORY_COLORS)},
            "mark": {"color": CATEGORY_COLORS[0]},
            "bar": {"color": CATEGORY_COLORS[0]},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
        }
    }


# 2. Renderer ----------------------------------------------------------------------------------


def spec_to_script_json(spec: dict) -> str:
    """JSON that is safe to paste inside a <script> element, whatever text the data holds."""
    text = json.dumps(
        spec, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def chart_html(spec: dict) -> str:
    """A <div> plus a script that draws the chart with the shared vega bundle.

    The div id comes from a hash of the spec, so re-executing a chapter gives identical output.
    """
    # "$schema" is only a label, but it is an https URL: dropping it (vega-embed is told the mode
    # instead) keeps pages free of remote URLs, so a grep can prove the book is offline.
    spec_json = spec_to_script_json({k: v for k, v in spec.items() if k != "$schema"})
    div_id = CHART_ID_PREFIX + hashlib.sha256(spec_json.encode("utf-8")).hexdigest()[:16]
    return (
        f'<div id="{div_id}" class="xaibook-chart"></div>\n'
        f'<script type="text/javascript">\n{_EMBED_JS % {"id": div_id, "spec": spec_json}}</script>'
    )


# Sphinx loads vega-bundle.js synchronously in <head>, so vegaEmbed normally exists already. If
# a theme or config ever loads it later (defer, async, end of body), wait for the window "load"
# event, which fires after every such script; only then report a missing bundle.
_EMBED_JS = """(function () {
  var spec = %(spec)s;
  function embed(lastTry) {
    if (!window.vegaEmbed) {
      if (lastTry) { console.error("xaibook: vega-bundle.js did not load"); }
      return false;
    }
    window.vegaEmbed("#%(id)s", spec, {mode: "vega-lite", actions: false, renderer: "svg"})
      .catch(function (error) { console.error(error); });
    return true;
  }
  if (!embed(false)) {
    if (document.readyState === "complete") { embed(true); }
    else { window.addEventListener("load", function () { embed(true); }, {once: true}); }
  }
})();
"""


def _chart_png_base64(spec: dict) -> str:
    # allowed_base_urls=[]: the PNG may only use data inside the spec, never fetch any.
    png_bytes = vl_convert.vegalite_to_png(
        spec, vl_version=VL_VERSION, scale=PNG_SCALE, allowed_base_urls=[]
    )
    return base64.b64encode(png_bytes).decode("ascii")


def _without_bidi_controls(value: object) -> object:
    """The spec with bidirectional controls dropped from every string (names in the data,
    tooltips, titles): in an SVG or PNG label they reverse the text after them."""
    if isinstance(value, str):
        return strip_bidi_controls(value)
    if isinstance(value, dict):
        return {_without_bidi_controls(k): _without_bidi_controls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_bidi_controls(item) for item in value]
    return value


def _render_mimebundle(spec: dict, *, output_format: str, **_metadata) -> dict[str, str]:
    spec = _without_bidi_controls(spec)
    bundle = {
        "text/html": chart_html(spec),
        "text/plain": _alt_text(spec),
    }
    # PNG rendering takes ~0.5 s a chart: only the PDF build needs it.
    if output_format in ("pdf", "all"):
        bundle["image/png"] = _chart_png_base64(spec)
    return bundle


def _alt_text(spec: dict) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return str(spec.get("description") or title or "Chart")


def use_book_theme_and_renderer(output_format: str) -> None:
    """Make every chart built after this call use the book's theme, data handling and renderer.

    ``output_format`` is the build's: "html" (no PNG), "pdf" or "all" (PNG for LaTeX too).
    """
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"output_format must be one of {OUTPUT_FORMATS}, not {output_format!r}")
    alt.theme.register(THEME_NAME, enable=True)(_book_theme)
    # Data goes inline into the spec (no .json side files, nothing fetched by the browser).
    # No row limit: chapters aggregate before charting, and a limit that fires mid-build
    # would only break the book, not protect the reader.
    alt.data_transformers.enable("default", max_rows=None)
    alt.renderers.register(
        RENDERER_NAME, functools.partial(_render_mimebundle, output_format=output_format)
    )
    alt.renderers.enable(RENDERER_NAME)


# 3. Shared bundle -----------------------------------------------------------------------------


def vega_bundle_js() -> str:
    """vega + vega-lite + vega-embed, with ``window.vegaEmbed`` (and vega, vegaLite) defined.

    The IIFE keeps the bundle's top-level ``const`` names (e.g. ``_``) out of the page's global
    scope, where Sphinx's own scripts already declare them.
    """
    bundle = vl_convert.javascript_bundle(vl_version=VL_VERSION)
    return (
        f"/* vega-embed bundle from vl-convert {VL_VERSION} */\n(function () {{\n{bundle}\n}})();\n"
    )


def write_vega_bundle(static_dir: Path) -> Path:
    """Write the bundle to ``static_dir/vega-bundle.js``; leaves an identical file untouched."""
    static_dir = Path(static_dir)
    target = static_dir / BUNDLE_FILE_NAME
    content = vega_bundle_js().encode("utf-8")
    if target.exists() and target.read_bytes() == content:
        return target
    static_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{BUNDLE_FILE_NAME}.{os.getpid()}.tmp")  # one per process
    tmp.write_bytes(content)
    tmp.replace(target)  # atomic: a parallel reader never sees half a bundle
    return target


# 4. Glue + downloadable data ------------------------------------------------------------------


def write_chart_csv(data: pd.DataFrame, path: Path) -> Path:
    """Write the chart's rows for download, deterministically (same data, same bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = to_safe_csv(data)  # formulas neutralised, bidi controls dropped
    if not (path.exists() and path.read_text(encoding="utf-8") == text):
        path.write_text(text, encoding="utf-8", newline="")
    return path


def glue_chart(
    name: str,
    chart: alt.TopLevelMixin,
    data: pd.DataFrame,
    *,
    downloads_dir: Path = Path("downloads"),
) -> Path:
    """Glue ``chart`` under ``name`` and write ``data`` to ``downloads_dir/<name>.csv``.

    ``data`` must be the rows the chart draws, so readers can check every mark. The path is
    relative to the kernel's working directory, the chapters folder. In the book, pass
    ``downloads_dir=xaibook.chapters.downloads_dir(SLUG)`` (``downloads/<slug>/``): the build's
    execution cache saves and restores exactly that folder. The chapter's markdown links the
    file with {download}`data (CSV) <downloads/SLUG/NAME.csv>`.
    """
    from myst_nb import glue  # heavy import (Sphinx); only needed inside a chapter

    if not CHART_NAME_PATTERN.fullmatch(name):
        raise ValueError(f"chart name {name!r}: use letters, digits, '-' and '_' only")
    chart_data = getattr(chart, "data", None)
    if isinstance(chart_data, pd.DataFrame) and not chart_data.equals(data):
        raise ValueError(f"chart {name!r}: the data to download differs from the data charted")
    glue(name, chart, display=False)
    return write_chart_csv(data, Path(downloads_dir) / f"{name}.csv")


# 5. Chart helpers -----------------------------------------------------------------------------


def _field(shorthand: str, data: pd.DataFrame) -> tuple[str, str]:
    """(field name, Vega-Lite type) of an Altair shorthand such as "valuation_usd_bn:Q"."""
    parsed = alt.utils.parse_shorthand(shorthand, data)
    return parsed["field"], parsed.get("type", "nominal")


def _axis_for(shorthand: str, data: pd.DataFrame) -> object:
    # Vega's default time labels drop the year unless a tick falls on 1 January ("June,
    # October, February"): every date label names its year.
    if _field(shorthand, data)[1] == "temporal":
        return alt.Axis(format=DATE_AXIS_FORMAT)
    return alt.Undefined


def _highlight_field(data: pd.DataFrame, x: str, y: str, color: str | None) -> str:
    """The field whose value ``highlight`` names: the colour field, else the category axis."""
    if color:
        return _field(color, data)[0]
    for field, kind in (_field(x, data), _field(y, data)):
        if kind in ("nominal", "ordinal"):
            return field
    raise ValueError("highlight needs a colour field or a nominal axis")


def _require_text(**texts: str | None) -> None:
    for argument, text in texts.items():
        if not (text and text.strip()):
            raise ValueError(f"a book chart needs a non-empty {argument}")


def _word(words: Mapping[str, object], key: str, where: str = "words") -> object:
    """``words[key]``; a key the template does not set is a ValueError that names it and the
    keys it does set (a mistyped key must not become an empty title)."""
    if key not in words:
        raise ValueError(f"{where} has no {key!r}; it has {sorted(words)}")
    return words[key]


Tip = str | tuple[str, str]  # a field shorthand ("risk:N"), or (shorthand, d3 or date format)


def tooltips(
    data: pd.DataFrame, fields: Iterable[Tip], words: Mapping[str, object]
) -> list[alt.Tooltip]:
    """Tooltips for ``fields``, each titled ``words["tooltip"][field name]`` (the template's
    words). A date without a format of its own is shown as the date axis shows it."""
    titles = _word(words, "tooltip")
    result = []
    for tip in fields:
        shorthand, value_format = (tip, None) if isinstance(tip, str) else tip
        name, kind = _field(shorthand, data)
        if value_format is None and kind == "temporal":
            value_format = DATE_AXIS_FORMAT
        result.append(
            alt.Tooltip(
                shorthand,
                title=_word(titles, name, 'words["tooltip"]'),
                format=value_format or alt.Undefined,
            )
        )
    return result


# How each kind of chart draws a row: lines get a point on every observation (sparse data
# should not look continuous).
_MARKS = {
    "bar": lambda chart: chart.mark_bar(),
    "line": lambda chart: chart.mark_line(point=True),
    "point": lambda chart: chart.mark_point(),
}


def chart(
    mark: str,
    data: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    words: Mapping[str, object],
    color: str | None = None,
    highlight: str | None = None,
    tooltip: Sequence[Tip] | None = None,
    source: str | None = None,
) -> alt.Chart:
    """A book chart: ``mark`` "bar" (the category on ``y`` for horizontal bars with long
    names), "line" (with points) or "point", one per row.

    ``words`` is the template's labels for the chart: ``x``, ``y`` and ``description``, and
    ``tooltip`` (field name -> title) when ``tooltip`` lists fields (see ``tooltips``); without
    ``tooltip`` the tooltip shows the colour, x and y. ``highlight`` names the value (of
    ``color``, else of the category axis) drawn in ``HIGHLIGHT_COLOR``, all else muted.
    """
    if mark not in _MARKS:
        raise ValueError(f"mark must be one of {sorted(_MARKS)}, not {mark!r}")
    x_title, y_title, description = (_word(words, key) for key in ("x", "y", "description"))
    _require_text(title=title, x_title=x_title, y_title=y_title, description=description)
    encodings: dict[str, object] = {
        "x": alt.X(x, title=x_title, axis=_axis_for(x, data)),
        "y": alt.Y(y, title=y_title, axis=_axis_for(y, data)),
    }
    if tooltip is None:
        shown = [alt.Tooltip(x, title=x_title), alt.Tooltip(y, title=y_title)]
        encodings["tooltip"] = [alt.Tooltip(color), *shown] if color else shown
    else:
        encodings["tooltip"] = tooltips(data, tooltip, words)
    if highlight is not None:
        field = _highlight_field(data, x, y, color)
        encodings["color"] = alt.condition(
            alt.datum[field] == highlight, alt.value(HIGHLIGHT_COLOR), alt.value(MUTED_COLOR)
        )
        if color:
            encodings["detail"] = alt.Detail(color)  # keeps one line per category
    elif color:
        encodings["color"] = alt.Color(color)
    chart_title = alt.Title(title, subtitle=f"Source: {source}" if source else alt.Undefined)
    # Explicit sizes, not per-bar steps: every chart is CHART_WIDTH_PX wide in total, and
    # Vega-Lite 6 warns ("Dropping fit-y") on a step-sized height under autosize fit-x.
    y_field, y_type = _field(y, data)
    height_px = (
        BAR_BAND_PX * max(1, data[y_field].nunique())
        if y_type in ("nominal", "ordinal")
        else CHART_HEIGHT_PX
    )
    return (
        _MARKS[mark](alt.Chart(data))
        .encode(**encodings)
        .properties(
            title=chart_title, description=description, width=CHART_WIDTH_PX, height=height_px
        )
    )


def layer_chart(
    data: pd.DataFrame,
    *layers: alt.Chart,
    title: str,
    description: str,
    height: int = CHART_HEIGHT_PX,
    subtitle: str | None = None,
) -> alt.LayerChart:
    """Layers drawn from one data frame (bars and their labels, a line and its points), titled,
    described and sized like every other book chart. Each layer is ``alt.Chart()`` with its
    mark and encodings, and no data of its own."""
    _require_text(title=title, description=description)
    return alt.layer(*layers, data=data).properties(
        title=alt.Title(title, subtitle=subtitle or alt.Undefined),
        description=description,
        width=CHART_WIDTH_PX,
        height=height,
    )


def tint(color: str, amount: float = LIGHT_TINT) -> str:
    """``color`` ("#rrggbb") mixed with white by ``amount`` (0: the colour, 1: white)."""
    channels = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in channels)


def mapped_scale(
    mapping: Mapping[str, object], present: Iterable[object], spare: Iterable[object] = ()
) -> alt.Scale:
    """A scale that gives each value a chart shows its fixed colour (or shape) from ``mapping``:
    the mapped values present, in the mapping's order, then any other in the order met, each
    taking the next of ``spare`` (reused in turn; without spares Vega-Lite picks its own).
    With nothing present, the whole mapping (an empty chart still has its legend)."""
    shown = list(dict.fromkeys(str(value) for value in present))
    domain = [key for key in mapping if key in shown]
    spares = list(spare)
    others = [value for value in shown if value not in mapping] if spares else []
    if not domain and not others:
        domain = list(mapping)
    extra = cycle(spares)
    return alt.Scale(
        domain=[*domain, *others],
        range=[mapping[k] for k in domain] + [next(extra) for _ in others],
    )


def company_color_scale(companies: Iterable[object]) -> alt.Scale:
    """Colours of the companies a chart shows: ``COMPANY_COLORS``, then spare category colours."""
    used = set(COMPANY_COLORS.values())
    return mapped_scale(
        COMPANY_COLORS, companies, spare=[c for c in CATEGORY_COLORS if c not in used]
    )


def no_data_chart(title: str, message: str) -> alt.Chart:
    """An honest placeholder: the chart's title and a sentence saying why nothing is drawn.

    Used when an edition's data (an early --as-of date, a trimmed copy) holds no rows for a
    chart, so the page says so instead of showing an empty frame.
    """
    _require_text(title=title, description=message)
    notice = pd.DataFrame({"message": [message]})
    return (
        alt.Chart(notice)
        .mark_text(size=14, color=MUTED_COLOR)
        .encode(text="message:N")
        .properties(title=title, description=message, width=CHART_WIDTH_PX, height=80)
    )
