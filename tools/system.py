"""Debian packages the PDF and the browser tests need: check, install when allowed, or say which.

``python3 tools/system.py ensure latex|browser`` is what ``make pdf`` and ``.ci/run`` call. A
developer tool, not part of the installed package; it needs only the standard library.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Measured in ../shared/TOOLCHAIN.md: enough for jupyter-book's xelatex build with Chinese
# titles (texlive-fonts-extra, 1.4 GB, is avoided with a local bbm.sty).
LATEX_PACKAGES = [
    "texlive-latex-recommended",
    "texlive-latex-extra",
    "texlive-fonts-recommended",
    "texlive-xetex",
    "latexmk",
    "fonts-freefont-otf",
    "fonts-noto-cjk",
    "texlive-lang-cjk",
    "texlive-lang-chinese",
    "poppler-utils",
]
BROWSER_PACKAGES = ["chromium"]

# what proves each package group is usable: commands on PATH and files TeX can find
LATEX_COMMANDS = ["xelatex", "latexmk", "pdftotext"]
LATEX_FILES = ["xeCJK.sty", "ctexhook.sty", "fncychap.sty"]
CHROMIUM = "/usr/bin/chromium"


def _tex_finds(name: str) -> bool:
    if not shutil.which("kpsewhich"):
        return False
    result = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def _has_font(family: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list", family], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def latex_missing() -> list[str]:
    """What the PDF build lacks on this machine, in words; empty when it can build."""
    missing = [f"command {c}" for c in LATEX_COMMANDS if not shutil.which(c)]
    missing += [f"TeX file {f}" for f in LATEX_FILES if not _tex_finds(f)]
    missing += [f"font {f}" for f in ("FreeSerif", "Noto Serif CJK SC") if not _has_font(f)]
    return missing


def browser_missing() -> list[str]:
    return [] if os.access(CHROMIUM, os.X_OK) else [f"browser {CHROMIUM}"]


GROUPS = {"latex": (LATEX_PACKAGES, latex_missing), "browser": (BROWSER_PACKAGES, browser_missing)}


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def ensure(group: str) -> int:
    packages, check = GROUPS[group]
    missing = check()
    if not missing:
        return 0
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if not can_install():
        print(
            f"missing for {group}: {', '.join(missing)}\n"
            f"install them with:\n  sudo {' '.join(command)}",
            file=sys.stderr,
        )
        return 1
    print(f"installing Debian packages for {group} (missing: {', '.join(missing)})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], [*command, "-qq"]):
        if subprocess.run(step, env=env, check=False).returncode != 0:
            print(f"failed: {' '.join(step)}", file=sys.stderr)
            return 1
    still = check()
    if still:
        print(f"still missing after install: {', '.join(still)}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "ensure" or argv[1] not in GROUPS:
        print("usage: python3 tools/system.py ensure latex|browser", file=sys.stderr)
        return 2
    return ensure(argv[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
