"""Data & methods: where every figure comes from, how conflicts are settled, what the data lacks."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePath

import altair as alt
import pandas as pd

from xaibook import charts, formatting as fmt, paths, prose
from xaibook.analysis.common import labels as _labels
from xaibook.data import facts
from xaibook.data.bibliography import is_summary, snapshot_date
from xaibook.data.dataset import Dataset
from xaibook.data.problems import Problem
from xaibook.data.schema import PRECISIONS, TABLE_MODELS
from xaibook.data.tables import CURATED_TABLES, EPOCH_SOURCE_IDS, EPOCH_TABLES, table_file
from xaibook.model import metrics as model_metrics
from xaibook.model.names import source_citation

TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "methods.ipynb")
STATUS_ORDER = ["reported", "estimate", "target", "plan"]


def fact_counts(data: Dataset) -> pd.DataFrame:
    """Facts per source, status, publication day and table (what the chapter counts)."""
    return facts.fact_counts(data)


# the two kinds of source (codes; the template's ``source_kinds`` names them)
EPOCH_KIND, ARTICLE_KIND = "epoch", "article"
# Epoch rows with no report date of their own, dated by their file's download
EPOCH_DOWNLOAD_DATED_KIND = "epoch_download_dated"


def source_kind(source_id: str) -> str:
    return EPOCH_KIND if source_id in set(EPOCH_SOURCE_IDS.values()) else ARTICLE_KIND


def source_kinds(source_ids: pd.Series) -> pd.Series:
    """source_kind for a whole column at once."""
    is_epoch = source_ids.isin(list(set(EPOCH_SOURCE_IDS.values())))
    return pd.Series(ARTICLE_KIND, index=source_ids.index).where(~is_epoch, EPOCH_KIND)


def edition_date(data: Dataset) -> pd.Timestamp:
    """The date the edition is read against: its ``as_of``, else today."""
    return data.as_of if data.as_of is not None else pd.Timestamp.now().normalize()


def in_edition(data: Dataset, key: str) -> bool:
    """Whether a source belongs to the edition: an Epoch data set (its download is the edition's
    snapshot), or an article published by the edition's date."""
    source = data.sources[key]
    if source_kind(key) == EPOCH_KIND:
        return True
    return source.published is not None and pd.Timestamp(source.published) <= edition_date(data)


CJK = re.compile(r"[\u3400-\u9fff]")


def original_of(source: object, published: dict) -> str | None:
    """The key of the edition's article that ``source`` summarises or translates (its
    bibliography entry's curators' record, ``annote``, says "summary … of <key>"), else None."""
    note = str(getattr(source, "curation", "") or getattr(source, "note", "") or "")
    match = re.search(r"summary\b[^;]*?\bof ([a-z0-9_]+)", note)
    key = match.group(1) if match else None
    return key if key in published and key != source.key else None


def article_sources(data: Dataset) -> dict[str, object]:
    """The articles of the edition (published by its date), independent reports apart from
    the summaries of one of them: ``articles`` (keys), ``summaries`` (keys; ``originals`` maps
    each to the article it summarises), ``chinese`` (articles with a Chinese title: Chinese-
    language reports) and ``held_as_summary`` (sources the book holds only as a summary or
    translation, and not its original too)."""
    published = {
        key: source
        for key, source in data.sources.items()
        if source_kind(key) == ARTICLE_KIND and in_edition(data, key)
    }
    originals = {key: original_of(source, published) for key, source in published.items()}
    summaries = sorted(key for key, original in originals.items() if original)
    articles = sorted(key for key in published if key not in summaries)
    return {
        "articles": articles,
        "summaries": summaries,
        "originals": {key: originals[key] for key in summaries},
        "chinese": [key for key in articles if CJK.search(published[key].title)],
        "held_as_summary": sorted(
            key for key, source in published.items() if is_summary(source) and key not in summaries
        ),
    }


def sources_text_values(data: Dataset) -> dict[str, object]:
    """What the sources section counts: the edition's articles, summaries and Epoch data sets."""
    sources = article_sources(data)
    epoch = sorted(key for key in data.sources if source_kind(key) == EPOCH_KIND)
    return {
        "articles": len(sources["articles"]),
        "chinese": len(sources["chinese"]),
        "summaries": len(sources["summaries"]),
        "held_as_summary": len(sources["held_as_summary"]),
        "epoch_sets": len(epoch),
    }


def source_name(data: Dataset, key: object) -> str:
    """A reader's name for a source: an article as the text cites it ('TechCrunch, 2026'), a
    summary of another article marked as a summary, an Epoch data set by its title."""
    if fmt.is_missing(key):
        return ""
    source = data.sources.get(str(key))
    if source is None:
        return str(key)
    if source_kind(str(key)) == EPOCH_KIND:
        day = source.published or source.accessed
        return prose.render_text(TEMPLATE, "epoch_name", title=source.title, day=day)
    name = source_citation(data, key)
    if is_summary(source):
        return prose.render_text(TEMPLATE, "summary_name", name=name)
    return name


def publication_precisions(data: Dataset) -> dict[str, str]:
    """Each source's publication date precision as the data hold it: the coarsest of its
    facts' (a source the book dates only to the month is never shown by the day)."""
    # the curated tables only: Epoch's rows are dated by the day of the copy, a million of them
    # at scale
    frames = [
        data.tables[table][["source_id", "published_date_precision"]]
        for table in CURATED_TABLES
        if table in data.tables and "published_date_precision" in data.tables[table]
    ]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if rows.empty:
        return {}
    rank = rows["published_date_precision"].map({p: i for i, p in enumerate(PRECISIONS)})
    coarsest = rank.groupby(rows["source_id"]).max().dropna().astype(int)
    return {key: PRECISIONS[i] for key, i in coarsest.items()}


def sources_table(data: Dataset, counts: pd.DataFrame) -> pd.DataFrame:
    """One row per bibliography entry of this edition (an article only once published by its
    date): what it is and how many facts of this edition it gives."""
    counts = counts.groupby("source_id")["facts"].sum()
    precisions = publication_precisions(data)
    kinds, licences = _labels("methods", "source_kinds"), _labels("methods", "licences")
    rows = []
    for key, source in sorted(data.sources.items()):
        if not in_edition(data, key):
            continue
        kind = source_kind(key)
        rows.append(
            {
                # as the chapters cite it, so a reader can find it; the key is the data's
                "cited_as": source_citation(data, key),
                "source_id": key,
                "title": source.title,
                "publisher": source.publisher,
                # at the precision the data hold the source's date ("May 2026" for a copy
                # with no day), never more precise
                "published": (
                    fmt.date(source.published, precisions.get(key, "day"))
                    if source.published
                    else prose.render_text(
                        TEMPLATE, "downloaded_cell", day=source.accessed.isoformat()
                    )
                    if source.accessed
                    else ""
                ),
                "kind": kinds[kind],
                "licence": licences[kind],
                "facts": int(counts.get(key, 0)),
            }
        )
    return pd.DataFrame(rows)


def with_headers(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A table as readers see it: its columns renamed by the template's ``name`` words."""
    return frame.rename(columns=_labels("methods", name))


def facts_by_source_status(counts: pd.DataFrame) -> pd.DataFrame:
    """Facts per source and status: what the figure of provenance draws."""
    if counts.empty:
        return pd.DataFrame(columns=["source_id", "status", "facts"])
    grouped = counts.groupby(["source_id", "status"])["facts"].sum().reset_index()
    return grouped.sort_values(["source_id", "status"]).reset_index(drop=True)


def leading_source(counts: pd.DataFrame) -> str | None:
    """The source that gives the most facts (what the provenance figure's title names)."""
    return counts.groupby("source_id")["facts"].sum().idxmax() if len(counts) else None


def provenance_chart(counts: pd.DataFrame, title: str) -> alt.Chart:
    words = _labels("methods", "provenance_chart")
    return charts.chart(
        "bar", counts, "facts:Q", "source_id:N", title=title, words=words, color="status:N"
    )


def conflicts(data: Dataset) -> pd.DataFrame:
    """Every claim whose sources cannot all be right (different values, or one value with
    qualifiers that exclude each other): each value, its source, and which one the book uses
    (canonical) — one row per value."""
    claimed = facts.facts_table(facts.claimed_subset(data))
    flagged = claimed[claimed["conflict"] & claimed["value"].notna()]
    columns = ["claim_id", "metric", "entity", "value", "value_max", "unit", "qualifier",
               "source_id", "published", "published_precision", "is_canonical", "note"]  # fmt: skip
    if flagged.empty:
        return pd.DataFrame(columns=[*columns, "magnitude"])
    ordered = flagged.sort_values(
        ["claim_id", "metric", "is_canonical"], ascending=[True, True, False]
    )
    result = ordered[columns].reset_index(drop=True)
    # a magnitude the source gives in words ("tens of billions") has no point value
    result["magnitude"] = [
        model_metrics.magnitude(v, m, q, u)
        for v, m, q, u in zip(result["value"], result["value_max"], result["qualifier"],
                              result["unit"], strict=True)
    ]  # fmt: skip
    return result


def claim_subjects(data: Dataset, conflict_rows: pd.DataFrame) -> pd.Series:
    """What each conflicting claim is about, for readers (by ``claim_id``): the entity of the
    value the book uses, or the site whose capex claim it is (claim ``<site_id>-capex``)."""
    if conflict_rows.empty:
        return pd.Series(dtype=object)
    subjects = conflict_rows.groupby("claim_id", sort=False)["entity"].first()
    sites = data.tables.get("sites", pd.DataFrame())
    if not sites.empty:
        names = sites.drop_duplicates("site_id").set_index("site_id")["site_name"]
        by_claim = {
            f"{site}{model_metrics.SITE_CAPEX_SUFFIX}": name for site, name in names.items()
        }
        subjects = subjects.index.to_series().map(by_claim).fillna(subjects)
    return subjects


def quantity_words(metric: object) -> str:
    """A quantity as readers name it (the template's words; the code with spaces otherwise)."""
    return _labels("methods", "quantity_words").get(str(metric), str(metric).replace("_", " "))


def conflict_reasons(data: Dataset, conflict_rows: pd.DataFrame) -> list[dict[str, object]]:
    """Why each value of a conflict is used or not, as values the template words (``kind``):
    ``epoch`` (Epoch's figure beside an article's), ``original`` (the article a summary in the
    same claim renders), ``latest`` (the latest of the reports), ``quoted`` (an article set
    beside Epoch's estimate), ``summary`` (a summary of ``original``), ``earlier`` (a report
    published before the one used) or ``ranked_below``; ``used`` names the source used."""
    originals = article_sources(data)["originals"]
    reasons = []
    for _, claim in conflict_rows.groupby("claim_id", sort=False):
        used = claim[claim["is_canonical"]].iloc[0] if claim["is_canonical"].any() else None
        for row in claim.to_dict("records"):
            others = claim[claim["source_id"].ne(row["source_id"])]
            articles = others[source_kinds(others["source_id"]).eq(ARTICLE_KIND)]
            if source_kind(row["source_id"]) == EPOCH_KIND:
                kind = "epoch"
            elif row["is_canonical"]:
                if any(originals.get(s) == row["source_id"] for s in others["source_id"]):
                    kind = "original"
                elif len(articles) and (articles["published"] < row["published"]).all():
                    kind = "latest"
                else:
                    kind = "quoted"
            elif row["source_id"] in originals:
                kind = "summary"
            elif used is not None and row["published"] < used["published"]:
                kind = "earlier"
            else:
                kind = "ranked_below"
            reasons.append(
                {
                    "kind": kind,
                    "published": _value_or_none(row["published"]),
                    "published_precision": row["published_precision"],
                    "used": None if used is None else source_name(data, used["source_id"]),
                    "used_published": None if used is None else used["published"],
                    "original": source_name(data, originals.get(row["source_id"])) or None,
                }
            )
    return reasons


def _value_or_none(value: object) -> object:
    return None if fmt.is_missing(value) else value


def conflicts_display(data: Dataset, conflict_rows: pd.DataFrame) -> pd.DataFrame:
    """The conflicts as a reader's table: what the claim is about, the value in words, its
    source by name, used or not, and why in plain words; the claim's id (bookkeeping, to find
    its rows in the data files) last."""
    header = _labels("methods", "conflicts_columns")
    if conflict_rows.empty:
        return pd.DataFrame(columns=list(header.values()))
    cells = _labels("methods", "conflicts_cells")
    used = {True: cells["used"]["yes"], False: cells["used"]["no"]}
    subjects = claim_subjects(data, conflict_rows)
    return pd.DataFrame({
        header["claim"]: conflict_rows["claim_id"].map(subjects),
        header["quantity"]: conflict_rows["metric"].map(quantity_words),
        header["value"]: [_value_words(v, u, q, m) for v, u, q, m in zip(
            conflict_rows["value"], conflict_rows["unit"], conflict_rows["qualifier"],
            conflict_rows["magnitude"], strict=True)],
        header["source"]: [source_name(data, key) for key in conflict_rows["source_id"]],
        header["used"]: conflict_rows["is_canonical"].map(used),
        header["why"]: [prose.render_text(TEMPLATE, "conflict_reason", r=reason)
                        for reason in conflict_reasons(data, conflict_rows)],
        header["record"]: conflict_rows["claim_id"],
    })  # fmt: skip


def _value_words(value: float, unit: str, qualifier: object, magnitude: object = None) -> str:
    if isinstance(magnitude, str):  # given in words by the source: said in words
        return prose.labels(paths.SHARED_TEXT_TEMPLATE, "magnitude_words")[magnitude]
    if unit == "USD bn":
        return fmt.usd_bn(value, qualifier)
    if unit == "MW":
        return fmt.megawatts(value, qualifier)
    if unit == "H100e":
        return fmt.h100e(value, qualifier)
    return f"{fmt.qualifier_prefix(qualifier)}{fmt.printable(value):g} {unit}"


def conflict_points(conflict_rows: pd.DataFrame, data: Dataset | None = None) -> pd.DataFrame:
    """What the conflicts figure draws: one point per source's value of each quantity. A claim
    a source gives only as a magnitude in words ("tens of billions") has no point to draw, so
    it is left to the table, in words: drawing its band's floor would invent a figure and a
    multiple between sources that none of them states. ``data``: the edition, to name each
    claim for readers (by its id without it)."""
    dataset = data
    worded = conflict_rows.loc[conflict_rows["magnitude"].notna(), "claim_id"]
    conflict_rows = conflict_rows[~conflict_rows["claim_id"].isin(worded)]
    data = conflict_rows[
        ["claim_id", "metric", "value", "unit", "qualifier", "source_id", "is_canonical"]
    ]
    words = _labels("methods", "conflicts_chart")["used"]
    subjects = (
        claim_subjects(dataset, conflict_rows) if dataset is not None else pd.Series(dtype=object)
    )
    subject = data["claim_id"].map(lambda claim: str(subjects.get(claim, claim)))
    return data.assign(
        quantity=subject + ", " + data["metric"].map(quantity_words) + " (" + data["unit"] + ")",
        source=[
            source_name(dataset, key) if dataset is not None else key for key in data["source_id"]
        ],
        used=data["is_canonical"].map({True: words["yes"], False: words["no"]}),
    )


POINT_QUALIFIERS = ("exact", "approx")  # a bound ("at least 1 GW") is not a point to divide


def widest_conflict(points: pd.DataFrame) -> dict[str, object] | None:
    """The quantity whose sources are furthest apart, and by what factor (None: no conflict
    with two positive point values). Only point values count: a bound such as "at least 1 GW"
    or "more than $230 billion" says where a value starts, not where it is, so a multiple of
    it would be invented."""
    if "qualifier" in points:
        points = points[points["qualifier"].isin(POINT_QUALIFIERS)]
    points = points[points.groupby("quantity")["value"].transform("size").ge(2)]
    spread = points.groupby("quantity")["value"].agg(
        lambda v: v.max() / v.min() if v.min() > 0 else float("nan")
    )
    if not spread.notna().any():
        return None
    return {"quantity": spread.idxmax(), "factor": spread.max()}


def conflicts_chart(points: pd.DataFrame, title: str) -> alt.Chart:
    """Each conflicting value as a point, claims on the y axis, on a log scale per unit."""
    words = _labels("methods", "conflicts_chart")
    return (
        alt.Chart(points)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("value:Q", title=words["x"], scale=alt.Scale(type="log")),
            y=alt.Y("quantity:N", title=words["y"]),
            color=alt.Color("used:N", title=None),
            shape=alt.Shape("source:N", title=words["shape"]),
            tooltip=["quantity:N", "value:Q", "source:N", "used:N"],
        )
        .properties(
            title=title,
            description=words["description"],
            width=charts.CHART_WIDTH_PX,
            height=charts.BAR_BAND_PX * max(1, points["quantity"].nunique()),
        )
    )  # fmt: skip


def download_dates(data: Dataset) -> dict[str, pd.Timestamp]:
    """{Epoch source id: the day its copy was downloaded}, the date its rows without a report
    date of their own take as their publication date."""
    dates = {}
    for source_id in set(EPOCH_SOURCE_IDS.values()):
        source = data.sources.get(source_id)
        day = snapshot_date(source) if source is not None else None
        if day is not None:
            dates[source_id] = pd.Timestamp(day)
    return dates


def publication_timeline(
    counts: pd.DataFrame, downloads: dict[str, pd.Timestamp] | None = None
) -> pd.DataFrame:
    """Facts per month of publication and kind of source: when the evidence appeared.

    Epoch rows published on their file's download day (``downloads``, from ``download_dates``)
    have no report date of their own: they are counted apart, so that the month of a download
    is not read as the month that evidence appeared."""
    if counts.empty:
        return pd.DataFrame(columns=["month", "kind", "facts", "source_id"])
    kinds = _labels("methods", "source_kinds")
    published = pd.to_datetime(counts["published"])
    download_day = pd.to_datetime(counts["source_id"].map(downloads or {}))
    codes = source_kinds(counts["source_id"]).where(
        ~published.eq(download_day), EPOCH_DOWNLOAD_DATED_KIND
    )
    frame = counts.assign(
        month=published.dt.to_period("M").dt.to_timestamp(), kind=codes.map(kinds)
    )
    # one row per source too: a month's facts are credited to the data set that gives them
    grouped = frame.groupby(["month", "kind", "source_id"])["facts"].sum().reset_index()
    return grouped.sort_values(["month", "kind", "source_id"]).reset_index(drop=True)


def busiest_months(timeline: pd.DataFrame) -> list[tuple[str, pd.Timestamp]]:
    """(kind of source, the month in which most of its facts were published), per kind: one
    peak for all would be Epoch's download month, the date its rows without a report date take."""
    # rows dated by a download did not appear in that month: they have no month to peak in
    dated = timeline[
        timeline["kind"] != _labels("methods", "source_kinds")[EPOCH_DOWNLOAD_DATED_KIND]
    ]
    if dated.empty:
        return []
    by_month = dated.groupby(["kind", "month"], as_index=False)["facts"].sum()
    peaks = by_month.loc[by_month.groupby("kind")["facts"].idxmax()]
    return [(str(row.kind), row.month) for row in peaks.sort_values("kind").itertuples()]


def timeline_chart(timeline: pd.DataFrame, title: str) -> alt.Chart:
    words = _labels("methods", "timeline_chart")
    return charts.chart(
        "bar", timeline, "month:T", "facts:Q", title=title, words=words, color="kind:N"
    )


def tables_overview(data: Dataset) -> pd.DataFrame:
    """Each table of the dataset: file, rows in this edition, what it holds."""
    rows = []
    for table in (*CURATED_TABLES, *EPOCH_TABLES):
        if table not in data.tables:
            continue
        file = table_file(data.data_dir, table)
        rows.append({
            "table": table,
            "file": f"{file.parent.name}/{file.name}",
            "rows": len(data.tables[table]),
            "holds": (TABLE_MODELS[table].__doc__ or "").strip(),
        })  # fmt: skip
    return pd.DataFrame(rows)


def summary(data: Dataset, counts: pd.DataFrame, conflict_rows: pd.DataFrame) -> dict:
    """What the chapter's key points count: facts by kind of source (with the sources, to
    cite; a summary of another article is counted apart from the independent articles),
    quantities in dispute, and values the loader set to missing."""
    per_source = counts.groupby("source_id")["facts"].sum()
    summarised = set(article_sources(data)["summaries"])
    reports = [k for k in per_source.index if source_kind(k) == ARTICLE_KIND]
    articles = sorted(k for k in reports if k not in summarised)
    summaries = sorted(k for k in reports if k in summarised)
    epoch = sorted(k for k in per_source.index if source_kind(k) != ARTICLE_KIND)
    return {
        "facts": int(per_source.sum()),
        "article_facts": int(per_source[[*articles, *summaries]].sum()),
        "articles": articles,
        "summaries": summaries,
        "summary_facts": int(per_source[summaries].sum()),
        "epoch_facts": int(per_source[epoch].sum()),
        "epoch_sets": epoch,
        "disputed_quantities": int(conflict_rows["claim_id"].nunique()),
        "values_set_to_missing": len(data.warnings),
    }


def quality_notes(data: Dataset) -> list[str]:
    """The loader's warnings, each naming its file inside the data folder: where the builder
    keeps that folder is not part of the book (the same data gives the same page anywhere)."""
    return [str(_named_in_data_folder(problem, data)) for problem in data.warnings]


def _named_in_data_folder(problem: Problem, data: Dataset) -> Problem:
    # the message names the file relative to wherever the loader ran, so it is matched by its
    # name (every table's file name is distinct), not resolved against this process's folder
    for table in (*CURATED_TABLES, *EPOCH_TABLES):
        file = table_file(data.data_dir, table)
        if PurePath(problem.file).name == file.name:
            return dataclasses.replace(problem, file=file.relative_to(data.data_dir).as_posix())
    return problem


def headline(counts: pd.DataFrame, conflict_rows: pd.DataFrame) -> str:
    curated = counts.loc[~counts["table"].str.startswith("epoch"), "facts"].sum()
    return f"curated facts: {curated}; conflicting claims: {conflict_rows['claim_id'].nunique()}"


DICTIONARY_FILE = "data-dictionary.csv"  # the full dictionary, in the chapter's downloads
ALLOWED = "one of: "


def dictionary_table() -> pd.DataFrame:
    """The data dictionary of every table (from the schema): every column with its type,
    rules, unit and meaning. Offered whole as a download, not shown."""
    from xaibook.data.datadoc import dictionary

    frames = [dictionary(table).assign(table=table) for table in (*CURATED_TABLES, *EPOCH_TABLES)]
    combined = pd.concat(frames, ignore_index=True)
    return combined[["table", "column", "type", "required", "rules", "unit", "meaning"]]


def reader_dictionary() -> pd.DataFrame:
    """The columns readers meet throughout the book: those every curated table shares, and
    the lists of allowed values two or more curated tables share (statuses, qualifiers). One
    row per column: meaning (the schema's, else the template's ``column_meanings``), its
    allowed values, and how many curated tables hold it."""
    full = dictionary_table()
    curated = full[full["table"].isin(CURATED_TABLES)]
    meanings = _labels("methods", "column_meanings")
    rows = []
    for column, group in curated.groupby("column", sort=False):
        allowed = [r for r in group["rules"] if str(r).startswith(ALLOWED)]
        shared = len(group) == len(CURATED_TABLES)
        if not (shared or (allowed and len(group) >= 2)):
            continue
        meaning = next((m for m in group["meaning"] if m), "") or meanings.get(column, "")
        rows.append({
            "column": column,
            "meaning": meaning,
            "values": allowed[0].removeprefix(ALLOWED).split(";")[0] if allowed else "",
            "tables": len(group),
        })  # fmt: skip
    header = _labels("methods", "dictionary_columns")
    return pd.DataFrame(rows, columns=list(header)).rename(columns=header)


def write_dictionary(directory: Path) -> Path:
    """Write the full data dictionary as the chapter's download; return its path."""
    path = Path(directory) / DICTIONARY_FILE
    charts.write_chart_csv(dictionary_table(), path)
    return path
