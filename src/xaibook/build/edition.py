"""The edition record (build date, data fingerprint, data horizon, parameters), its stamp in
the staged _config.yml, and the digest of everything the rendered book depends on."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import xaibook
from xaibook import paths, publish
from xaibook.build.base import _Plan, _read_yaml
from xaibook.build.snapshot import _Snapshot
from xaibook.cache import package_source_digest
from xaibook.chapters import Chapter
from xaibook.data.tables import EPOCH_SOURCE_IDS
from xaibook.errors import BuildError
from xaibook.fingerprint import data_fingerprint
from xaibook.params import json_value


def _data_horizon(bibliography: Path, as_of: object) -> dict[str, object]:
    """How recent the edition's data are, which is not the day it was built: the newest
    article (any source but Epoch AI's data) published by the edition's date, and the days the
    Epoch AI copies were downloaded. ISO dates, None where there is none."""
    from xaibook.data.bibliography import read_bibliography, snapshot_date

    sources = read_bibliography(bibliography)[0] if bibliography.is_file() else {}
    cutoff = dt.date.fromisoformat(str(as_of)[:10])
    epoch_ids = set(EPOCH_SOURCE_IDS.values())
    published = [
        source.published
        for key, source in sources.items()
        if key not in epoch_ids and source.published and source.published <= cutoff
    ]
    taken = sorted(
        day for key in epoch_ids if key in sources and (day := snapshot_date(sources[key]))
    )
    return {
        "newest_article": max(published).isoformat() if published else None,
        "epoch_downloaded_from": taken[0].isoformat() if taken else None,
        "epoch_downloaded_to": taken[-1].isoformat() if taken else None,
    }


def _edition(plan: _Plan, chapters: list[Chapter], snapshot: _Snapshot) -> dict[str, object]:
    """What identifies this edition: build date, data fingerprint, parameters."""
    bibliography = snapshot.bibliography
    built_at = dt.datetime.now(dt.UTC)
    return {
        "edition_id": f"{built_at:%Y%m%dT%H%M%SZ}-{publish.new_token()[:6]}",
        "build_date": built_at.date().isoformat(),
        "built_at": built_at.isoformat(timespec="seconds"),
        "data_fingerprint": data_fingerprint(
            snapshot.data_dir, bibliography if bibliography.is_file() else None
        ),
        "data_horizon": _data_horizon(bibliography, plan.resolved["as_of"]),
        "parameters": {name: json_value(value) for name, value in plan.resolved.items()},
        "xaibook_version": xaibook.__version__,
        "chapters": [{"slug": chapter.slug} for chapter in chapters],
    }


def _stamp_parameters(edition: dict) -> dict[str, object]:
    """Parameters shown to readers: the data folder's location is the builder's business."""
    return {name: value for name, value in edition["parameters"].items() if name != "data_dir"}


def _render_stamp(words: Path, macro: str = "edition_stamp", **values: object) -> str:
    """The edition box's text (or another ``macro`` of it) from the book's shared words; a
    broken template is the writer's to fix, so the error names it rather than a traceback."""
    import jinja2

    from xaibook import prose

    try:
        return prose.render(words, macro, **values)
    except (jinja2.TemplateError, prose.TemplateValueError) as error:
        raise BuildError(f"the edition box's words in {words}: {error}") from None


def _day(iso: object) -> dt.date | None:
    return dt.date.fromisoformat(str(iso)[:10]) if iso else None


def _write_edition_config(config_file: Path, edition: dict) -> None:
    """Put the edition stamp into the staged _config.yml as MyST substitutions.

    Pages show it with ``{{ edition_stamp }}`` (or ``edition_date``, ``data_fingerprint``,
    ``edition_parameters``). It lives in the config, not in the notebooks, so a new build date
    does not invalidate a single cached chapter.
    """
    # imported here, not at the top: the command line refuses bad input before loading it
    import yaml

    config = _read_yaml(config_file)
    shown = _stamp_parameters(edition)
    # the words are the writer's (chapters/shared.md.j2); a book without that file (a test's
    # small fake book) gets the repository's
    shared = config_file.parent / paths.SHARED_TEXT_TEMPLATE.relative_to(paths.REPO_ROOT)
    horizon = edition["data_horizon"]
    words = shared if shared.is_file() else paths.SHARED_TEXT_TEMPLATE
    parameters_table = _render_stamp(
        words,
        "parameters_table",
        p=shown,
        as_of=_day(edition["parameters"]["as_of"]),
    )
    stamp = _render_stamp(
        words,
        built=_day(edition["build_date"]),
        as_of=_day(edition["parameters"]["as_of"]),
        fingerprint=edition["data_fingerprint"],
        newest_article=_day(horizon["newest_article"]),
        epoch_from=_day(horizon["epoch_downloaded_from"]),
        epoch_to=_day(horizon["epoch_downloaded_to"]),
        parameters=shown,
    )
    substitutions = {
        "edition_date": edition["build_date"],
        "data_fingerprint": edition["data_fingerprint"],
        "edition_parameters": parameters_table,
        "edition_stamp": stamp,
    }
    from xaibook.analysis.cite import edition_substitutions

    substitutions.update(
        edition_substitutions(
            str(edition["parameters"]["as_of"]), edition["data_fingerprint"], config_file.parent
        )
    )
    parse = config.setdefault("parse", {}) or {}
    config["parse"] = parse
    parse["myst_substitutions"] = {**(parse.get("myst_substitutions") or {}), **substitutions}
    extensions = parse.get("myst_enable_extensions")
    if extensions is not None and "substitution" not in extensions:
        extensions.append("substitution")  # without it {{ ... }} is printed literally
    # The chapters were executed (or restored) by this build; Sphinx must only render them.
    config["execute"] = {**(config.get("execute") or {}), "execute_notebooks": "off"}
    sphinx = config.setdefault("sphinx", {}) or {}
    config["sphinx"] = sphinx
    sphinx_config = sphinx.setdefault("config", {}) or {}
    sphinx["config"] = sphinx_config
    html_context = sphinx_config.setdefault("html_context", {}) or {}
    sphinx_config["html_context"] = html_context
    html_context["xaibook_edition"] = {
        "edition_date": edition["build_date"],
        "data_fingerprint": edition["data_fingerprint"],
        "data_horizon": edition["data_horizon"],
        "parameters": shown,
    }
    with open(config_file, "w", encoding="utf-8") as handle:
        yaml.safe_dump(config, handle, sort_keys=False, allow_unicode=True)


def _content_digest(plan: _Plan, book: Path, edition: dict) -> str:
    """What the rendered book depends on: every staged file (the executed chapters among them),
    the source config (not the staged one, which carries the build date), the data fingerprint,
    the parameters and the library code."""
    digest = hashlib.sha256(package_source_digest().encode())
    digest.update(
        json.dumps(
            [edition["data_fingerprint"], edition["parameters"]], sort_keys=True, default=str
        ).encode()
    )
    digest.update((plan.book_root / "_config.yml").read_bytes())
    for path in sorted(p for p in book.rglob("*") if p.is_file()):
        relative = path.relative_to(book).as_posix()
        if relative != "_config.yml":
            digest.update(relative.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
