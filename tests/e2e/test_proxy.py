"""A workshop through nginx and three Streamlit processes (``python -m deploy``) in real Chromium, on
SQLite and on PostgreSQL: participants served by different processes, one dashboard that counts
them all, and every request of a browser on the process that holds its session."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from deploy.nginx import ROUTE_COOKIE
from questions.loader import load_library
from scoring.aggregate import Participant, aggregate
from storage import get_workshop_for_facilitator, make_engine, workshop_responses

from ..deploy.conftest import Room, served_room, survivors
from ..storage.conftest import NewDatabase, postgres_databases  # noqa: F401 (a fixture)
from .conftest import screenshot
from .test_executive_journey import SECTIONS, answer_section, at_section, settle

pytestmark = pytest.mark.browser
PROCESSES = 3
PARTICIPANTS = 3  # k = 3: the smallest group whose figures are shown
MAX_BROWSERS = 40  # fresh browsers drawn until the participants sit on three different processes


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        new_database: NewDatabase = request.getfixturevalue("postgres_databases")
        return new_database()
    return f"sqlite:///{tmp_path / 'room.sqlite3'}"


@pytest.fixture()
def room(database_url: str, tmp_path: Path) -> Iterator[Room]:
    with served_room(PROCESSES, database_url, tmp_path) as served:
        yield served


def _route(context: Any) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE)


def _wait_for_log(room: Room, request: tuple[str, str, str]) -> None:
    """Wait until nginx has logged ``(route, status, path)``."""
    deadline = time.monotonic() + 10
    while request not in {(route, status, path) for route, _, status, path in room.requests()}:
        assert time.monotonic() < deadline, f"nginx never logged {request}"
        time.sleep(0.1)


def _metric(page: Any, label: str) -> Any:
    return (
        page.locator('[data-testid="stMetric"]').filter(has_text=label).first.locator('[data-testid="stMetricValue"]')
    )


def _expected_group_index(database_url: str, facilitator_token: str) -> str:
    """The group's median index as the dashboard words it, worked out from the database itself."""
    library = load_library().library
    assert library is not None
    engine = make_engine(database_url)
    try:
        workshop = get_workshop_for_facilitator(engine, facilitator_token)
        assert workshop is not None
        participants = [Participant(r.role, r.answers) for r in workshop_responses(engine, facilitator_token)]
    finally:
        engine.dispose()
    group = aggregate(library, participants, workshop.mode, workshop.k, workshop.targets or None, workshop.roles)
    assert group.n == PARTICIPANTS and group.index is not None
    return f"{group.index.median:.0f}"


def test_a_workshop_served_by_three_processes_behind_nginx(
    room: Room, database_url: str, browser: Any, page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{room.url}/workshop")
    expect(page.get_by_label("Workshop title")).to_be_visible(timeout=30_000)
    page.get_by_label("Workshop title").fill("Offsite behind the proxy")
    page.get_by_role("slider").first.focus()
    for _ in range(2):  # k from 5 down to 3
        page.keyboard.press("ArrowLeft")
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.get_by_text("Live results")).to_be_visible(timeout=30_000)
    join_block = page.locator('[data-testid="stCode"]').filter(has_text="/join?c=")
    expect(join_block).to_be_visible(timeout=20_000)
    join_link = join_block.inner_text().strip()
    assert join_link.startswith(f"{room.url}/join?c=")  # the app sees the address people use, not its own port
    facilitator_token = parse_qs(urlsplit(page.url).query)["f"][0]
    facilitator_route = _route(page.context)

    # Fresh browsers until there is one on each process: nginx's first answer gives each its route.
    phones: list[Any] = []
    processes: set[str] = set()
    for _ in range(MAX_BROWSERS):
        context = browser.new_context(viewport={"width": 390, "height": 900})
        assert context.request.get(f"{room.url}/_stcore/health").ok
        (process,) = room.processes_of(_route(context))
        if process in processes:
            context.close()
            continue
        processes.add(process)
        phones.append(context)
        if len(phones) == PARTICIPANTS:
            break
    assert len(processes) == PROCESSES, processes

    for number, context in enumerate(phones):
        phone = context.new_page()
        phone.goto(join_link)
        expect(phone.get_by_text("Your role", exact=True)).to_be_visible(timeout=30_000)
        phone.get_by_text("Executive", exact=True).click()
        settle(phone)
        phone.get_by_role("button", name="Start").click()
        for section in range(1, SECTIONS + 1):
            at_section(phone, section)
            answer_section(phone, 1 + (number + section) % 3)
            if section < SECTIONS:
                phone.get_by_role("button", name="Next").click()
        phone.get_by_role("button", name="See my results").click()
        expect(phone.locator("h1", has_text="Thank you")).to_be_visible(timeout=30_000)
        route = _route(context)
        context.close()  # nginx logs a websocket when it closes
        # Every request of the browser (page, static files, websocket) went to its one process.
        _wait_for_log(room, (route, "101", "/_stcore/stream"))
        assert len(room.processes_of(route)) == 1, route
    assert len(room.processes_of(facilitator_route)) == 1

    # The facilitator's dashboard, never reloaded, counts people answered on other processes.
    expect(_metric(page, "Joined")).to_have_text(str(PARTICIPANTS), timeout=15_000)
    expect(_metric(page, "Finished")).to_have_text(str(PARTICIPANTS), timeout=15_000)
    expected_index = _expected_group_index(database_url, facilitator_token)
    expect(_metric(page, "Group index")).to_have_text(expected_index, timeout=15_000)
    expect(page.locator(".js-plotly-plot .polar").first).to_be_visible(timeout=15_000)
    screenshot(page, "proxy-facilitator")
    # The join QR code came from /media of the facilitator's process, which holds the file.
    facilitator_requests = [(status, path) for route, _, status, path in room.requests() if route == facilitator_route]
    assert any(status == "200" and path.startswith("/media/") for status, path in facilitator_requests)

    # An upload passes Streamlit's XSRF check through the proxy and reaches the session's process.
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"S01-moment-of-truth": 4, "S01-strategy-chosen": 2}}))
    importer = page.context.new_page()
    importer.goto(room.url)
    expect(importer.get_by_role("button", name="Start the quick scan")).to_be_visible(timeout=30_000)
    importer.get_by_text("Import answers from a file").click()
    importer.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(answers))
    expect(importer.get_by_text("2 answers read and checked.")).to_be_visible(timeout=20_000)
    uploads = [status for route, _, status, path in room.requests() if path.startswith("/_stcore/upload_file")]
    assert uploads and all(status.startswith("2") for status in uploads), uploads
    assert len(room.processes_of(facilitator_route)) == 1

    # Ctrl-C or SIGTERM ends every process it started: nothing is left behind.
    children = room.descendants()
    assert len(children) >= PROCESSES + 2, children  # the Streamlit processes, nginx and a worker
    room.launcher.send_signal(signal.SIGTERM)
    assert room.launcher.wait(timeout=40) == 0
    assert not survivors(children, timeout=1)
