"""A real ``streamlit run`` server for the benchmarks, started and stopped around a block."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def streamlit_server(script: Path, port: int, env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[str]:
    """Run ``script`` on ``port`` and yield its address once ``/_stcore/health`` answers."""
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
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)
