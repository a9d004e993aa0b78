"""What the build's steps share: the build's plan, the ANSI colour pattern, reading YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from xaibook.cache import ExecutionCache
from xaibook.chapters import Chapter
from xaibook.errors import BuildError

ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


@dataclass(frozen=True)
class _Plan:
    """What a build decided before touching the output folder."""

    book_root: Path
    out_dir: Path
    resolved: dict[str, object]
    formats: tuple[str, ...]
    registry: tuple[Chapter, ...]
    cache: ExecutionCache
    jobs: int
    keep_going: bool
    use_cache: bool

    @property
    def data_dir(self) -> Path:
        return Path(self.resolved["data_dir"])


def _read_yaml(path: Path) -> dict:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except yaml.YAMLError as error:
        raise BuildError(f"{path.name} is not valid YAML: {error}") from None
