"""A workshop room through the real Streamlit server: participants on the websocket protocol.

Run: ``.venv/bin/python -m bench.room`` (``--quick`` for a CI-size run, ``--help`` for the rest).

Each simulated participant is one websocket session speaking Streamlit's protocol as the browser
does (``bench.tab``): it opens the join link ``/join?c=CODE``, chooses a role, presses Start and,
on the questions page, taps an answer every 3-5 s (random), turning the page when every question
on it is answered. The widget ids, the page it lands on and its resume token all come from what the
server sends back. A facilitator keeps the dashboard open (``/facilitate?f=TOKEN``), whose
fragment the tab re-runs every 3 s as the browser's timer does.

Printed for each number of participants: the answer round trip (a tap sent until the server's
``script_finished``), opening the join link and the wait after Start until the questions are
drawn, the server's CPU time per script run and its memory per session (``psutil`` on the server
process), errors, and answers lost (every answer sent is looked for in the database afterwards),
the dashboard's refresh interval and how long after a participant joined the dashboard counted
them, and the load client's own CPU time. The floor, in the same run: a one-widget Streamlit app
(a script of one line, written to a temporary folder) driven by the same client at the same
numbers, with the ratio to it.

``--url`` points the client at a server already running (a proxy in front of several, say):
nothing is started, and ``--database-url`` must name the database that server uses. Its CPU and
memory are measured only for the processes given with ``--server-pid``. ``--soak SECONDS`` keeps
a room answering (participants leave and others join) and prints the server's memory over time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import secrets
import socket
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import psutil
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench.server import ROOT, served, served_behind_proxy
from bench.tab import Tab, TabError
from bench.workshop_load import ADMIN_URLS
from i18n import t
from questions.library import Library
from questions.loader import load_library
from storage import create_workshop, load_answers, make_engine, migrate

ROLES = ("Leadership", "Management", "Front line")
THINK_SECONDS = (3.0, 5.0)  # between two taps of one participant
DASHBOARD_SECONDS = 3.0  # the facilitator's fragment timer (ui.components.workshop.REFRESH_SECONDS)
# The floor: the same client against the least a Streamlit app with one answer can be.
ONE_WIDGET = 'import streamlit as st\nst.radio("answer", range(1, 6), index=None, key="answer")\n'
FULL_SIZES = (10, 50, 100, 200)
QUICK_SIZES = (10,)


@dataclass
class Figures:
    """What one room measured."""

    participants: int
    facilitator_token: str = ""  # the room's workshop, for looking at it afterwards
    answers: list[float] = field(default_factory=list)  # seconds, tap sent -> script_finished
    page_turns: list[float] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)  # join link opened -> page drawn
    joins: list[float] = field(default_factory=list)  # Start pressed -> questions drawn
    joined_at: list[float] = field(default_factory=list)  # monotonic time each join was drawn
    errors: list[str] = field(default_factory=list)
    sent: dict[str, dict[str, int]] = field(default_factory=dict)  # token -> item -> option index
    runs: int = 0  # script runs (full and fragment) finished while the room answered
    server_cpu: float | None = None  # seconds, the participants' runs while the room answered
    dashboard_cpu: float | None = None  # seconds per dashboard refresh, measured alone afterwards
    session_bytes: float | None = None  # server RSS growth per session after everyone joined
    client_cpu: float = 0.0
    dashboard_intervals: list[float] = field(default_factory=list)
    dashboard_lags: list[float] = field(default_factory=list)
    lost: int | None = None


class ServerProcesses:
    """The server processes whose CPU time and memory count (none: not measured)."""

    def __init__(self, pids: Sequence[int]) -> None:
        self.processes = [psutil.Process(pid) for pid in pids]

    def cpu(self) -> float | None:
        if not self.processes:
            return None
        return sum(p.cpu_times().user + p.cpu_times().system for p in self.processes)

    def rss(self) -> int | None:
        return sum(p.memory_info().rss for p in self.processes) if self.processes else None


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))] if ordered else float("nan")


def _client_cpu() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


# --- the people in the room --------------------------------------------------------------------


async def _participant(url: str, code: str, number: int, start_within: float, figures: Figures) -> Tab | None:
    """Join as a phone does: open the link, choose a role, press Start; the tab on its questions."""
    await asyncio.sleep(random.uniform(0, start_within))
    tab = Tab(url, "join", f"c={code}")
    try:
        figures.opens.append(await tab.open())
        await tab.choose("join_role", ROLES[number % len(ROLES)])
        figures.joins.append(await tab.press("join_start"))
        figures.joined_at.append(time.monotonic())
        if tab.page_name != "assess":
            raise TabError(f"Start led to {tab.page_name!r}, not to the questions")
        figures.sent[_token(tab)] = {}
        return tab
    except (TabError, OSError, TimeoutError) as error:
        figures.errors.append(f"join: {error}")
        await tab.close()
        return None


async def _answer(tab: Tab, taps: int, figures: Figures, stop_at: float | None = None) -> None:
    """Tap an answer every 3-5 s: the first unanswered question on the page, else turn the page.

    With ``stop_at`` (a soak), answers change at random once the page is done, until that time.
    """
    sent = figures.sent[_token(tab)]
    await asyncio.sleep(random.uniform(0, THINK_SECONDS[1]))
    done = 0
    while (stop_at is None and done < taps) or (stop_at is not None and time.monotonic() < stop_at):
        await asyncio.sleep(random.uniform(*THINK_SECONDS))
        try:
            questions = [w for w in tab.widgets.values() if "-answer__" in w.id]
            open_ones = [w for w in questions if w.id.split("-answer__", 1)[1] not in sent]
            if not open_ones and tab.has_widget("next"):
                figures.page_turns.append(await tab.press("next"))
                continue
            widget = open_ones[0] if open_ones else random.choice(questions)
            item_id = widget.id.split("-answer__", 1)[1]
            index = random.randrange(len(widget.options))
            sent[item_id] = index
            figures.answers.append(await tab.choose(f"answer__{item_id}", widget.options[index]))
            done += 1
        except (TabError, OSError, TimeoutError, IndexError) as error:
            figures.errors.append(f"answer: {error}")
            return


def _token(tab: Tab) -> str:
    return parse_qs(tab.query)["r"][0]


async def _floor_person(url: str, start_within: float, taps: int, figures: Figures) -> None:
    await asyncio.sleep(random.uniform(0, start_within))
    tab = Tab(url, "")
    try:
        figures.joins.append(await tab.open())
        figures.joined_at.append(time.monotonic())
        await asyncio.sleep(random.uniform(0, THINK_SECONDS[1]))
        for _ in range(taps):
            await asyncio.sleep(random.uniform(*THINK_SECONDS))
            widget = tab.widget("answer")
            figures.answers.append(await tab.choose("answer", random.choice(widget.options)))
    except (TabError, OSError, TimeoutError) as error:
        figures.errors.append(str(error))
    finally:
        await tab.close()


# --- one room --------------------------------------------------------------------------------


async def room(
    url: str,
    database_url: str,
    library: Library,
    participants: int,
    taps: int,
    join_window: float,
    server: ServerProcesses,
) -> Figures:
    """A workshop of ``participants`` through the server at ``url``: join, then ``taps`` each."""
    engine = make_engine(database_url)
    workshop = create_workshop(
        engine, title="Load bench", mode="quick", roles=ROLES, k=3, bank_versions=library.versions
    )
    figures = Figures(participants, workshop.facilitator_token)
    dashboard = Tab(url, "facilitate", f"f={workshop.facilitator_token}")
    await dashboard.open()
    rss_before = server.rss()
    cpu_client = _client_cpu()
    tabs = await asyncio.gather(
        *(_participant(url, workshop.join_code, n, join_window, figures) for n in range(participants))
    )
    joined = [tab for tab in tabs if tab is not None]
    rss_after = server.rss()
    if rss_before is not None and rss_after is not None and joined:
        figures.session_bytes = (rss_after - rss_before) / len(joined)
    runs_before = sum(tab.runs_finished for tab in joined)
    refreshes_before = dashboard.runs_finished
    cpu_before = server.cpu()
    dashboard_from = time.monotonic()
    await asyncio.gather(*(_answer(tab, taps, figures) for tab in joined))
    cpu_after = server.cpu()
    figures.runs = sum(tab.runs_finished for tab in joined) - runs_before
    refreshes_during = dashboard.runs_finished - refreshes_before
    figures.client_cpu = _client_cpu() - cpu_client
    refreshes = [moment for moment, _ in dashboard.fragment_history]
    figures.dashboard_intervals = [b - a for a, b in itertools.pairwise(refreshes) if a >= dashboard_from]
    figures.dashboard_lags = _dashboard_lags(figures.joined_at, dashboard.fragment_history)
    await asyncio.gather(*(tab.close() for tab in joined))
    figures.dashboard_cpu = await _refresh_cpu(dashboard, server)
    if cpu_before is not None and cpu_after is not None:
        # The participants' share: the dashboard's refreshes in the same time, measured alone, taken off.
        figures.server_cpu = cpu_after - cpu_before - refreshes_during * (figures.dashboard_cpu or 0.0)
    figures.errors += [f"dashboard: {error}" for error in dashboard.exceptions if error != "connection closed"]
    await dashboard.close()
    figures.lost = _lost(engine, library, figures.sent)
    engine.dispose()
    return figures


async def floor_room(url: str, participants: int, taps: int, join_window: float, server: ServerProcesses) -> Figures:
    figures = Figures(participants)
    cpu_client = _client_cpu()
    rss_before = server.rss()
    cpu_before = server.cpu()
    await asyncio.gather(*(_floor_person(url, join_window, taps, figures) for _ in range(participants)))
    cpu_after = server.cpu()
    rss_after = server.rss()
    figures.runs = len(figures.answers) + len(figures.joins)
    if cpu_before is not None and cpu_after is not None:
        figures.server_cpu = cpu_after - cpu_before
    if rss_before is not None and rss_after is not None:
        figures.session_bytes = (rss_after - rss_before) / participants
    figures.client_cpu = _client_cpu() - cpu_client
    return figures


async def _refresh_cpu(dashboard: Tab, server: ServerProcesses, refreshes: int = 2) -> float | None:
    """Server CPU seconds per dashboard refresh, with the room gone: from one refresh to the next
    ones; ``None`` when the server is not measured or the dashboard stopped refreshing."""
    if server.cpu() is None:
        return None

    async def next_refresh() -> None:
        seen = len(dashboard.fragment_history)
        while len(dashboard.fragment_history) == seen:
            await asyncio.sleep(0.01)

    try:
        await asyncio.wait_for(next_refresh(), timeout=5 * DASHBOARD_SECONDS)
        start = server.cpu()
        for _ in range(refreshes):
            await asyncio.wait_for(next_refresh(), timeout=5 * DASHBOARD_SECONDS)
        end = server.cpu()
    except TimeoutError:
        return None
    return None if start is None or end is None else (end - start) / refreshes


def _dashboard_lags(joined_at: list[float], history: list[tuple[float, dict[str, str]]]) -> list[float]:
    """For the k-th participant to join: how long until a dashboard refresh counted k people."""
    label = t("workshop.joined")
    lags = []
    for count, moment in enumerate(sorted(joined_at), start=1):
        for refreshed, metrics in history:
            if refreshed >= moment and int(metrics.get(label, "0") or 0) >= count:
                lags.append(refreshed - moment)
                break
    return lags


def _lost(engine: object, library: Library, sent: dict[str, dict[str, int]]) -> int:
    """Answers sent that the database does not hold as sent (last one per question)."""
    lost = 0
    for token, answers in sent.items():
        stored = load_answers(engine, token)  # type: ignore[arg-type]
        for item_id, index in answers.items():
            if stored.get(item_id) != library.items[item_id].scale.values[index]:
                lost += 1
    return lost


# --- servers and databases ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """A temporary PostgreSQL database, dropped afterwards; ``None`` when no server answers."""
    override = os.environ.get("OUTSIDE_IN_TEST_POSTGRES")
    for admin_url in (override,) if override else ADMIN_URLS:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        try:
            with admin.connect():
                break
        except OperationalError:
            admin.dispose()
    else:
        yield None
        return
    name = f"outside_in_room_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _migrated(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()


# --- printing ------------------------------------------------------------------------------------


def _ms(values: Sequence[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:7.0f}" if values else "      –"


def _per_run(figures: Figures) -> float | None:
    if figures.server_cpu is None or not figures.runs:
        return None
    return figures.server_cpu / figures.runs


def _per_tap(figures: Figures, floor: bool) -> float | None:
    """Everything the server did for the room while it answered (page turns and timers included),
    per answer given; the floor's runs are all answers (or its page opened once)."""
    if floor:
        return _per_run(figures)
    if figures.server_cpu is None or not figures.answers:
        return None
    return figures.server_cpu / len(figures.answers)


def _line(label: str, figures: Figures, floor: Figures | None, is_floor: bool = False) -> str:
    per_run = _per_run(figures)
    per_tap = _per_tap(figures, is_floor)
    cpu = f"{per_run * 1000:6.1f}" if per_run is not None else "     –"
    tap_cpu = f"{per_tap * 1000:7.1f}" if per_tap is not None else "      –"
    memory = f"{figures.session_bytes / 2**20:6.2f}" if figures.session_bytes is not None else "     –"
    lost = "–" if figures.lost is None else str(figures.lost)
    dashboard = f"{figures.dashboard_cpu * 1000:7.0f}" if figures.dashboard_cpu is not None else "      –"
    sent = sum(len(answers) for answers in figures.sent.values()) if figures.sent else len(figures.answers)
    text = (
        f"{label:<10} {figures.participants:>4} {_ms(figures.answers, 0.5)} {_ms(figures.answers, 0.95)}"
        f" {_ms(figures.answers, 0.99)} {_ms(figures.joins, 0.5)} {_ms(figures.joins, 0.95)}"
        f" {cpu} {tap_cpu} {memory} {len(figures.errors):>4} {lost:>4}/{sent:<5}"
        f" {_ms(figures.dashboard_intervals, 0.95)} {_ms(figures.dashboard_lags, 0.95)} {dashboard}"
        f" {figures.client_cpu:7.1f}"
    )
    if floor is not None and floor.answers and figures.answers:
        floor_cpu = _per_run(floor)
        ratio_cpu = f", CPU/run {per_run / floor_cpu:.1f}×" if per_run and floor_cpu else ""
        ratio_cpu += f", CPU/tap {per_tap / floor_cpu:.1f}×" if per_tap and floor_cpu else ""
        ratio = percentile(figures.answers, 0.95) / percentile(floor.answers, 0.95)
        text += f"   vs floor: answer p95 {ratio:.1f}×{ratio_cpu}"
    return text


HEADER = (
    f"{'':<10} {'N':>4} {'ans p50':>7} {'ans p95':>7} {'ans p99':>7} {'join50':>7} {'join95':>7}"
    f" {'CPU/run':>6} {'CPU/tap':>7} {'MB/ses':>6} {'errs':>4} {'lost/sent':>10} {'dash95':>7} {'seen95':>7}"
    f" {'dashCPU':>7} {'client':>7}"
)
LEGEND = """\
ans: answer round trip, tap sent -> script_finished (ms); join: Start pressed -> questions drawn (ms;
floor: page opened -> drawn); CPU/run: server CPU ms per participant script run (taps, page turns
and the page's own timer) while the room answered, the dashboard's share taken off; CPU/tap: the
same CPU per answer given (the floor: per run, each an answer); MB/ses: server
RSS growth per session; lost/sent: answers sent and not stored as sent; dash95: p95 interval
between dashboard refreshes (timer 3 s); seen95: p95 from a join until the dashboard counted it
(ms); dashCPU: server CPU ms per dashboard refresh for the whole room, measured once the room left;
client: the load client's CPU seconds for the whole room.
Targets: 200 participants answer p95 <= 500 ms, dashboard refreshed within 5 s, 0 lost."""


# --- running it ------------------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.room", description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--participants", type=int, nargs="+", help="room sizes (default 10 50 100 200)")
    parser.add_argument("--quick", action="store_true", help="a CI-size run: 10 participants, 4 answers each")
    parser.add_argument("--answers", type=int, default=8, help="answers each participant gives (default 8)")
    parser.add_argument("--join-window", type=float, default=10.0, help="seconds in which everyone joins")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--url", help="a server already running (nothing is started; needs --database-url)")
    parser.add_argument("--database-url", help="with --url: the database that server uses")
    parser.add_argument("--server-pid", type=int, nargs="*", default=[], help="with --url: processes to measure")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="serve the app from this many Streamlit processes behind nginx (python -m deploy)",
    )
    parser.add_argument("--soak", type=float, metavar="SECONDS", help="a long room printing the server's memory")
    parser.add_argument("--no-floor", action="store_true", help="skip the one-widget app")
    return parser.parse_args()


def _set_up(args: argparse.Namespace) -> str:
    return f", {args.processes} processes behind nginx" if args.processes > 1 else ", one server process"


def _server_env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url}


def _run_sizes(args: argparse.Namespace, library: Library, database_url: str, label: str) -> None:
    sizes = args.participants or (QUICK_SIZES if args.quick else FULL_SIZES)
    taps = 4 if args.quick else args.answers
    print(f"\n{label}\n{HEADER}")
    for size in sizes:
        with ExitStack() as stack:
            if args.url:
                url, processes = args.url, ServerProcesses(args.server_pid)
            elif args.processes > 1:
                several = stack.enter_context(
                    served_behind_proxy(args.processes, free_port(), _server_env(database_url))
                )
                url, processes = several.url, ServerProcesses(several.pids)
            else:
                server = stack.enter_context(served(ROOT / "app.py", free_port(), _server_env(database_url)))
                url, processes = server.url, ServerProcesses([server.pid])
            figures = asyncio.run(room(url, database_url, library, size, taps, args.join_window, processes))
        floor = None
        if not args.no_floor:
            with tempfile.TemporaryDirectory() as folder:
                script = Path(folder) / "one_widget.py"
                script.write_text(ONE_WIDGET)
                with served(script, free_port(), _server_env(database_url)) as server:
                    floor = asyncio.run(
                        floor_room(server.url, size, taps, args.join_window, ServerProcesses([server.pid]))
                    )
        print(_line("app", figures, floor), flush=True)
        if floor is not None:
            print(_line("floor", floor, None, is_floor=True), flush=True)
        for error in sorted(set(figures.errors))[:5]:
            print(f"           error: {error}")


async def _soak(
    url: str, database_url: str, library: Library, size: int, seconds: float, server: ServerProcesses
) -> None:
    """``size`` people answering for ``seconds``; each leaves after 20 answers and another joins."""
    engine = make_engine(database_url)
    workshop = create_workshop(engine, title="Soak", mode="quick", roles=ROLES, k=3, bank_versions=library.versions)
    stop_at = time.monotonic() + seconds
    figures = Figures(size)
    started = time.monotonic()

    async def seat(number: int) -> None:
        while time.monotonic() < stop_at:
            tab = await _participant(url, workshop.join_code, number, 1.0, figures)
            if tab is None:
                return
            await _answer(tab, 20, figures, stop_at=min(stop_at, time.monotonic() + 20 * sum(THINK_SECONDS) / 2))
            await tab.close()

    async def report() -> None:
        while time.monotonic() < stop_at:
            rss = server.rss()
            memory = f"{rss / 2**20:8.1f} MB" if rss is not None else "       –"
            print(
                f"{time.monotonic() - started:7.0f} s  server RSS {memory}  answers {len(figures.answers):6}"
                f"  p95 {_ms(figures.answers[-500:], 0.95)} ms  errors {len(figures.errors)}",
                flush=True,
            )
            await asyncio.sleep(max(5.0, seconds / 20))

    await asyncio.gather(report(), *(seat(n) for n in range(size)))
    print(f"lost {_lost(engine, library, figures.sent)} of {sum(len(a) for a in figures.sent.values())}")
    engine.dispose()


def main() -> None:
    args = _arguments()
    library = load_library().library
    assert library is not None, "the shipped banks must load"
    print(
        f"Outside-In room · {os.cpu_count()} CPUs · participants answer every "
        f"{THINK_SECONDS[0]:.0f}-{THINK_SECONDS[1]:.0f} s through the Streamlit websocket; floor: a one-widget app\n"
    )
    if args.url:
        if not args.database_url:
            raise SystemExit("--url needs --database-url: the database the server at that address uses")
        _migrated(args.database_url)
        if args.soak:
            asyncio.run(
                _soak(
                    args.url,
                    args.database_url,
                    library,
                    (args.participants or [50])[0],
                    args.soak,
                    ServerProcesses(args.server_pid),
                )
            )
        else:
            args.no_floor = True
            _run_sizes(args, library, args.database_url, f"server at {args.url}")
        return
    print(LEGEND)
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'room.sqlite3'}"
        if args.soak:
            _migrated(sqlite_url)
            with served(ROOT / "app.py", free_port(), _server_env(sqlite_url)) as server:
                asyncio.run(
                    _soak(
                        server.url,
                        sqlite_url,
                        library,
                        (args.participants or [50])[0],
                        args.soak,
                        ServerProcesses([server.pid]),
                    )
                )
            return
        if args.database in ("sqlite", "both"):
            _migrated(sqlite_url)
            _run_sizes(args, library, sqlite_url, f"SQLite (a temporary file){_set_up(args)}")
    if args.database in ("postgresql", "both"):
        with postgres_database() as postgres_url:
            if postgres_url is None:
                print("\nPostgreSQL: skipped, no server at 127.0.0.1:5432 (set OUTSIDE_IN_TEST_POSTGRES)")
                return
            _migrated(postgres_url)
            _run_sizes(args, library, postgres_url, f"PostgreSQL (a temporary database){_set_up(args)}")


if __name__ == "__main__":
    main()
