"""A real ``streamlit run`` server for the benchmarks, started and stopped around a block."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Server:
    """A running server: its address, and its process id for measuring its CPU time and memory."""

    url: str
    pid: int


@dataclass(frozen=True)
class Servers:
    """Several server processes behind one address: the proxy's, and every process doing the work
    (the Streamlit processes and nginx), whose CPU time and memory count together."""

    url: str
    pids: tuple[int, ...]


@contextmanager
def served(script: Path, port: int, env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[Server]:
    """Run ``script`` on ``port`` and yield the server once ``/_stcore/health`` answers."""
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.headless", "true"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, timeout, script)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextmanager
def streamlit_server(script: Path, port: int, env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[str]:
    """Run ``script`` on ``port`` and yield its address once ``/_stcore/health`` answers."""
    with served(script, port, env, timeout) as server:
        yield server.url


@contextmanager
def served_behind_proxy(
    processes: int, port: int, env: dict[str, str] | None = None, timeout: float = 90
) -> Iterator[Servers]:
    """The app from ``processes`` Streamlit processes behind nginx (``python -m deploy``, as the
    README starts it), yielded once the proxy answers ``/_stcore/health``."""
    command = [sys.executable, "-m", "deploy", "--processes", str(processes), "--port", str(port)]
    command += ["--address", "127.0.0.1"]
    launcher = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, timeout, "python -m deploy")
        workers = [
            child.pid
            for child in psutil.Process(launcher.pid).children(recursive=True)
            if "streamlit" in " ".join(child.cmdline()) or "nginx" in child.name()
        ]
        yield Servers(url, tuple(workers))
    finally:
        launcher.terminate()
        launcher.wait(timeout=30)


def _wait_for_health(url: str, timeout: float, what: object) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(what) from None
            time.sleep(0.05)
