"""``python -m deploy`` with real processes: sticky routes, a process restarted when it dies, and
nothing left behind when the launcher ends, politely or not."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from deploy.launcher import build_parser
from deploy.nginx import ROUTE_COOKIE

from ..e2e.conftest import ROOT, wait_for_health
from .conftest import Room, require_nginx, served_room, survivors


def _get(url: str, route: str | None = None) -> str | None:
    """GET ``url``, with the route cookie when given; the route nginx hands out, if any."""
    request = urllib.request.Request(url, headers={"Cookie": f"{ROUTE_COOKIE}={route}"} if route else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        cookies = response.headers.get_all("Set-Cookie") or []
    given = [c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith(f"{ROUTE_COOKIE}=")]
    return given[0] if given else None


def _pid_on_port(room: Room, port: int) -> int:
    for pid in room.descendants():
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"--server.port" in command and command[command.index(b"--server.port") + 1] == str(port).encode():
            return pid
    raise AssertionError(f"no process on port {port}")


def test_a_browser_keeps_its_process_and_new_browsers_spread(tmp_path: Path) -> None:
    with served_room(2, f"sqlite:///{tmp_path / 'room.sqlite3'}", tmp_path) as room:
        health = f"{room.url}/_stcore/health"
        route = _get(health)
        assert route is not None and len(route) == 32  # nginx's random request id, in hex
        for _ in range(10):
            assert _get(health, route) is None  # the browser has its route: no new one
        assert len(room.processes_of(route)) == 1

        fresh = [_get(health) for _ in range(20)]
        assert len(set(fresh)) == 20
        used = set().union(*(room.processes_of(str(r)) for r in fresh))
        assert used == {f"127.0.0.1:{port}" for port in room.process_ports()}

        children = room.descendants()
        room.launcher.send_signal(signal.SIGTERM)
        assert room.launcher.wait(timeout=40) == 0
        assert not survivors(children, timeout=1)


def test_a_dead_process_is_started_again_and_a_killed_launcher_leaves_nothing(tmp_path: Path) -> None:
    with served_room(2, f"sqlite:///{tmp_path / 'room.sqlite3'}", tmp_path) as room:
        port = room.process_ports()[0]
        os.kill(_pid_on_port(room, port), signal.SIGKILL)
        wait_for_health(f"http://127.0.0.1:{port}", timeout=90)
        assert "streamlit-1 stopped (exit code -9); starting it again" in room.output.read_text(encoding="utf-8")
        wait_for_health(room.url)

        children = room.descendants()
        assert len(children) >= 4  # two Streamlit processes, nginx and its worker
        room.launcher.kill()  # no chance to stop anyone: the children learn it from the kernel
        room.launcher.wait()
        assert not survivors(children, timeout=20)


@pytest.mark.parametrize("argv", [["--processes", "0"], ["--port", "70000"], ["--processes", "two"]])
def test_nonsense_options_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        build_parser().parse_args(argv)
    assert refused.value.code == 2


def test_a_port_in_use_is_refused_before_anything_starts(tmp_path: Path) -> None:
    require_nginx()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "deploy", "--port", str(port), "--address", "127.0.0.1"]
        command += ["--run-dir", str(tmp_path / "run")]
        refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30, check=False)
    assert refused.returncode == 1
    assert f"nginx cannot listen on 127.0.0.1 port {port}: Address already in use" in refused.stderr
    assert not list((tmp_path / "run").glob("streamlit-*.log"))  # no process was started
