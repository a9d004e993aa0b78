"""xaibook.charts: deterministic, script-safe chart outputs; PNG only for the PDF; safe CSVs."""

from __future__ import annotations

import base64
import json
import re

import altair as alt
import pandas as pd
import pytest

from xaibook import charts
from xaibook.text import BIDI_CONTROLS

EVIL_NAME = "<b>Evil</b></script><script>alert(1)</script><!-- & \u2028\u2029 中文"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def valuations() -> pd.DataFrame:
    return pd.DataFrame(
        {"company": ["xAI", "OpenAI", EVIL_NAME], "valuation_usd_bn": [200.0, 500.0, 1.5]}
    )


pytestmark = pytest.mark.usefixtures("restore_altair_state")


VALUATION_WORDS = {
    "x": "Valuation (US$ bn)",
    "y": "Company",
    "description": "Bars of valuation per company.",
    "tooltip": {"company": "Company name", "valuation_usd_bn": "US$ bn", "date": "Date"},
}

XY_WORDS = {"x": "x (units)", "y": "y (units)", "description": "d"}  # where the words do not matter


def valuation_chart(data: pd.DataFrame, **options) -> alt.Chart:
    return charts.chart(
        "bar",
        data,
        "valuation_usd_bn:Q",
        "company:N",
        title="xAI is valued at less than half of OpenAI",
        words=VALUATION_WORDS,
        highlight="xAI",
        **options,
    )


def render(chart: alt.Chart) -> dict[str, str]:
    bundle = chart._repr_mimebundle_()
    return bundle[0] if isinstance(bundle, tuple) else bundle


def embedded_spec(html: str) -> dict:
    match = re.search(r"var spec = (.*);\n", html)
    assert match, html
    return json.loads(match.group(1))


def test_html_output_is_deterministic(valuations):
    charts.use_book_theme_and_renderer("html")
    first = render(valuation_chart(valuations))
    second = render(valuation_chart(valuations.copy()))
    assert first == second
    assert re.search(
        r'<div id="xaibook-chart-[0-9a-f]{16}" class="xaibook-chart">', first["text/html"]
    )


def test_different_charts_get_different_div_ids(valuations):
    charts.use_book_theme_and_renderer("html")
    other = valuations.assign(valuation_usd_bn=[1.0, 2.0, 3.0])
    ids = {
        re.search(r'id="([^"]+)"', render(valuation_chart(d))["text/html"]).group(1)
        for d in (valuations, other)
    }
    assert len(ids) == 2


def test_data_cannot_break_out_of_the_script_element(valuations):
    charts.use_book_theme_and_renderer("html")
    html = render(valuation_chart(valuations))["text/html"]
    script = html.split("<script", 1)[1]
    # The only "</script" is the element's own end tag; no comment or tag opens in the script.
    assert script.lower().count("</script") == 1
    assert script.rstrip().endswith("</script>")
    body = script.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body and ">" not in body[: body.index("function embed")]
    assert "\u2028" not in body and "\u2029" not in body
    # ...and the browser still gets the exact text back.
    spec = embedded_spec(html)
    assert EVIL_NAME in [row["company"] for row in next(iter(spec["datasets"].values()))]


def test_spec_json_escapes_every_unsafe_character():
    text = charts.spec_to_script_json({"t": "</script><!--&\u2028\u2029"})
    assert text == '{"t":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029"}'
    assert json.loads(text) == {"t": "</script><!--&\u2028\u2029"}


def test_page_output_names_no_remote_url(valuations):
    charts.use_book_theme_and_renderer("html")
    assert "http" not in render(valuation_chart(valuations))["text/html"]


def test_text_plain_is_the_description(valuations):
    charts.use_book_theme_and_renderer("html")
    assert render(valuation_chart(valuations))["text/plain"] == "Bars of valuation per company."


def test_png_only_for_pdf_builds(valuations):
    charts.use_book_theme_and_renderer("html")
    assert set(render(valuation_chart(valuations))) == {"text/html", "text/plain"}
    for output_format in ("pdf", "all"):
        charts.use_book_theme_and_renderer(output_format)
        bundle = render(valuation_chart(valuations))
        assert set(bundle) == {"text/html", "text/plain", "image/png"}
        assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)


def test_unknown_output_format_is_refused():
    with pytest.raises(ValueError, match="output_format"):
        charts.use_book_theme_and_renderer("docx")


def test_no_row_limit_and_data_inline():
    charts.use_book_theme_and_renderer("html")
    many_rows = pd.DataFrame({"x": range(6000), "y": range(6000)})  # Altair's default cap: 5000
    spec = charts.chart("point", many_rows, "x:Q", "y:Q", title="t", words=XY_WORDS).to_dict()
    assert "url" not in spec.get("data", {})
    assert len(next(iter(spec["datasets"].values()))) == 6000


def test_theme_is_applied(valuations):
    charts.use_book_theme_and_renderer("html")
    spec = valuation_chart(valuations).to_dict()
    assert spec["config"]["font"] == charts.FONT_FAMILY
    assert spec["width"] == charts.CHART_WIDTH_PX
    assert spec["description"] == "Bars of valuation per company."
    condition = spec["encoding"]["color"]
    assert condition["condition"]["value"] == charts.HIGHLIGHT_COLOR
    assert condition["value"] == charts.MUTED_COLOR
    assert {t["title"] for t in spec["encoding"]["tooltip"]} == {"Valuation (US$ bn)", "Company"}


def test_dates_on_an_axis_carry_the_year():
    dates = pd.DataFrame({"date": pd.to_datetime(["2024-06-01", "2025-06-01"]), "power_mw": [1, 2]})
    spec = charts.chart("line", dates, "date:T", "power_mw:Q", title="t", words=XY_WORDS).to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == charts.DATE_AXIS_FORMAT
    assert spec["mark"] == {"type": "line", "point": True}


def test_tooltips_take_their_titles_from_the_words_and_dates_the_axis_format(valuations):
    data = valuations.assign(date=pd.to_datetime(["2025-01-01"] * 3))
    tips = valuation_chart(
        data, tooltip=["company:N", ("valuation_usd_bn:Q", ",.1f"), "date:T"]
    ).to_dict()["encoding"]["tooltip"]
    assert [(t["field"], t["title"], t.get("format")) for t in tips] == [
        ("company", "Company name", None),
        ("valuation_usd_bn", "US$ bn", ",.1f"),
        ("date", "Date", charts.DATE_AXIS_FORMAT),
    ]
    day = valuation_chart(data, tooltip=[("date:T", charts.DAY_FORMAT)]).to_dict()
    assert day["encoding"]["tooltip"][0]["format"] == charts.DAY_FORMAT


def test_a_missing_word_names_the_key_and_the_keys_there_are(valuations):
    with pytest.raises(
        ValueError, match=r"no 'revenue'.*\['company', 'date', 'valuation_usd_bn'\]"
    ):
        valuation_chart(valuations, tooltip=["revenue:Q"])
    words = {key: text for key, text in VALUATION_WORDS.items() if key != "y"}
    with pytest.raises(ValueError, match=r"no 'y'.*\['description', 'tooltip', 'x'\]"):
        charts.chart("bar", valuations, "valuation_usd_bn:Q", "company:N", title="t", words=words)
    no_tips = {key: text for key, text in VALUATION_WORDS.items() if key != "tooltip"}
    with pytest.raises(ValueError, match="no 'tooltip'"):
        charts.chart(
            "bar",
            valuations,
            "valuation_usd_bn:Q",
            "company:N",
            title="t",
            words=no_tips,
            tooltip=["company:N"],
        )


def test_an_unknown_mark_is_refused(valuations):
    with pytest.raises(ValueError, match="mark"):
        charts.chart("pie", valuations, "valuation_usd_bn:Q", "company:N", title="t", words={})


@pytest.mark.parametrize(
    ("missing", "error"),
    [("title", "title"), ("x", "x_title"), ("y", "y_title"), ("description", "description")],
)
def test_chart_text_is_required(valuations, missing, error):
    texts = {"title": "t", "x": "x (US$ bn)", "y": "y", "description": "d"}
    texts[missing] = " "
    title = texts.pop("title")
    with pytest.raises(ValueError, match=error):
        charts.chart("bar", valuations, "valuation_usd_bn:Q", "company:N", title=title, words=texts)


def test_csv_formula_cells_are_neutralised(tmp_path):
    data = pd.DataFrame(
        {
            "name": ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", None],
            "value_usd_bn": [-1.5, 2, 3, 4, 5, 6, 7, 8, 9],
        }
    )
    path = charts.write_chart_csv(data, tmp_path / "x.csv")
    assert path.read_bytes() == (
        b'"name","value_usd_bn"\n"\'=1+1",-1.5\n"\'+cmd",2.0\n"\'-2+3",3.0\n"\'@SUM(A1)",4.0\n'
        b'"\'\tx",5.0\n"\'\rx",6.0\n"plain",7.0\n"a=b",8.0\n"",9.0\n'
    )
    assert pd.read_csv(path)["name"][5] == "'\rx"  # the lone CR stays inside its cell
    assert data["name"][0] == "=1+1"  # the caller's frame is untouched


def test_glue_chart_writes_the_charted_rows(tmp_path, valuations):
    charts.use_book_theme_and_renderer("html")
    path = charts.glue_chart(
        "fig-valuations",
        valuation_chart(valuations),
        valuations,
        downloads_dir=tmp_path / "downloads",
    )
    assert path == tmp_path / "downloads" / "fig-valuations.csv"
    assert pd.read_csv(path, keep_default_na=False).equals(valuations)


def test_glue_chart_refuses_other_data_and_unsafe_names(tmp_path, valuations):
    charts.use_book_theme_and_renderer("html")
    chart = valuation_chart(valuations)
    with pytest.raises(ValueError, match="differs"):
        charts.glue_chart("fig", chart, valuations.head(1), downloads_dir=tmp_path)
    with pytest.raises(ValueError, match="name"):
        charts.glue_chart("../fig", chart, valuations, downloads_dir=tmp_path)


def test_vega_bundle_written_once(tmp_path):
    static_dir = tmp_path / "_static"
    path = charts.write_vega_bundle(static_dir)
    assert path == static_dir / "vega-bundle.js"
    text = path.read_text(encoding="utf-8")
    assert "window.vegaEmbed" in text
    assert text.splitlines()[1] == "(function () {"  # no top-level names leak into the page
    mtime_ns = path.stat().st_mtime_ns
    assert charts.write_vega_bundle(static_dir) == path
    assert path.stat().st_mtime_ns == mtime_ns  # identical content: not rewritten


def test_chart_outputs_drop_bidi_controls(valuations):
    charts.use_book_theme_and_renderer("pdf")
    data = valuations.assign(company=["xAI", "Grok \u202e7$ noillib", "\u2066a\u2069\u200f"])
    chart = charts.chart(
        "bar",
        data,
        "valuation_usd_bn:Q",
        "company:N",
        title="Title \u202eevil",
        words={**VALUATION_WORDS, "description": "Bars \u202eof valuation."},
    )
    bundle = render(chart)
    for mime in ("text/html", "text/plain"):
        assert not set(bundle[mime]) & BIDI_CONTROLS, mime
    spec = embedded_spec(bundle["text/html"])
    assert "Grok 7$ noillib" in json.dumps(spec, ensure_ascii=False)
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)


def test_layer_chart_is_titled_described_and_sized_like_the_others(valuations):
    bars = alt.Chart().mark_bar().encode(x="valuation_usd_bn:Q", y="company:N")
    labels = alt.Chart().mark_text(color=charts.TEXT_COLOR).encode(y="company:N", text="company:N")
    spec = charts.layer_chart(
        valuations, bars, labels, title="t", description="d", subtitle="s"
    ).to_dict()
    assert (spec["title"]["text"], spec["title"]["subtitle"], spec["description"]) == (
        "t",
        "s",
        "d",
    )
    assert (spec["width"], spec["height"]) == (charts.CHART_WIDTH_PX, charts.CHART_HEIGHT_PX)
    assert len(spec["layer"]) == 2 and all("data" not in layer for layer in spec["layer"])
    with pytest.raises(ValueError, match="description"):
        charts.layer_chart(valuations, bars, title="t", description=" ")


def test_tint_mixes_a_colour_with_white():
    assert charts.tint("#0072b2", 0) == "#0072b2"
    assert charts.tint("#0072b2", 1) == "#ffffff"
    assert charts.tint("#000000", 0.5) == "#808080"


def test_mapped_scale_keeps_each_value_on_its_colour_whatever_is_shown():
    mapping = {"a": "#111111", "b": "#222222", "c": "#333333"}
    scale = charts.mapped_scale(mapping, ["c", "a", "a"]).to_dict()
    assert (scale["domain"], scale["range"]) == (["a", "c"], ["#111111", "#333333"])
    assert charts.mapped_scale(mapping, []).to_dict()["domain"] == ["a", "b", "c"]
    spared = charts.mapped_scale(mapping, ["z", "b", "y"], spare=["#999999"]).to_dict()
    assert spared["domain"] == ["b", "z", "y"]
    assert spared["range"] == ["#222222", "#999999", "#999999"]
    assert charts.mapped_scale(mapping, ["z", "b"]).to_dict()["domain"] == ["b"]


def test_every_chapter_gives_a_company_the_same_colour():
    scale = charts.company_color_scale(["Anthropic", "Mistral", "xAI", "OpenAI"]).to_dict()
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["xAI"] == charts.HIGHLIGHT_COLOR
    assert {name: colours[name] for name in charts.COMPANY_COLORS} == charts.COMPANY_COLORS
    assert colours["Mistral"] in charts.CATEGORY_COLORS
    assert colours["Mistral"] not in charts.COMPANY_COLORS.values()
    assert len(set(charts.COMPANY_COLORS.values())) == len(charts.COMPANY_COLORS)
