"""LaTeX files the PDF build needs that Debian's TeX packages do not provide.

Sphinx copies ``latex_additional_files`` (paths relative to the book root) next to the .tex
file; ``_config.yml`` lists ``_static/latex/bbm.sty``, so the build writes the files there in
its staging copy with ``write_latex_files(staging / "_static")``. (The HTML build also copies
_static/, so the 1 KB .sty ends up in the web book too: harmless.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

LATEX_DIR = Path(__file__).resolve().parent
LATEX_FILES = (LATEX_DIR / "bbm.sty",)
STATIC_SUBDIR = "latex"  # _static/latex/, must match latex_additional_files in _config.yml


def write_latex_files(static_dir: Path) -> list[Path]:
    """Copy the LaTeX support files to ``static_dir/latex/``; identical files are left alone."""
    target_dir = Path(static_dir) / STATIC_SUBDIR
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in LATEX_FILES:
        target = target_dir / source.name
        if not (target.exists() and target.read_bytes() == source.read_bytes()):
            shutil.copyfile(source, target)
        written.append(target)
    return written
