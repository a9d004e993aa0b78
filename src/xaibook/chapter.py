"""What a chapter notebook calls: open the data as of a date, then glue numbers, text, figures
and tables, all through one object so every chapter shows data the same, safe way.

A chapter's code cells stay short::

    ch = open_chapter("funding", as_of=as_of, data_dir=data_dir, output_format=output_format)
    rounds = funding.xai_rounds(ch.data)
    ch.markdown("finding-total", funding.total_sentence(rounds))   # {glue:md}`finding-total`
    ch.figure("fig-rounds", funding.rounds_chart(rounds), rounds)  # ```{glue:figure} fig-rounds

Text that comes from the data is escaped by the analysis code (``xaibook.text``) before it is
assembled into sentences; ``cite`` is the only way a sentence gains MyST markup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import pandas as pd

from xaibook import charts, formatting, paths, prose
from xaibook.chapters import CHAPTERS_BY_SLUG, downloads_dir
from xaibook.data.dataset import Dataset, load_dataset, parse_as_of
from xaibook.text import Table, strip_bidi_controls

BIB_KEY = re.compile(r"^[A-Za-z0-9_:.-]+$")
# A value passed to a template that names a model record (a dict with ``record_id``), or a row
# of a table's records, may carry these fields of it, under the model's names; the chart data
# uses the same names. The chapter lists them in its records download, and a book test checks
# that each record shows one value per field everywhere in the book.
RECORD_FIELDS = ("date", "round_label", "round_amount_usd_bn", "valuation_usd_bn")
RECORD_COLUMNS = ["record_id", "field", "value", "shown_in"]


def _record_value(field_name: str, value: object) -> str:
    if field_name == "date":
        return pd.Timestamp(value).date().isoformat()
    if field_name.endswith("_usd_bn"):
        return f"{float(value):.3f}"
    return str(value)


def records_in(values: object, shown_in: str) -> list[dict[str, str]]:
    """The model records a template's values (or a table's record rows) name, with the fields
    of each they carry; ``shown_in`` is the passage's or table's glue name."""
    found: list[dict[str, str]] = []
    if isinstance(values, dict):
        record_id = values.get("record_id")
        if isinstance(record_id, str) and record_id:
            found += [
                {
                    "record_id": record_id,
                    "field": name,
                    "value": _record_value(name, values[name]),
                    "shown_in": shown_in,
                }
                for name in RECORD_FIELDS
                if name in values and not formatting.is_missing(values[name])
            ]
        for item in values.values():
            found += records_in(item, shown_in)
    elif isinstance(values, list | tuple):
        for item in values:
            found += records_in(item, shown_in)
    return found


def cite(*source_ids: object) -> str:
    """A parenthetical MyST citation of the sources (unique, in order); '' if there are none."""
    keys = []
    for source_id in source_ids:
        if source_id is None or pd.isna(source_id):
            continue
        key = str(source_id)
        if not BIB_KEY.match(key):  # validated against references.bib already; belt and braces
            raise ValueError(f"not a bibliography key: {key!r}")
        if key not in keys:
            keys.append(key)
    return f"{{cite:p}}`{','.join(keys)}`" if keys else ""


def sources_line(source_ids: list[object]) -> str:
    """The sources line of a chart or table (``chapters/shared.md.j2``): a citation of every
    distinct source, or a plain notice that there is none."""
    return prose.render(paths.SHARED_TEXT_TEMPLATE, "sources", source_ids=list(source_ids))


def _chart_title(chart: alt.TopLevelMixin) -> str:
    """The chart's title as one line (a title may be a list of lines, or a TitleParams)."""
    title = getattr(chart, "title", None)
    text = getattr(title, "text", title)
    if isinstance(text, list | tuple):
        text = " ".join(str(line) for line in text)
    return text if isinstance(text, str) else ""


@dataclass
class ChapterContext:
    slug: str
    data: Dataset
    as_of: pd.Timestamp
    output_format: str
    glued: list[str] = field(default_factory=list)
    records: list[dict[str, str]] = field(default_factory=list)

    @property
    def downloads(self) -> Path:
        return downloads_dir(self.slug)

    def _glue(self, name: str, value: object) -> None:
        from myst_nb import glue  # imported late: Sphinx is heavy and only chapters need it

        if name in self.glued:
            raise ValueError(f"{name!r} is glued twice in chapter {self.slug!r}")
        self.glued.append(name)
        glue(name, value, display=False)

    def markdown(self, name: str, markdown: str) -> None:
        """Glue prepared MyST markdown (data text already escaped); place with {glue:md}.

        Bidirectional controls go here too, not only in the escaping: the glued output is also
        what the notebook downloads show.
        """
        from IPython.display import Markdown

        self._glue(name, Markdown(strip_bidi_controls(markdown)))

    @property
    def template(self) -> Path:
        """The chapter's text template (``chapters/<slug>.md.j2``, beside the notebook)."""
        return prose.template_file(paths.REPO_ROOT / CHAPTERS_BY_SLUG[self.slug].notebook_path)

    @property
    def records_file(self) -> Path:
        """The chapter's download listing the records its text and tables name."""
        return self.downloads / f"records-{self.slug}.csv"

    def _add_records(self, found: list[dict[str, str]]) -> None:
        """Add to the records download (rewritten each time: it is small)."""
        self.records += found
        frame = pd.DataFrame(self.records, columns=RECORD_COLUMNS).drop_duplicates()
        charts.write_chart_csv(frame, self.records_file)

    def text(self, name: str, macro: str, /, **values: object) -> None:
        """Glue the passage macro ``macro`` of the chapter's template writes from ``values``;
        place it with ``{glue:md}`` like ``markdown``. The records the values name go into the
        chapter's records download (``records_in``)."""
        self.markdown(name, prose.render(self.template, macro, **values))
        self._add_records(records_in(values, name))

    def plain(self, macro: str, /, **values: object) -> str:
        """Plain text of macro ``macro`` of the chapter's template: a chart or axis title."""
        return prose.render_text(self.template, macro, **values)

    def labels(self, name: str) -> prose.Words:
        """Fixed words the chapter's template sets with ``{% set name = ... %}``."""
        return prose.labels(self.template, name)

    def figure(
        self,
        name: str,
        chart: alt.TopLevelMixin,
        data: pd.DataFrame,
        *,
        extra_sources: tuple[str, ...] = (),
    ) -> None:
        """Glue a chart, its sources line (``<name>-sources``) and its data as CSV.

        ``data`` is exactly what the chart draws, with a ``source_id`` column: the sources line
        cites what this edition's chart really shows. With no rows, the chart is replaced by a
        notice saying so (never an empty frame).
        """
        if name in self.glued:
            raise ValueError(f"{name!r} is glued twice in chapter {self.slug!r}")
        self.glued.append(name)
        if data.empty:
            title = _chart_title(chart) or prose.labels(
                paths.SHARED_TEXT_TEMPLATE, "chart_no_data_title"
            )
            chart = charts.no_data_chart(title, self.no_data_text)
            data = pd.DataFrame({"message": [self.no_data_text]})
            # said in the text as well: a reader without JavaScript, or of the PDF's caption
            # list, must not see only an empty figure
            sources = f"{self.no_data_text} {sources_line(list(extra_sources))}"
        else:
            source_ids = list(data["source_id"]) if "source_id" in data else []
            sources = sources_line([*source_ids, *extra_sources])
        charts.glue_chart(name, chart, data, downloads_dir=self.downloads)
        self.markdown(f"{name}-sources", sources)

    @property
    def no_data_text(self) -> str:
        """The notice for a chart, table or passage with no data in this edition (plain text)."""
        return prose.render_text(paths.SHARED_TEXT_TEMPLATE, "no_data", as_of=self.as_of)

    def table(
        self, name: str, data: pd.DataFrame, caption: str, records: pd.DataFrame | None = None
    ) -> None:
        """Glue a table (every cell shown as literal text) and offer it as CSV.

        ``records``: the model record behind each row, with the fields of it the row shows
        (``RECORD_FIELDS``), for the chapter's records download.

        The visible caption is the ``**Table.**`` paragraph the notebook places above the
        ``{glue:md}`` block; ``caption`` names the table in the notice shown when it is empty.
        The table is glued as markdown, not as a figure: a LaTeX float cannot break across
        pages, so a long table would be cut off in the PDF.
        """
        if data.empty:
            notice = prose.render(
                paths.SHARED_TEXT_TEMPLATE, "table_no_data", caption=caption, as_of=self.as_of
            )
            self.markdown(name, notice)
            data = pd.DataFrame({"message": [self.no_data_text]})
        else:
            self._glue(name, Table(data))
            if records is not None:
                self._add_records(records_in(records.to_dict("records"), name))
        charts.write_chart_csv(data, self.downloads / f"{name}.csv")


def open_chapter(
    slug: str,
    *,
    as_of: object = None,
    data_dir: object = None,
    output_format: str = "html",
) -> ChapterContext:
    """Load the tables the chapter declares (as of ``as_of``) and set the chart theme."""
    chapter = CHAPTERS_BY_SLUG[slug]
    cutoff = parse_as_of(as_of) or pd.Timestamp(dt.datetime.now(dt.UTC).date())
    data = load_dataset(
        Path(data_dir) if data_dir else paths.DATA_DIR, tables=chapter.tables, as_of=cutoff
    )
    charts.use_book_theme_and_renderer(output_format)
    return ChapterContext(slug=slug, data=data, as_of=cutoff, output_format=output_format)
