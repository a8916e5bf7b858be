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

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Server:
    """A running server: its address, and its process id for measuring its CPU time and memory."""

    url: str
    pid: int


@contextmanager
def served(script: Path, port: int, env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[Server]:
    """Run ``script`` on ``port`` and yield the server once ``/_stcore/health`` answers."""
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.headless", "true"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(script) from None
                time.sleep(0.02)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextmanager
def streamlit_server(script: Path, port: int, env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[str]:
    """Run ``script`` on ``port`` and yield its address once ``/_stcore/health`` answers."""
    with served(script, port, env, timeout) as server:
        yield server.url
