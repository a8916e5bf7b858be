"""The layer rules stated in the README, checked on the code itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI_ONLY = {"streamlit", "plotly"}
SQL = {"sqlalchemy", "alembic", "sqlite3", "psycopg", "psycopg2"}
PDF = {"fpdf", "pypdf"}

RULES = {
    "questions": UI_ONLY | SQL | PDF | {"scoring", "ui", "storage", "reports"},
    "scoring": UI_ONLY | SQL | PDF | {"ui", "storage", "reports"},
    "reports": UI_ONLY | SQL | {"ui", "storage"},
    "storage": UI_ONLY | PDF | {"ui", "reports"},
    "i18n": UI_ONLY | SQL | PDF | {"ui", "storage", "reports", "scoring"},
    "charts": UI_ONLY | SQL | PDF | {"ui", "storage", "reports"},
    "bench": {"ui"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


# The command line is an entry point, not the engine: `python -m scoring report` writes a PDF.
EXCEPTIONS = {ROOT / "scoring" / "cli.py": {"reports"}}


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_keeps_to_its_layer(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        forbidden = (_imports(path) & RULES[package]) - EXCEPTIONS.get(path, set())
        assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}"


def test_app_is_a_small_router() -> None:
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 100
    assert "st.navigation" in text and "scoring" not in _imports(ROOT / "app.py")


def test_no_page_renders_raw_html() -> None:
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text and "st.html" not in text, path.name


def test_storage_modules_share_no_private_names() -> None:
    # What two storage modules both need lives in a module of its own, under a public name; a
    # private name is free to change without looking beyond its own file.
    for path in sorted((ROOT / "storage").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("storage"):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                assert not private, f"{path.relative_to(ROOT)} imports {private} from {node.module}"
