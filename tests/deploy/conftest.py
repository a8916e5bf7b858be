"""``python -m deploy`` started as an operator starts it, for the tests that need the real thing.

nginx is Debian's package (``bash scripts/test`` installs it): without it these tests skip on a
developer's machine and fail in CI (CI=true).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.nginx import ACCESS_LOG

from ..e2e.conftest import ROOT, free_port, wait_for_health

READY = "Press Ctrl-C to stop."  # the launcher's last line once it serves


def require_nginx() -> None:
    if shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK):
        return
    reason = "nginx is not installed (bash scripts/test installs Debian's nginx package)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; these tests must run in CI")
    pytest.skip(reason)


@dataclass
class Room:
    """The launcher running: the address people use, its run folder and its own output."""

    url: str
    run_dir: Path
    output: Path
    launcher: subprocess.Popen[bytes]

    def requests(self) -> list[tuple[str, str, str, str]]:
        """(route, process, status, path) of every request nginx has logged so far."""
        rows = []
        for line in (self.run_dir / ACCESS_LOG).read_text(encoding="utf-8").splitlines():
            _, route, upstream, status, _, path = line.split(" ", 5)
            rows.append((route, upstream, status, path))
        return rows

    def processes_of(self, route: str, wait: float = 10.0) -> set[str]:
        """The processes (address:port) that served the browser holding ``route``. nginx writes its
        log line after the response has gone, so a request just answered may not be in it yet:
        wait up to ``wait`` seconds for the route to appear."""
        deadline = time.monotonic() + wait
        while True:
            found = {upstream for r, upstream, _, _ in self.requests() if r == route}
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def process_ports(self) -> list[int]:
        """The Streamlit processes' ports, as the launcher printed them."""
        text = self.output.read_text(encoding="utf-8")
        return [int(port) for port in re.findall(r"^  streamlit-\d+: 127\.0\.0\.1:(\d+),", text, re.MULTILINE)]

    def descendants(self) -> set[int]:
        """Every process under the launcher: the Streamlit processes, nginx and its workers."""
        found: set[int] = set()
        todo = [self.launcher.pid]
        while todo:
            pid = todo.pop()
            try:
                children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except FileNotFoundError:  # it has ended meanwhile
                continue
            found.update(children)
            todo += children
        return found


@contextmanager
def served_room(processes: int, database_url: str, folder: Path) -> Iterator[Room]:
    """``python -m deploy --processes N`` on a free port, until nginx answers; stopped afterwards."""
    require_nginx()
    port = free_port()
    run_dir = folder / "run"
    command = [sys.executable, "-m", "deploy", "--processes", str(processes), "--port", str(port)]
    command += ["--address", "127.0.0.1", "--run-dir", str(run_dir)]
    output = folder / "launcher.log"
    with output.open("wb") as log:  # the child keeps its own copy of the descriptor
        launcher = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, stdout=log, stderr=subprocess.STDOUT
        )
    room = Room(f"http://127.0.0.1:{port}", run_dir, output, launcher)
    try:
        _wait_until_ready(room)
        yield room
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            try:
                launcher.wait(timeout=40)
            except subprocess.TimeoutExpired:
                launcher.kill()
                launcher.wait()


def _wait_until_ready(room: Room, timeout: float = 120) -> None:
    """Until the launcher says it serves (nginx starts once every process answers) and nginx does."""
    deadline = time.monotonic() + timeout
    while READY not in room.output.read_text(encoding="utf-8"):
        assert room.launcher.poll() is None, room.output.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, f"the launcher was not ready within {timeout:.0f} s"
        time.sleep(0.1)
    wait_for_health(room.url)


def survivors(pids: set[int], timeout: float) -> set[int]:
    """The processes among ``pids`` still running after ``timeout`` seconds; ended, so that a failed
    test leaves nothing behind either."""
    deadline = time.monotonic() + timeout
    while True:
        alive = set()
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.add(pid)
            except ProcessLookupError:
                pass
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    return alive
