"""The package's layers import one way: data -> model -> chapters' text and charts -> build ->
command line. A module of a lower layer that imports a higher one fails here, with both named."""

from __future__ import annotations

import ast
from pathlib import Path

from xaibook import paths

# what each lower layer may import from xaibook besides itself: the foundation (paths, errors,
# text made safe for the page)
FOUNDATION = {"xaibook", "xaibook.paths", "xaibook.errors", "xaibook.text"}
LAYERS = {
    "xaibook.data": FOUNDATION,
    "xaibook.model": FOUNDATION | {"xaibook.data", "xaibook.formatting"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "xaibook":
            found.update(f"xaibook.{alias.name}" for alias in node.names)  # from xaibook import x
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xaibook"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("xaibook"))
    return found


def _allowed(module: str, layer: str, allowed: set[str]) -> bool:
    return any(
        module == a or module.startswith(f"{a}.") for a in (layer, *allowed - {"xaibook"})
    ) or (module == "xaibook")


def test_lower_layers_import_nothing_above_them():
    wrong = []
    for layer, allowed in LAYERS.items():
        folder = paths.PACKAGE_DIR / layer.removeprefix("xaibook.")
        for path in sorted(folder.rglob("*.py")):
            for module in _imports(path):
                if not _allowed(module, layer, allowed):
                    wrong.append(f"{path.relative_to(paths.PACKAGE_DIR)} imports {module}")
    assert not wrong, "\n".join(wrong)
