"""A pytest plugin for mutation runs (loaded with ``-p mutation_plugin``, see setup.cfg).

Hypothesis draws the same examples on every run: otherwise a mutant could be killed on one run
and survive the next, and the example database a killed mutant leaves behind would decide what
later mutants are tested with.

Each pytest session (mutmut runs one per mutant) gets an empty table cache. The cache is keyed
by the bytes of dataset.py, schema.py and rawcsv.py, and mutmut's copies of those files hold
every mutant at once, so a shared cache would hand each mutant the tables typed by the original
code (its mutation never runs) or by another mutant. Within a session the first test that loads
a table types it with the mutant under test and the other tests reuse that, as in a real build.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from hypothesis import settings

settings.register_profile("mutation", derandomize=True, database=None, print_blob=False)
settings.load_profile("mutation")

_session_cache: str | None = None


def pytest_configure(config) -> None:
    global _session_cache
    _session_cache = tempfile.mkdtemp(prefix="xaibook-mutation-cache-")
    os.environ["XAIBOOK_CACHE_DIR"] = _session_cache


def pytest_unconfigure(config) -> None:
    if _session_cache:
        shutil.rmtree(_session_cache, ignore_errors=True)
