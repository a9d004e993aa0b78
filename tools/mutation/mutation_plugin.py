"""A pytest plugin for mutation runs (``-p mutation_plugin``, see pyproject's [tool.mutmut]).

Hypothesis draws the same examples on every run: otherwise a mutant could be killed on one run
and survive the next, and the example database a killed mutant leaves behind would decide what
later mutants are tested with.

The table cache is keyed by the bytes of dataset.py, schema.py and rawcsv.py, and mutmut's
copies of those files hold every mutant at once. A mutant of the loading code therefore gets an
empty cache for its session (a shared one would hand it tables typed by the original code, so
its mutation would never run); within the session the first test that loads a table types it
with that mutant. Mutants elsewhere (facts, cache, publish, params) cannot change how a table is
typed, so they share one cache and skip seconds of typing per mutant.

mutmut runs a mutant's tests with ``-x`` in the order it lists them, which is arbitrary. The
plugin runs first the tests that have killed the most mutants so far in this run (each failure
under a mutant is counted in mutants/.killer-tests), then the fastest (durations from mutmut's
stats run): a mutant is usually killed by a test that killed its neighbours, and one that a
quick test kills does not wait for the slow ones. The order changes only how soon a mutant is
killed, never whether it is.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import settings

settings.register_profile("mutation", derandomize=True, database=None, print_blob=False)
settings.load_profile("mutation")

# the data layer's modules that type and check tables: a mutant of one must not read tables
# another mutant's session cached
LOADER_MODULES = tuple(
    f"xaibook.data.{name}."
    for name in (
        "rawcsv", "columns", "table_cache", "checks", "dataset", "schema", "limits", "validate"
    )
)  # fmt: skip
MUTANTS = Path(__file__).resolve().parents[2] / "mutants"
SHARED_CACHE = MUTANTS / ".shared-table-cache"
STATS = MUTANTS / "mutmut-stats.json"
KILLERS = MUTANTS / ".killer-tests"

_session_cache: str | None = None


def pytest_configure(config) -> None:
    global _session_cache
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant and not mutant.startswith(LOADER_MODULES):
        SHARED_CACHE.mkdir(parents=True, exist_ok=True)
        os.environ["XAIBOOK_CACHE_DIR"] = str(SHARED_CACHE)
        return
    _session_cache = tempfile.mkdtemp(prefix="xaibook-mutation-cache-")
    os.environ["XAIBOOK_CACHE_DIR"] = _session_cache


def pytest_unconfigure(config) -> None:
    if _session_cache:
        shutil.rmtree(_session_cache, ignore_errors=True)


def pytest_collection_modifyitems(session, config, items) -> None:
    if not os.environ.get("MUTANT_UNDER_TEST") or not STATS.exists():
        return
    seconds_by_test = json.loads(STATS.read_text(encoding="utf-8"))["duration_by_test"]
    kills = Counter(KILLERS.read_text(encoding="utf-8").splitlines()) if KILLERS.exists() else {}
    # A test the stats run did not time goes last; sort is stable, so ties keep pytest's order.
    items.sort(
        key=lambda item: (-kills.get(item.nodeid, 0), seconds_by_test.get(item.nodeid, math.inf))
    )


def pytest_runtest_logreport(report) -> None:
    if report.failed and os.environ.get("MUTANT_UNDER_TEST"):
        with open(KILLERS, "a", encoding="utf-8") as killers:  # one short line: one write
            killers.write(report.nodeid + "\n")
