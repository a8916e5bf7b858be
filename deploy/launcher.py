"""``python -m deploy``: N Streamlit processes and nginx in front of them, started and stopped together.

Every process runs ``streamlit run app.py`` on its own port on 127.0.0.1 with the same environment,
so they all use the same database (``DATABASE_URL`` or ``.streamlit/secrets.toml``, as with
``scripts/run``). nginx runs in the foreground as a child of the launcher with a configuration
written into the run folder. A Streamlit process that dies is started again on its port; when nginx
dies, or on Ctrl-C or SIGTERM, everything is stopped and waited for.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO

from deploy.nginx import ACCESS_LOG, ERROR_LOG, Proxy, nginx_config, upload_limit_mb

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")  # sbin is not on a user's PATH in Debian

STARTUP_TIMEOUT = 90.0  # seconds: N processes importing the app at once on two cores
STOP_TIMEOUT = 15.0
_WATCH_INTERVAL = 0.5
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class LaunchError(RuntimeError):
    """Something the person starting the launcher can fix: the message says what."""


@dataclass
class Child:
    """One process the launcher started, how to start it again, and where its output goes."""

    name: str
    command: list[str]
    log: Path
    env: dict[str, str]
    health_url: str | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        with self.log.open("ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: Ctrl-C reaches the launcher only, which stops everyone in order.
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()

    def wait(self, deadline: float) -> None:
        """Wait for the process until ``deadline`` (monotonic), then kill it."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m deploy",
        description="Serve Outside-In from several Streamlit processes behind nginx, with sticky sessions.",
    )
    parser.add_argument(
        "--processes",
        type=_positive,
        default=_cores(),
        help="Streamlit processes to start (default: one per core)",
    )
    parser.add_argument("--port", type=_port, default=8501, help="the port nginx listens on (default: 8501)")
    parser.add_argument(
        "--address",
        default="0.0.0.0",
        help="the address nginx listens on (default: every interface, so that phones can reach it)",
    )
    parser.add_argument(
        "--run-dir",
        type=Path,
        default=None,
        help="folder for nginx's configuration and every process's log (default: a temporary one, removed at exit)",
    )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    temporary = args.run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="outside-in-serve-")) if temporary else args.run_dir.resolve()
    children: list[Child] = []
    try:
        children = _launch(args, run_dir, stop, out)
        return _watch(children, stop, out)
    except LaunchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        _stop_all(children)
        if temporary:
            shutil.rmtree(run_dir, ignore_errors=True)


def _launch(args: argparse.Namespace, run_dir: Path, stop: threading.Event, out: TextIO) -> list[Child]:
    """Start the Streamlit processes, then nginx once they all answer; what was started, to be
    watched and stopped. Returns early, with what it has started, when asked to stop meanwhile."""
    nginx = _nginx_binary()
    _check_port_free(args.address, args.port)
    (run_dir / "temp").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    children = [_streamlit(number, _free_port(), run_dir, env) for number in range(1, args.processes + 1)]
    started: list[Child] = []
    try:
        for child in children:
            child.start()
            started.append(child)
        for child in children:
            _wait_until_healthy(child, stop)
        if stop.is_set():
            return started
        proxy = Proxy(
            address=args.address,
            port=args.port,
            upstream_ports=tuple(_port_of(child) for child in children),
            upload_limit_mb=upload_limit_mb(STREAMLIT_CONFIG),
        )
        config = run_dir / "nginx.conf"
        config.write_text(nginx_config(proxy), encoding="utf-8")
        front = _nginx(nginx, config, f"http://{_local(args.address)}:{args.port}/_stcore/health", env)
        front.start()
        started.append(front)
        _wait_until_healthy(front, stop)
    except BaseException:
        _stop_all(started)
        raise
    if stop.is_set():  # Ctrl-C while starting: nothing to announce
        return started
    url = f"http://{_local(args.address)}:{args.port}"
    processes = "1 Streamlit process" if len(children) == 1 else f"{len(children)} Streamlit processes"
    print(f"Outside-In is served at {url} by {processes} behind nginx.", file=out)
    for child in children:
        print(f"  {child.name}: 127.0.0.1:{_port_of(child)}, log {child.log}", file=out)
    print(f"  nginx: requests by route and process in {run_dir / ACCESS_LOG}", file=out)
    print("Press Ctrl-C to stop.", file=out, flush=True)
    return started


def _watch(children: list[Child], stop: threading.Event, out: TextIO) -> int:
    """Until asked to stop: start a Streamlit process again when it dies; give up when nginx does."""
    while not stop.wait(_WATCH_INTERVAL):
        for child in children:
            if child.alive():
                continue
            assert child.process is not None
            code = child.process.returncode
            if child.name == "nginx":
                print(f"nginx stopped (exit code {code}); see {child.log.parent / ERROR_LOG}", file=sys.stderr)
                return 1
            # Its sessions reconnect to another process meanwhile; their answers are in the database.
            print(f"{child.name} stopped (exit code {code}); starting it again", file=out, flush=True)
            child.start()
    print("Stopping.", file=out, flush=True)
    return 0


def _stop_all(children: list[Child]) -> None:
    """nginx first, so that no request reaches a process that is going away; then the rest, together."""
    for child in sorted(children, key=lambda child: child.name != "nginx"):
        child.terminate()
        if child.name == "nginx":
            child.wait(time.monotonic() + STOP_TIMEOUT)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        child.wait(deadline)


def _streamlit(number: int, port: int, run_dir: Path, env: dict[str, str]) -> Child:
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    return Child(
        name=f"streamlit-{number}",
        command=command,
        log=run_dir / f"streamlit-{number}.log",
        env=env,
        health_url=f"http://127.0.0.1:{port}/_stcore/health",
    )


def _nginx(binary: str, config: Path, health_url: str, env: dict[str, str]) -> Child:
    run_dir = config.parent
    command = [binary, "-p", f"{run_dir}/", "-c", str(config)]
    # -e: nginx opens an error log before it reads its configuration; Debian's default one is root's.
    command += ["-e", str(run_dir / ERROR_LOG), "-g", "daemon off;"]
    return Child(name="nginx", command=command, log=run_dir / "nginx.log", env=env, health_url=health_url)


def _wait_until_healthy(child: Child, stop: threading.Event) -> None:
    assert child.health_url is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not stop.is_set():
        if not child.alive():
            raise LaunchError(f"{child.name} stopped while starting; see {child.log} and the logs beside it")
        try:
            with urllib.request.urlopen(child.health_url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise LaunchError(f"{child.name} did not answer {child.health_url} within {STARTUP_TIMEOUT:.0f} s")
        stop.wait(0.1)


def _nginx_binary() -> str:
    found = shutil.which("nginx") or next((path for path in NGINX_CANDIDATES if os.access(path, os.X_OK)), None)
    if found is None:
        raise LaunchError("nginx is not installed (bash scripts/serve installs Debian's nginx package)")
    return found


def _die_with_parent() -> None:
    """Runs in the child before it starts: should the launcher be killed outright (SIGKILL, no
    chance to stop anyone), Linux sends this child SIGTERM, so that no process is left behind."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _check_port_free(address: str, port: int) -> None:
    """Before anything starts: nginx would fail on a port in use, and whatever answers there (another
    app, say) could pass for it."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as probe:
        # As nginx does: a connection of an earlier run that lingers in TIME_WAIT does not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as error:
            raise LaunchError(f"nginx cannot listen on {address} port {port}: {error.strerror}") from error


def _cores() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_of(child: Child) -> int:
    return int(child.command[child.command.index("--server.port") + 1])


def _local(address: str) -> str:
    """The address to reach nginx from this machine (every interface includes loopback)."""
    if address in ("0.0.0.0", ""):
        return "127.0.0.1"
    if address == "::":
        return "[::1]"
    return f"[{address}]" if ":" in address else address


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be a port number from 1 to 65535")
    return value
