"""`make bench`: how fast the book builds, measured side by side in one run on this machine.

Every measurement runs ``xaibook build`` as a subprocess (wall clock, ``time.perf_counter``)
with its own cache (``XAIBOOK_CACHE_DIR``) and output folder under ``--out``; data the bench
changes or generates lives in copies there too: the repository's ``data/`` is only read.

1. ``clean_build_s``: our pipeline with an empty cache.
2. ``noop_rebuild_s``: the same build again, nothing changed.
3. ``plain_jupyter_book_s``: the same pages built by ``jupyter-book build`` executing every
   notebook itself (``execute_notebooks: force``), as a user without this pipeline would. The
   one-off setup its config needs (the vega bundle) is timed apart as ``plain_setup_s``; the
   pipeline takes the same bundle from the environment, where ``make setup`` made it.
4. ``one_table_rebuild_s``: on a copy of the data, a warm build, then one row appended to
   ``ONE_TABLE`` and a rebuild; edition.json says which chapters re-executed.
5. ``scale_100k_build_s``, ``scale_1m_build_s``: clean builds on synthetic datasets with that
   many Epoch funding rows (``tools/synth.py``; its docstring says how the other tables grow).
6. ``max_chapter_page_bytes``: over every build, the largest chapter page: its HTML plus the
   files it links that belong to it alone (``_downloads/`` CSVs, ``_images/``). Shared files
   (``_static/``, the vega bundle: ``vega_bundle_bytes``) and the notebook source behind the
   theme's download button (``_sources/``, recorded as ``sources_bytes``) are not counted.

Results go to ``OUT/results.json`` and a table with ratios and PASS/FAIL against the issue's
thresholds is printed. A failed threshold is a finding, not an error: the exit status is 0
unless the bench itself could not run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.metadata
import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xaibook import paths
from xaibook.chapters import CHAPTERS
from xaibook.data import tables
from xaibook.fingerprint import digest_of_files

# Acceptance thresholds of the issue.
CLEAN_VS_PLAIN_MAX_RATIO = 0.6
NOOP_VS_CLEAN_MAX_RATIO = 0.15
SCALE_100K_VS_CLEAN_MAX_RATIO = 1.5
CHAPTER_PAGE_MAX_BYTES = 2_000_000  # "2 MB", decimal: the stricter reading

SCALE_ROWS = (100_000, 1_000_000)
ONE_TABLE = "epoch_gpu_clusters"  # read by some chapters only (xaibook.chapters.CHAPTERS)
BUILD_TIMEOUT_S = 3 * 3600
KERNEL_START_REPEATS = 3
CACHE_COMPARED_BUILDS = ("clean", "noop", "one-table-warm", "one-table")
PLAIN_BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib")  # + the pages in _toc.yml
VERSIONED_PACKAGES = (
    "jupyter-book", "sphinx", "myst-nb", "papermill", "ipykernel", "jupyter-client",
    "pandas", "numpy", "pandera", "altair", "vl-convert-python",
)  # fmt: skip
REQUIRED_KEYS = (
    "clean_build_s",
    "plain_jupyter_book_s",
    "noop_rebuild_s",
    "one_table_rebuild_s",
    "scale_100k_build_s",
    "scale_1m_build_s",
    "max_chapter_page_bytes",
)

# `xaibook build` prints "validate data       12.3 s" per step, "  funding        executed   4.9 s"
# per chapter and "built in 41.2 s" at the end.
STEP_LINE = re.compile(r"^([a-z][a-z ]*?)\s+(\d+(?:\.\d+)?) s$", re.MULTILINE)
CHAPTER_LINE = re.compile(
    r"^  (\S+)\s+(executed|cached|failed)\s*(\d+(?:\.\d+)?) s", re.MULTILINE
)  # fmt: skip
# myst-nb, executing for jupyter-book: "<path>/funding.ipynb: Executed notebook in 4.52 seconds"
PLAIN_EXECUTED_LINE = re.compile(r"([\w./-]+)\.ipynb\S*:? .*?Executed notebook in ([\d.]+) seconds")
PLAIN_FAILED_LINE = re.compile(r"([\w./-]+)\.ipynb\S*:? .*?Executing notebook failed")
LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def scale_key(rows: int) -> str:
    """Result key of a scale build: 100_000 -> "scale_100k_build_s", 1_000_000 -> "..._1m_..."."""
    if rows % 1_000_000 == 0:
        label = f"{rows // 1_000_000}m"
    elif rows % 1_000 == 0:
        label = f"{rows // 1_000}k"
    else:
        label = str(rows)
    return f"scale_{label}_build_s"


# ---------------------------------------------------------------------------------------------
# parsing what builds leave behind (pure; unit-tested)


def parse_build_output(text: str) -> tuple[dict[str, float], dict[str, dict]]:
    """(step seconds, {slug: {"status", "seconds"}}) from what `xaibook build` printed."""
    steps = {}
    for label, seconds in STEP_LINE.findall(text):
        steps["total" if label == "built in" else label.replace(" ", "_")] = float(seconds)
    chapters = {
        slug: {"status": status, "seconds": float(seconds)}
        for slug, status, seconds in CHAPTER_LINE.findall(text)
    }
    return steps, chapters


def edition_chapters(html_dir: Path) -> dict[str, dict] | None:
    """{slug: {"status", "seconds"}} from a published edition.json (None if it has none)."""
    edition_file = Path(html_dir) / "edition.json"
    if not edition_file.is_file():
        return None
    chapters = json.loads(edition_file.read_text(encoding="utf-8")).get("chapters") or []
    if not chapters or any("seconds" not in chapter for chapter in chapters):
        return None
    return {
        chapter["slug"]: {"status": chapter.get("status"), "seconds": chapter["seconds"]}
        for chapter in chapters
    }


def parse_plain_output(text: str) -> tuple[dict[str, float], list[str]]:
    """({notebook stem: seconds}, [notebooks whose execution failed]) from jupyter-book's log."""
    seconds = {Path(path).name: float(value) for path, value in PLAIN_EXECUTED_LINE.findall(text)}
    failed = sorted({Path(path).name for path in PLAIN_FAILED_LINE.findall(text)})
    return seconds, failed


def page_size(html_dir: Path, page: Path) -> dict[str, object]:
    """Bytes a reader's browser loads for one page, beyond the files every page shares.

    ``html_bytes`` (the page), ``data_bytes`` (local files it links, except other pages,
    ``_static/``, ``_sources/`` and site-wide files at the top level such as searchindex.js),
    ``total_bytes`` (the two), plus
    ``sources_bytes`` (the ``_sources/`` notebook of the download button, not counted) and
    ``files`` (what ``data_bytes`` counts, relative to ``html_dir``).
    """
    html_dir = Path(html_dir).resolve()
    page = Path(page).resolve()
    text = page.read_text(encoding="utf-8", errors="replace")
    counted: dict[str, int] = {}
    sources: dict[str, int] = {}
    for link in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE) or link.startswith(("#", "//")):
            continue  # http:, mailto:, data:, javascript:, in-page anchors
        link = link.split("#", 1)[0].split("?", 1)[0]
        if not link:
            continue
        target = Path(os.path.normpath(page.parent / link))
        if not target.is_file() or html_dir not in target.parents:
            continue
        relative = target.relative_to(html_dir).as_posix()
        if relative.startswith("_static/") or target.suffix == ".html" or "/" not in relative:
            continue
        (sources if relative.startswith("_sources/") else counted)[relative] = target.stat().st_size
    html_bytes = page.stat().st_size
    data_bytes = sum(counted.values())
    return {
        "html_bytes": html_bytes,
        "data_bytes": data_bytes,
        "total_bytes": html_bytes + data_bytes,
        "sources_bytes": sum(sources.values()),
        "files": sorted(counted),
    }


def chapter_pages(html_dir: Path) -> dict[str, dict[str, object]]:
    """``page_size`` of every registered chapter the edition in ``html_dir`` holds."""
    pages = {}
    for chapter in CHAPTERS:
        page = Path(html_dir) / Path(chapter.notebook_path).with_suffix(".html")
        if page.is_file():
            pages[chapter.slug] = page_size(html_dir, page)
    return pages


def chapters_reading(table: str, slugs: list[str] | None = None) -> list[str]:
    """Registered chapters that declare ``table`` (among ``slugs`` if given)."""
    return [
        chapter.slug
        for chapter in CHAPTERS
        if table in chapter.tables and (slugs is None or chapter.slug in slugs)
    ]


# ---------------------------------------------------------------------------------------------
# ratios and thresholds (pure; unit-tested)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def compute_ratios(measures: dict[str, object]) -> dict[str, float | None]:
    clean = measures.get("clean_build_s")
    ratios = {
        "clean_vs_plain": _ratio(clean, measures.get("plain_jupyter_book_s")),
        "noop_vs_clean": _ratio(measures.get("noop_rebuild_s"), clean),
        "one_table_vs_clean": _ratio(measures.get("one_table_rebuild_s"), clean),
    }
    for key in sorted(k for k in measures if k.startswith("scale_") and k.endswith("_build_s")):
        ratios[key.removesuffix("_build_s") + "_vs_clean"] = _ratio(measures.get(key), clean)
    return ratios


def _check(name: str, passed: bool | None, measured: str, limit: str) -> dict[str, object]:
    return {"check": name, "passed": bool(passed), "measured": measured, "limit": limit}


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def evaluate(
    measures: dict[str, object],
    one_table: dict[str, object],
    unpublished_builds: list[str] | tuple[str, ...] = (),
) -> list[dict[str, object]]:
    """The issue's acceptance checks; a missing measurement (failed build) fails its check, and
    the page-size check fails when a build published no pages to measure."""
    ratios = compute_ratios(measures)
    checks = [
        _check(
            "clean build <= 0.6 x plain jupyter-book build",
            ratios["clean_vs_plain"] is not None
            and ratios["clean_vs_plain"] <= CLEAN_VS_PLAIN_MAX_RATIO,
            f"{_fmt(ratios['clean_vs_plain'])} x",
            f"<= {CLEAN_VS_PLAIN_MAX_RATIO} x",
        ),
        _check(
            "no-change rebuild <= 0.15 x clean build",
            ratios["noop_vs_clean"] is not None
            and ratios["noop_vs_clean"] <= NOOP_VS_CLEAN_MAX_RATIO,
            f"{_fmt(ratios['noop_vs_clean'])} x",
            f"<= {NOOP_VS_CLEAN_MAX_RATIO} x",
        ),
        _check(
            f"one-table rebuild ({one_table.get('table')}) re-executes only its readers",
            one_table.get("executed") is not None
            and sorted(one_table["executed"]) == sorted(one_table.get("expected") or []),
            "re-executed: " + ", ".join(one_table.get("executed") or ["n/a"]),
            "exactly: " + ", ".join(one_table.get("expected") or []),
        ),
    ]
    for key in sorted(k for k in measures if k.startswith("scale_") and k.endswith("_build_s")):
        ratio = ratios[key.removesuffix("_build_s") + "_vs_clean"]
        label = key.removeprefix("scale_").removesuffix("_build_s")
        if key == "scale_100k_build_s":
            checks.append(
                _check(
                    "100k-row build <= 1.5 x seed-size build",
                    ratio is not None and ratio <= SCALE_100K_VS_CLEAN_MAX_RATIO,
                    f"{_fmt(ratio)} x",
                    f"<= {SCALE_100K_VS_CLEAN_MAX_RATIO} x",
                )
            )
        else:
            checks.append(
                _check(
                    f"{label}-row build completes (ratio reported)",
                    measures.get(key) is not None,
                    f"{_fmt(ratio)} x",
                    "builds",
                )
            )
    page_bytes = measures.get("max_chapter_page_bytes")
    measured = "n/a" if page_bytes is None else f"{page_bytes:,} bytes"
    if unpublished_builds:
        measured += f"; not measured in {', '.join(unpublished_builds)} (build failed)"
    checks.append(
        _check(
            "every chapter page <= 2 MB at every size",
            page_bytes is not None
            and page_bytes <= CHAPTER_PAGE_MAX_BYTES
            and not unpublished_builds,
            measured,
            f"<= {CHAPTER_PAGE_MAX_BYTES:,} bytes",
        )
    )
    return checks


def format_table(results: dict[str, object]) -> str:
    """The printed summary: measures with ratios, per-chapter seconds, then PASS/FAIL lines."""
    ratios = results["ratios"]
    rows = [
        ("clean build (pipeline, cold cache)", "clean_build_s", None),
        ("plain jupyter-book build", "plain_jupyter_book_s", "clean_vs_plain"),
        ("no-change rebuild", "noop_rebuild_s", "noop_vs_clean"),
        ("one-table rebuild", "one_table_rebuild_s", "one_table_vs_clean"),
    ]
    for key in sorted(k for k in results if k.startswith("scale_") and k.endswith("_build_s")):
        label = key.removeprefix("scale_").removesuffix("_build_s")
        rows.append((f"{label}-row build (cold cache)", key, f"scale_{label}_vs_clean"))
    lines = [f"{'measure':<38}{'seconds':>9}  ratio", "-" * 62]
    for label, key, ratio_key in rows:
        value = results.get(key)
        ratio = ratios.get(ratio_key) if ratio_key else None
        ratio_text = ""
        if ratio_key:
            shown = "clean/plain" if ratio_key == "clean_vs_plain" else "x clean"
            ratio_text = f"{_fmt(ratio)} {shown}"
        lines.append(f"{label:<38}{_fmt(value, 1):>9}  {ratio_text}")
    page_bytes = results.get("max_chapter_page_bytes")
    lines.append(
        f"{'largest chapter page (+ its data)':<38}"
        f"{'n/a' if page_bytes is None else f'{page_bytes:,}':>9}  bytes"
    )
    chapter_seconds = results.get("chapter_seconds") or {}
    if chapter_seconds:
        lines += ["", "seconds per chapter (status):"]
        for build, chapters in chapter_seconds.items():
            parts = [f"{slug} {c['seconds']:.1f} ({c['status']})" for slug, c in chapters.items()]
            lines.append(f"  {build:<22}" + ", ".join(parts))
    lines += ["", "acceptance:"]
    for check in results["checks"]:
        verdict = "PASS" if check["passed"] else "FAIL"
        lines.append(f"  {verdict}  {check['check']}: {check['measured']} (limit {check['limit']})")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# running builds


@dataclass
class BuildRun:
    name: str
    seconds: float
    returncode: int
    log: str
    steps_s: dict[str, float] = field(default_factory=dict)
    chapters: dict[str, dict] = field(default_factory=dict)
    pages: dict[str, dict] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _run_timed(command: list[str], env: dict[str, str], log: Path, timeout_s: float) -> tuple:
    """(seconds, return code, output) of ``command``; output also written to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True,
        )  # fmt: skip
        try:
            returncode = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _stop(process)
            returncode = -1
        except KeyboardInterrupt:
            _stop(process)
            raise
    seconds = time.perf_counter() - started
    return seconds, returncode, log.read_text(encoding="utf-8", errors="replace")


def _stop(process: subprocess.Popen) -> None:
    """Stop our child's process group (the build stops its own kernels on SIGTERM)."""
    for signum, grace_s in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, signum)
            process.wait(timeout=grace_s)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def _environment(cache_dir: Path, book_root: Path | None) -> dict[str, str]:
    env = {**os.environ, paths.CACHE_DIR_ENV: str(cache_dir)}
    env.pop("XAIBOOK_BOOK_ROOT", None)
    if book_root is not None:
        env["XAIBOOK_BOOK_ROOT"] = str(book_root)
    return env


def run_build(
    name: str,
    out_dir: Path,
    cache_dir: Path,
    data_dir: Path,
    logs_dir: Path,
    book_root: Path | None = None,
    timeout_s: float = BUILD_TIMEOUT_S,
) -> BuildRun:
    """Time one `xaibook build` subprocess and collect its steps, chapters and page sizes."""
    print(f"[bench] {name}: xaibook build --data {data_dir}", flush=True)
    command = [
        sys.executable, "-m", "xaibook.cli", "build",
        "--out", str(out_dir), "--data", str(data_dir),
    ]  # fmt: skip
    seconds, returncode, output = _run_timed(
        command, _environment(cache_dir, book_root), logs_dir / f"{name}.log", timeout_s
    )
    steps, printed_chapters = parse_build_output(output)
    run = BuildRun(name, round(seconds, 2), returncode, str(logs_dir / f"{name}.log"), steps)
    html_dir = out_dir / "html"
    if run.ok:
        # what this run did (a no-change rebuild keeps the clean build's edition.json)
        run.chapters = printed_chapters or edition_chapters(html_dir) or {}
        run.pages = chapter_pages(html_dir)
    else:
        run.chapters = printed_chapters
        run.error = "\n".join(output.strip().splitlines()[-12:])
    verdict = "ok" if run.ok else f"FAILED (exit {returncode}); see {run.log}"
    print(f"[bench] {name}: {seconds:.1f} s, {verdict}", flush=True)
    return run


def append_row_copy(csv_file: Path, first_column_suffix: str = " (bench copy)") -> None:
    """Append a copy of the file's last record, its first cell suffixed (a real, valid change)."""
    text = csv_file.read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    copy = list(records[-1])
    copy[0] += first_column_suffix
    with open(csv_file, "a", encoding="utf-8", newline="") as handle:
        if not text.endswith("\n"):
            handle.write("\n")
        csv.writer(handle, lineterminator="\n").writerow(copy)


def plain_jupyter_book(book_root: Path, work: Path, logs_dir: Path, timeout_s: float) -> dict:
    """Build the same pages with jupyter-book alone, executing every notebook itself."""
    import yaml

    from xaibook.build import CELL_TIMEOUT_SECONDS, _jupyter_book_command, _toc_pages
    from xaibook.charts import write_vega_bundle
    from xaibook.latex import write_latex_files

    print("[bench] plain jupyter-book: jupyter-book build (execute_notebooks: force)", flush=True)
    book = work / "plain-book"
    shutil.rmtree(book, ignore_errors=True)
    book.mkdir(parents=True)
    pages = _toc_pages(book_root)
    for folder in sorted({Path(page).parent for page in pages} - {Path(".")}):
        ignored = shutil.ignore_patterns("downloads", ".*", "__pycache__")  # left by dev runs
        shutil.copytree(book_root / folder, book / folder, ignore=ignored)
    for name in [*PLAIN_BOOK_FILES, *pages]:
        shutil.copy2(book_root / name, book / name)
    config_file = book / "_config.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    config["execute"] = {
        **(config.get("execute") or {}),
        "execute_notebooks": "force",
        "timeout": CELL_TIMEOUT_SECONDS,  # the pipeline's limit per cell; Jupyter Book's is 30 s
    }
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    started = time.perf_counter()
    write_vega_bundle(book / "_static")  # the config loads it on every page
    write_latex_files(book / "_static")
    setup_s = time.perf_counter() - started
    command = [_jupyter_book_command(), "build", str(book), "--builder", "html"]
    # The chapters' own table cache (xaibook.data.dataset) starts empty, as in the clean build.
    env = _environment(work / "cache-plain", book_root=None)
    seconds, returncode, output = _run_timed(
        command, env, logs_dir / "plain-jupyter-book.log", timeout_s
    )
    notebook_seconds, failed = parse_plain_output(output)
    ok = returncode == 0 and not failed
    verdict = "ok" if ok else f"FAILED (exit {returncode}, failed notebooks: {failed})"
    print(f"[bench] plain jupyter-book: {seconds:.1f} s, {verdict}", flush=True)
    return {
        "seconds": round(seconds, 2),
        "ok": ok,
        "returncode": returncode,
        "setup_s": round(setup_s, 2),
        "chapters": {
            stem: {"status": "executed", "seconds": s} for stem, s in notebook_seconds.items()
        },
        "failed_notebooks": failed,
        "warnings": sum("WARNING" in line for line in output.splitlines()),
        "log": str(logs_dir / "plain-jupyter-book.log"),
    }


def measure_kernel_start(repeats: int = KERNEL_START_REPEATS) -> dict[str, float]:
    """Median seconds to start a chapter kernel, and to import what every chapter imports."""
    from jupyter_client.manager import start_new_kernel

    from xaibook.build import KERNEL_ARGUMENTS, KERNEL_NAME

    starts, imports = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        manager, client = start_new_kernel(
            kernel_name=KERNEL_NAME, extra_arguments=KERNEL_ARGUMENTS, startup_timeout=120
        )
        ready = time.perf_counter()
        try:
            client.execute_interactive(
                "import xaibook.chapter, xaibook.data.dataset, altair, pandas, pandera, myst_nb",
                timeout=300,
                output_hook=lambda message: None,
            )
            imports.append(time.perf_counter() - ready)
            starts.append(ready - started)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return {
        "kernel_start_s": round(statistics.median(starts), 2),
        "kernel_imports_s": round(statistics.median(imports), 2),
    }


def inputs_digest(book_root: Path) -> str:
    """Hash of what the cache keys hold besides data: xaibook's code and the notebooks. If it
    changes between two builds (someone editing), the second cannot reuse the first's cache."""
    files = [*paths.PACKAGE_DIR.rglob("*.py"), *(Path(book_root) / "chapters").glob("*.ipynb")]
    return digest_of_files((path.as_posix(), path) for path in sorted(files))


def machine_info() -> dict[str, object]:
    import psutil

    versions = {}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu_count": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "versions": versions,
    }


def clean_build_bounds(run: BuildRun, kernel: dict[str, float]) -> dict[str, object]:
    """Where the clean build's seconds go: steps, per-chapter kernels, and what is left."""
    steps = run.steps_s
    executed = [c for c in run.chapters.values() if c.get("status") == "executed"]
    accounted = sum(value for key, value in steps.items() if key != "total")
    return {
        "steps_s": steps,
        "chapters_executed": len(executed),
        "chapter_seconds_sum": round(sum(c["seconds"] for c in executed), 1),
        "kernel_start_s_per_chapter": kernel.get("kernel_start_s"),
        "kernel_imports_s_per_chapter": kernel.get("kernel_imports_s"),
        "kernel_start_and_imports_s_all_chapters": round(
            len(executed) * (kernel.get("kernel_start_s", 0) + kernel.get("kernel_imports_s", 0)),
            1,
        ),
        "process_start_and_unaccounted_s": round(run.seconds - accounted, 1),
        "latex_s": 0.0,  # the HTML build runs no LaTeX (make pdf does)
    }


def run_bench(
    out: Path,
    book_root: Path | None = None,
    keep_work: bool = False,
    timeout_s: float = BUILD_TIMEOUT_S,
    scale_rows: tuple[int, ...] = SCALE_ROWS,
) -> dict:
    """Run every measurement; returns what ``write_results`` writes to results.json."""
    out = out.resolve()
    work, logs = out / "work", out / "logs"
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(logs, ignore_errors=True)
    work.mkdir(parents=True)
    root = (book_root or paths.REPO_ROOT).resolve()
    data = paths.DATA_DIR.resolve()
    results: dict[str, object] = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    }
    machine = machine_info()
    runs: list[BuildRun] = []
    baseline_inputs = inputs_digest(root)
    inputs_changed: list[str] = []

    def build(name, out_name, cache_name, data_dir) -> BuildRun:
        run = run_build(
            name, work / out_name, work / cache_name, data_dir, logs, book_root, timeout_s
        )
        runs.append(run)
        if inputs_digest(root) != baseline_inputs:
            inputs_changed.append(name)
        return run

    print("[bench] kernel start-up", flush=True)
    kernel = measure_kernel_start()
    clean = build("clean", "out-seed", "cache-seed", data)
    noop = build("noop", "out-seed", "cache-seed", data)
    plain = plain_jupyter_book(root, work, logs, timeout_s)

    one_table_data = work / "data-one-table"
    shutil.copytree(data, one_table_data)
    warm = build("one-table-warm", "out-one-table", "cache-one-table", one_table_data)
    append_row_copy(tables.table_file(one_table_data, ONE_TABLE))
    one = build("one-table", "out-one-table", "cache-one-table", one_table_data)
    slugs = list(one.chapters)
    one_table = {
        "table": ONE_TABLE,
        "change": "appended a copy of the last row (first cell suffixed)",
        "expected": chapters_reading(ONE_TABLE, slugs or None),
        "executed": (
            [slug for slug, c in one.chapters.items() if c["status"] == "executed"]
            if one.ok and warm.ok
            else None
        ),
    }
    shutil.rmtree(one_table_data, ignore_errors=True)

    from tools import synth

    scale: dict[str, object] = {}
    scale_seconds: dict[str, float | None] = {}
    for rows in scale_rows:
        key = scale_key(rows)
        label = key.removesuffix("_build_s")
        scale_data = work / f"data-{label}"
        print(f"[bench] generating {rows:,} funding rows", flush=True)
        started = time.perf_counter()
        counts = synth.generate(data, scale_data, rows)
        generate_s = round(time.perf_counter() - started, 2)
        run = build(label, f"out-{label}", f"cache-{label}", scale_data)
        scale_seconds[key] = run.seconds if run.ok else None
        scale[key] = {"funding_rows": rows, "generate_s": generate_s, "table_rows": counts}
        shutil.rmtree(scale_data, ignore_errors=True)
        shutil.rmtree(work / f"out-{label}", ignore_errors=True)
        shutil.rmtree(work / f"cache-{label}", ignore_errors=True)

    page_maxima = [
        page["total_bytes"] for run in runs if run.ok for page in run.pages.values()
    ]  # fmt: skip
    bundle = work / "out-seed" / "html" / "_static" / "vega-bundle.js"
    measures: dict[str, object] = {
        "clean_build_s": clean.seconds if clean.ok else None,
        "plain_jupyter_book_s": plain["seconds"] if plain["ok"] else None,
        "noop_rebuild_s": noop.seconds if noop.ok else None,
        "one_table_rebuild_s": one.seconds if one.ok and warm.ok else None,
        **scale_seconds,
        "max_chapter_page_bytes": max(page_maxima) if page_maxima else None,
    }
    results.update(measures)
    results["ratios"] = compute_ratios(measures)
    results["checks"] = evaluate(measures, one_table, [run.name for run in runs if not run.ok])
    # A cached rebuild compares with the build before it: an edit in between re-executes
    # chapters and makes its time meaningless. (Cold scale builds do not depend on it.)
    disturbed = [name for name in inputs_changed if name in CACHE_COMPARED_BUILDS]
    results["checks"].append(
        _check(
            "code and chapters unchanged from the clean build to the one-table rebuild",
            not disturbed,
            "changed during: " + ", ".join(disturbed) if disturbed else "unchanged",
            "unchanged (else the cached rebuild times are invalid)",
        )
    )
    results["inputs_changed_during"] = inputs_changed
    results["thresholds"] = {
        "clean_vs_plain_max": CLEAN_VS_PLAIN_MAX_RATIO,
        "noop_vs_clean_max": NOOP_VS_CLEAN_MAX_RATIO,
        "scale_100k_vs_clean_max": SCALE_100K_VS_CLEAN_MAX_RATIO,
        "chapter_page_max_bytes": CHAPTER_PAGE_MAX_BYTES,
    }
    results["chapter_seconds"] = {run.name: run.chapters for run in runs} | {
        "plain-jupyter-book": plain["chapters"]
    }
    results["one_table"] = one_table
    results["scale"] = scale
    results["plain_jupyter_book"] = plain
    results["plain_setup_s"] = plain["setup_s"]
    results["vega_bundle_bytes"] = bundle.stat().st_size if bundle.is_file() else None
    results["pages"] = {run.name: run.pages for run in runs if run.ok}
    results["builds"] = {
        run.name: {k: v for k, v in asdict(run).items() if k not in ("pages", "chapters")}
        for run in runs
    }
    results["bounds"] = {"clean_build": clean_build_bounds(clean, kernel), **kernel}
    machine["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    results["machine"] = machine
    results["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if not keep_work:
        shutil.rmtree(work, ignore_errors=True)
    return results


def write_results(results: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / "results.json"
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", type=Path, default=paths.DEFAULT_OUT_DIR / "bench")
    parser.add_argument(
        "--book-root", type=Path, default=None, help="book to build (default: this repository)"
    )
    parser.add_argument("--keep-work", action="store_true", help="keep builds, caches and data")
    parser.add_argument("--timeout-s", type=float, default=BUILD_TIMEOUT_S, help="per build")
    parser.add_argument(
        "--scale-rows", type=int, nargs="+", default=list(SCALE_ROWS),
        help="funding rows of the synthetic builds (default: 100000 1000000; fewer for a trial)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    results = run_bench(
        args.out, args.book_root, args.keep_work, args.timeout_s, tuple(args.scale_rows)
    )
    target = write_results(results, args.out.resolve())
    print()
    print(format_table(results))
    failed = [check for check in results["checks"] if not check["passed"]]
    print(f"\n{'FAIL: ' + str(len(failed)) + ' check(s) failed' if failed else 'all checks pass'}")
    print(f"results: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
