"""The layer rules stated in the README, checked on the code itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI_ONLY = {"streamlit", "plotly"}
SQL = {"sqlalchemy", "alembic", "sqlite3", "psycopg", "psycopg2"}
PDF = {"fpdf", "pypdf"}

RULES = {
    "questions": UI_ONLY | SQL | PDF | {"scoring", "presentation", "cli", "ui", "storage", "reports"},
    "scoring": UI_ONLY | SQL | PDF | {"presentation", "cli", "ui", "storage", "reports"},
    "presentation": UI_ONLY | SQL | PDF | {"cli", "ui", "storage", "reports"},
    "reports": UI_ONLY | SQL | {"cli", "ui", "storage"},
    "storage": UI_ONLY | PDF | {"presentation", "cli", "ui", "reports"},
    "i18n": UI_ONLY | SQL | PDF | {"presentation", "cli", "ui", "storage", "reports", "scoring"},
    "charts": UI_ONLY | SQL | PDF | {"presentation", "cli", "ui", "storage", "reports"},
    "cli": UI_ONLY | SQL | {"ui", "storage"},
    "bench": {"ui"},
    # It starts processes and writes nginx's configuration: it runs the app, never imports it.
    "deploy": UI_ONLY | SQL | PDF | {"questions", "scoring", "presentation", "cli", "ui", "storage", "reports"},
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


# `python -m scoring` is the command line's published name: its entry module only starts `cli`.
EXCEPTIONS = {ROOT / "scoring" / "__main__.py": {"cli"}}


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_keeps_to_its_layer(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        forbidden = (_imports(path) & RULES[package]) - EXCEPTIONS.get(path, set())
        assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}"


def _ui_imports(path: Path) -> set[str]:
    """The ui modules a file imports, as dotted names (``ui.pages.home``, ``ui.routes``…)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ui":
            names |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.startswith("ui.")}
    return names


def test_routes_know_urls_and_tokens_not_pages() -> None:
    """Routes name the page modules; importing them would close a cycle (pages use routes)."""
    assert not {name for name in _ui_imports(ROOT / "ui" / "routes.py") if name.startswith("ui.pages")}


def test_pages_never_import_pages_and_components_never_import_pages() -> None:
    for folder in ("pages", "components"):
        for path in sorted((ROOT / "ui" / folder).glob("*.py")):
            pages = {name for name in _ui_imports(path) if name.startswith("ui.pages")}
            assert not pages, f"{path.relative_to(ROOT)} imports {sorted(pages)}"


def test_session_state_keys_live_in_the_state_module() -> None:
    """Every key the app reads or writes in session state is a name in ui/state.py."""
    literal = re.compile(r"session_state(?:\[|\.get\(|\.pop\(|\.setdefault\()\s*[\"']")
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name != "state.py":
            assert not literal.search(path.read_text(encoding="utf-8")), path.relative_to(ROOT)


def test_app_is_a_small_router() -> None:
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 100
    assert "st.navigation" in text and "scoring" not in _imports(ROOT / "app.py")


STYLESHEET = ROOT / "ui" / "script_style.py"


def test_no_page_renders_raw_html() -> None:
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, path.name
        assert "st.html" not in text or path == STYLESHEET, path.name


def test_the_one_stylesheet_is_fixed_text() -> None:
    """The only raw HTML is a constant stylesheet per language: nothing a user or a bank wrote."""
    from ui import script_style

    for style in script_style.STYLES.values():
        assert style.startswith("<style>") and style.endswith("</style>") and "{" in style
        assert "<" not in style[len("<style>") : -len("</style>")]
    assert "st.html(style)" in STYLESHEET.read_text(encoding="utf-8")


def test_storage_modules_share_no_private_names() -> None:
    # What two storage modules both need lives in a module of its own, under a public name; a
    # private name is free to change without looking beyond its own file.
    for path in sorted((ROOT / "storage").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("storage"):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                assert not private, f"{path.relative_to(ROOT)} imports {private} from {node.module}"
