"""Real-browser fixtures: a `streamlit run` server on a free port and Debian's Chromium.

When CI=true these tests must run: a missing browser or server is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (browser tests must run in CI)")
    pytest.skip(reason)


def chromium_path() -> str:
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    _unavailable("Chromium is not installed (bash scripts/test installs Debian's chromium package)")
    raise AssertionError("unreachable")


def axe_core_path() -> Path:
    """axe-core's browser build, from the npm registry (``npm ci`` in ``bash scripts/test``)."""
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        _unavailable("axe-core is not installed (bash scripts/test installs it with npm ci)")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(url: str, timeout: float = 60.0) -> float:
    """Seconds until ``url/_stcore/health`` answers ok."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not become healthy within {timeout:.0f} s")


class AppServer:
    """``streamlit run app.py`` on its own SQLite file and port, both kept across restarts, so a
    test can crash the server and start it again as an operator would."""

    def __init__(self, database: Path, log: Path) -> None:
        self.database = database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.database}"}
        command = [sys.executable, "-m", "streamlit", "run", "app.py"]
        command += ["--server.port", str(self.port), "--server.headless", "true"]
        with self._log.open("a") as log:  # the child keeps its own copy of the descriptor
            self._process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_health(self.url)
        except TimeoutError:
            self.crash()
            raise

    def stop(self) -> None:
        """End the server politely and wait for it."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=15)
            self._process = None

    def crash(self) -> None:
        """End the server at once, with no chance to finish what it was doing (SIGKILL)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=15)
            self._process = None

    def freeze(self) -> None:
        """Stop the server's process without closing its connections (SIGSTOP): a browser keeps
        sending into them, and nothing it sends is read."""
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)


def _started(directory: Path) -> AppServer:
    server = AppServer(directory / "e2e.sqlite3", directory / "streamlit.log")
    server.start()
    return server


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app, started as a person would start it, on its own SQLite file; tests that need data
    on its pages write it into ``database`` with ``storage``."""
    server = _started(tmp_path_factory.mktemp("e2e"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_server(shared_server: AppServer) -> str:
    """The shared app's address."""
    return shared_server.url


@pytest.fixture()
def own_server(tmp_path: Path) -> Iterator[AppServer]:
    """A server of the test's own, for tests that crash and restart it."""
    server = _started(tmp_path)
    try:
        yield server
    finally:
        server.crash()  # also ends a frozen process, which would not act on a polite SIGTERM


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(tab: object, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path
