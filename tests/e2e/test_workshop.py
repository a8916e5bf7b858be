"""A live workshop in real browsers: a facilitator and six participants in separate contexts.

The six answer part of the quick scan without pressing Finish: the dashboard counts them but
releases no figure until the facilitator closes the workshop, which releases all six at once."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from questions.loader import load_library
from storage import (
    create_workshop,
    finish_assessment,
    join_workshop,
    make_engine,
    migrate,
    save_answers,
    set_workshop_status,
)
from storage.rounds import start_round

from .conftest import ARTIFACTS, AppServer, screenshot
from .test_accessibility import MODERATE, SERIOUS, axe_violations, heading_jumps
from .test_executive_journey import answer_section, at_section, settle

pytestmark = pytest.mark.browser
# k = 3: three executives are shown; the manager pair and the single front-line participant are
# withheld (the front-line one because of its size, the managers so that it cannot be worked out).
PARTICIPANTS = ["Executive", "Executive", "Executive", "Manager", "Manager", "Front line"]


def _metric(page: Any, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return str(metric.locator('[data-testid="stMetricValue"]').inner_text()).strip()


def test_a_workshop_with_six_participants(app_server: str, shared_server: AppServer, browser: Any, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_server}/workshop")
    expect(page.get_by_label("Workshop title")).to_be_visible(timeout=30_000)
    page.get_by_label("Workshop title").fill("Leadership offsite")
    page.get_by_label("Organisation (optional)").fill("Northwind Traders")
    page.get_by_role("slider").first.focus()
    for _ in range(2):  # k from 5 down to 3
        page.keyboard.press("ArrowLeft")
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.get_by_text("Live results")).to_be_visible(timeout=30_000)
    join_code_block = page.locator('[data-testid="stCode"]').filter(has_text="/join?c=")
    expect(join_code_block).to_be_visible(timeout=20_000)
    join_link = join_code_block.inner_text().strip()
    screenshot(page, "10-facilitator-empty")

    for number, role in enumerate(PARTICIPANTS, start=1):
        context = browser.new_context(viewport={"width": 390, "height": 900})  # a phone
        phone = context.new_page()
        phone.goto(join_link)
        expect(phone.get_by_text("Your role", exact=True)).to_be_visible(timeout=30_000)
        phone.get_by_text(role, exact=True).click()
        settle(phone)
        phone.get_by_role("button", name="Start").click()
        at_section(phone, 1)
        answer_section(phone, 1 + number % 3)
        phone.get_by_role("button", name="Next").click()
        at_section(phone, 2)
        answer_section(phone, 1 + number % 4)
        if number == 1:
            screenshot(phone, "11-participant-phone")
        context.close()

    # The facilitator's page was never reloaded: the dashboard refreshes by itself.
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="Joined").first).to_contain_text(
        "6", timeout=15_000
    )
    assert _metric(page, "Joined") == "6"
    # Nobody pressed Finish: nothing is released while the workshop is open, and no chart moves.
    expect(page.get_by_text("appear once 3 people have finished (0 so far)")).to_be_visible(timeout=15_000)
    assert page.locator(".js-plotly-plot .polar").count() == 0
    # Closing releases everyone who answered, at once.
    page.get_by_role("button", name="Close the workshop").click()
    expect(page.locator(".js-plotly-plot .polar").first).to_be_visible(timeout=15_000)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 3200})
    page.wait_for_timeout(1000)
    screenshot(page, "12-facilitator-live")
    role_rows = page.get_by_text("withheld")
    assert role_rows.count() >= 1 or "withheld" in page.content()

    page.get_by_role("button", name="Prepare the report and the data").click()
    pdf_button = page.get_by_role("button", name="Workshop report (PDF)")
    expect(pdf_button).to_be_visible(timeout=30_000)
    with page.expect_download() as pdf_download:
        pdf_button.click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    from pypdf import PdfReader

    text = " ".join(p.extract_text().replace("\x00", "") for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Leadership offsite" in text
    (ARTIFACTS / "workshop-report.pdf").write_bytes(pdf)
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Anonymised answers (Excel)").click()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(PARTICIPANTS)
    library = load_library().library
    assert library is not None
    # A role and the answers to the quick scan's questions: no token, time or address.
    assert list(rows[0]) == ["role", *(ref.item.id for ref in library.asked("quick"))]
    roles = [row[0] for row in rows[1:]]
    assert roles.count("Executive") == 3 and "Front line" not in roles and "Manager" not in roles
    expect(page.get_by_text("from the answers of 6 participants")).to_be_visible()

    # A Delphi round starts (from another tab): the report would now show it, so the page,
    # untouched, marks the files out of date and stops serving them.
    token = page.url.split("f=", 1)[1].split("&", 1)[0]
    engine = make_engine(f"sqlite:///{shared_server.database}")
    try:
        start_round(engine, token, [next(iter(library.asked("quick"))).item.id])
    finally:
        engine.dispose()
    expect(page.get_by_text("Newer figures have been released since these files were prepared")).to_be_visible(
        timeout=15_000
    )
    for label in ("Workshop report (PDF)", "Anonymised answers (CSV)", "Anonymised answers (Excel)"):
        expect(page.get_by_role("button", name=label)).to_be_disabled()
    screenshot(page, "13-facilitator-exports-stale")
    page.get_by_role("button", name="Prepare again").click()
    expect(page.get_by_text("from the answers of 6 participants")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Anonymised answers (Excel)")).to_be_enabled()


LIBRARY = load_library().library
assert LIBRARY is not None
# Wide enough to read a full 1080p projector screen at once; the page must fit without scrolling.
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _accessible(where: str, tab: Any) -> None:
    """No critical, serious or moderate axe-core violation and no skipped heading level."""
    violations = [v["id"] for v in axe_violations(tab) if v["impact"] in (*SERIOUS, *MODERATE)]
    assert not violations, (where, violations)
    assert not heading_jumps(tab), (where, heading_jumps(tab))


def _answers(shift: int) -> dict[str, Any]:
    """Every quick-scan item answered, varied by ``shift`` so the group has a spread."""
    answers: dict[str, Any] = {}
    for number, ref in enumerate(LIBRARY.asked("quick")):  # type: ignore[union-attr]
        values = ref.scale.values
        answers[ref.item.id] = values[(number + shift) % len(values)]
    return answers


def test_the_projector_and_a_participants_phone_before_and_after_close(
    app_server: str, shared_server: AppServer, browser: Any, page: Any
) -> None:
    from playwright.sync_api import expect

    engine = make_engine(f"sqlite:///{shared_server.database}")
    migrate(engine)  # as the app does on its first page; this test may be the first to write
    try:
        workshop = create_workshop(
            engine,
            title="Quarterly leadership offsite",
            organisation="Northwind Traders",
            mode="quick",
            roles=["Executive", "Manager"],
            k=3,
            bank_versions=LIBRARY.versions,  # type: ignore[union-attr]
        )
        people = [join_workshop(engine, workshop.join_code, role) for role in ["Executive"] * 3 + ["Manager"] * 3]
        for shift, person in enumerate(people):
            save_answers(engine, person.token, _answers(shift))
            finish_assessment(engine, person.token)  # finished: released on the first look
    finally:
        engine.dispose()

    # While the workshop runs, a participant's thank-you page gives them their own link to keep.
    thanks_context = browser.new_context(viewport=PHONE)
    try:
        thanks = thanks_context.new_page()
        thanks.goto(f"{app_server}/results?r={people[0].token}")
        expect(thanks.get_by_text("Keep this link.")).to_be_visible(timeout=30_000)
        link = thanks.locator('[data-testid="stCode"]').first.inner_text().strip()
        assert link.endswith(f"/results?r={people[0].token}")
        settle(thanks)
        assert thanks.evaluate(NO_SIDEWAYS_SCROLL)
        screenshot(thanks, "23-participant-thanks-phone")
        _accessible("participant's thanks, phone", thanks)
    finally:
        thanks_context.close()

    # The facilitator opens the projector: its own link, in a new tab.
    page.goto(f"{app_server}/facilitate?f={workshop.facilitator_token}")
    # Reached at 127.0.0.1: the page warns that phones cannot use this address.
    expect(page.get_by_text("only this computer knows")).to_be_visible(timeout=30_000)
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Open the projector view").click()
    projector = opened.value
    assert projector.url.endswith(f"/present?p={workshop.projector_token}")
    projector.close()

    context = browser.new_context(viewport=PROJECTOR)
    try:
        screen = context.new_page()
        screen.goto(f"{app_server}/present?p={workshop.projector_token}")
        radar = screen.locator(".js-plotly-plot").first
        expect(radar).to_be_visible(timeout=30_000)
        expect(screen.get_by_text("Join with your phone")).to_be_visible()
        settle(screen)
        # No sidebar, no menu into the app: the room sees the workshop only.
        assert screen.locator('[data-testid="stSidebar"]').count() == 0
        assert screen.locator('[data-testid="stSidebarCollapsedControl"]').count() == 0
        # The QR code and the whole radar on one screen, the radar large.
        box = radar.bounding_box()
        qr = screen.get_by_role("img", name="QR code").first.bounding_box()
        assert box is not None and qr is not None
        assert box["height"] >= 600 and box["width"] >= 900, box
        assert box["y"] + box["height"] <= PROJECTOR["height"] and qr["y"] + qr["height"] <= PROJECTOR["height"]
        code_size = screen.get_by_text(f"{workshop.join_code[:4]}-{workshop.join_code[4:]}").evaluate(
            "node => parseFloat(getComputedStyle(node).fontSize)"
        )
        assert code_size >= 40  # px: the code is read from the back of the room
        screenshot(screen, "20-projector-open", full_page=False)
        _accessible("projector, open", screen)

        # Closed from elsewhere: the projector, untouched, stops inviting people to join.
        engine = make_engine(f"sqlite:///{shared_server.database}")
        try:
            set_workshop_status(engine, workshop.facilitator_token, "closed")
        finally:
            engine.dispose()
        expect(screen.get_by_text("Answers are closed")).to_be_visible(timeout=15_000)
        expect(screen.get_by_text("Join with your phone")).to_have_count(0)
        expect(screen.get_by_role("img", name="QR code")).to_have_count(0)
        expect(radar).to_be_visible()
        settle(screen)
        screenshot(screen, "21-projector-closed", full_page=False)
        _accessible("projector, closed", screen)
    finally:
        context.close()

    # A participant comes back with their own link, on a phone.
    phone_context = browser.new_context(viewport=PHONE)
    try:
        phone = phone_context.new_page()
        phone.goto(f"{app_server}/results?r={people[0].token}")
        expect(phone.locator(".js-plotly-plot .polar").first).to_be_visible(timeout=30_000)
        settle(phone)
        legend = phone.locator(".js-plotly-plot .legend").first.text_content() or ""
        assert "Group median" in legend and "Your score" in legend
        expect(phone.get_by_text("Your answer:").first).to_be_visible()
        assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the participant's results scroll sideways on a phone"
        screenshot(phone, "22-participant-after-close-phone")
        _accessible("participant after close, phone", phone)
        questions = phone.get_by_text("Your answer:")
        questions.nth(2).scroll_into_view_if_needed()
        for number in range(3):  # each question's answer line fits the phone's width
            line = questions.nth(number).bounding_box()
            assert line is not None and line["x"] >= 0 and line["x"] + line["width"] <= PHONE["width"]
        screenshot(phone, "24-participant-answers-phone", full_page=False)
    finally:
        phone_context.close()


def test_a_delphi_round_in_real_browsers(app_server: str, shared_server: AppServer, browser: Any, page: Any) -> None:
    """The facilitator starts a round on the proposed contested questions; the projector shows the
    room's first answers; three phones answer again; the dashboard shows both rounds."""
    from playwright.sync_api import expect

    engine = make_engine(f"sqlite:///{shared_server.database}")
    migrate(engine)
    try:
        workshop = create_workshop(
            engine,
            title="Delphi offsite",
            mode="quick",
            roles=["Executive"],
            k=3,
            bank_versions=LIBRARY.versions,  # type: ignore[union-attr]
        )
        people = [join_workshop(engine, workshop.join_code, "Executive") for _ in range(4)]
        for shift, person in enumerate(people):
            save_answers(engine, person.token, _answers(shift * 2))
            finish_assessment(engine, person.token)
    finally:
        engine.dispose()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_server}/facilitate?f={workshop.facilitator_token}")
    start = page.get_by_role("button", name="Start round 2")
    expect(start).to_be_enabled(timeout=30_000)
    start.click()
    expect(page.get_by_role("heading", name="Round 2 · open")).to_be_visible(timeout=20_000)

    projector = browser.new_page(viewport=PROJECTOR)
    projector.goto(f"{app_server}/present?p={workshop.projector_token}")
    expect(projector.get_by_text("how the room answered the first time")).to_be_visible(timeout=30_000)
    bars = projector.get_by_role("progressbar")
    expect(bars.first).to_be_visible(timeout=20_000)
    settle(projector)
    assert bars.count() >= 6  # every option of every question, as a bar
    screenshot(projector, "27-delphi-projector", full_page=False)
    projector.close()

    for number, person in enumerate(people[:3]):
        context = browser.new_context(viewport=PHONE)
        try:
            phone = context.new_page()
            phone.goto(f"{app_server}/results?r={person.token}")
            expect(phone.get_by_text("Round 2: once more, after the discussion")).to_be_visible(timeout=30_000)
            settle(phone)
            # Each option says how many chose it in round 1; one is marked as this person's own.
            expect(phone.get_by_text("your first answer").first).to_be_visible(timeout=20_000)
            groups = phone.locator('[data-testid="stRadio"]')
            for index in range(groups.count()):
                groups.nth(index).locator("label").nth(1).click()  # everyone lands on the second option
                settle(phone)
            if number == 0:
                assert phone.evaluate(NO_SIDEWAYS_SCROLL)
                screenshot(phone, "25-delphi-phone")
                _accessible("Delphi round, phone", phone)
            phone.get_by_role("button", name="Send my answers").click()
            expect(phone.get_by_text("Your answers for this round are in")).to_be_visible(timeout=20_000)
        finally:
            context.close()

    # The dashboard, never reloaded, shows both rounds once three have sent their answers.
    expect(page.get_by_text("Consensus: converged").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Round 2: median").first).to_be_visible()
    screenshot(page, "26-delphi-dashboard")
