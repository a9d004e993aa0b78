"""`xaibook build`: parameters -> data check -> staged book -> chapters -> render -> publish.

The build works on a private copy of the book (``OUT/.staging-<random>/book``) and touches the
published output only in its last step, with one atomic switch (``xaibook.publish``). Whatever
goes wrong before that (bad parameters, bad data, a chapter raising, LaTeX failing, Ctrl-C,
SIGTERM, a full disk), the previous edition stays exactly as it was and the staging folder goes.

Heavy imports (papermill, nbformat, yaml) happen inside the steps that need them, so a refused
parameter is reported in milliseconds.

The steps, in the order a build takes them:

- ``pipeline``: ``run_build``, the entry point, and the order of the steps
- ``snapshot``: the build's own copy of the data and references.bib, and its validation
- ``staging``: the pages _toc.yml lists, their chapters, the private copy of the book
- ``edition``: the edition record, its stamp in the staged _config.yml, the content digest
- ``execute``: chapters restored from the cache or run with papermill, failures reported
- ``render``: jupyter-book (HTML, PDF via LaTeX) and the switch to the new edition
- ``interrupts``: Ctrl-C and SIGTERM, stopping child processes
- ``base``: what several steps share (the plan, the ANSI pattern, reading YAML)
"""

from xaibook.build.base import ANSI_ESCAPE
from xaibook.build.execute import (
    CELL_TIMEOUT_SECONDS,
    FAILED_NOTEBOOKS_DIR_NAME,
    INJECTED_CELL_COMMENT,
    KERNEL_ARGUMENTS,
    KERNEL_NAME,
    KERNEL_START_TIMEOUT_SECONDS,
    TRACEBACK_CELL_LINE,
    ChapterRun,
)
from xaibook.build.pipeline import BOOK_ROOT_ENV, CACHE_DIR_ENV, run_build
from xaibook.build.render import (
    BUILD_LOG_NAME,
    EDITION_FILE_NAME,
    ERROR_LOG_NAME,
    LOG_LINE_MAX_CHARS,
    LOG_TAIL_LINES,
    PDF_FILE_NAME,
    RELEVANT_LOG_LINE,
    _jupyter_book_command as _jupyter_book_command,
    _publish as _publish,
)
from xaibook.build.snapshot import SNAPSHOT_DIR_NAME
from xaibook.build.staging import (
    BOOK_SUPPORT_FILES,
    PAGE_SUFFIXES,
    _toc_pages as _toc_pages,
    environment_vega_bundle,
)

__all__ = [
    "ANSI_ESCAPE",
    "BOOK_ROOT_ENV",
    "BOOK_SUPPORT_FILES",
    "BUILD_LOG_NAME",
    "CACHE_DIR_ENV",
    "CELL_TIMEOUT_SECONDS",
    "EDITION_FILE_NAME",
    "ERROR_LOG_NAME",
    "FAILED_NOTEBOOKS_DIR_NAME",
    "INJECTED_CELL_COMMENT",
    "KERNEL_ARGUMENTS",
    "KERNEL_NAME",
    "KERNEL_START_TIMEOUT_SECONDS",
    "LOG_LINE_MAX_CHARS",
    "LOG_TAIL_LINES",
    "PAGE_SUFFIXES",
    "PDF_FILE_NAME",
    "RELEVANT_LOG_LINE",
    "SNAPSHOT_DIR_NAME",
    "TRACEBACK_CELL_LINE",
    "ChapterRun",
    "environment_vega_bundle",
    "run_build",
]
