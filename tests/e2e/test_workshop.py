"""A live workshop in real browsers: a facilitator and six participants in separate contexts.

The six answer part of the quick scan without pressing Finish: the dashboard counts them but
releases no figure until the facilitator closes the workshop, which releases all six at once."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from questions.loader import load_library

from .conftest import ARTIFACTS, screenshot
from .test_executive_journey import answer_section, at_section, settle

pytestmark = pytest.mark.browser
# k = 3: three executives are shown; the manager pair and the single front-line participant are
# withheld (the front-line one because of its size, the managers so that it cannot be worked out).
PARTICIPANTS = ["Executive", "Executive", "Executive", "Manager", "Manager", "Front line"]


def _metric(page: Any, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return str(metric.locator('[data-testid="stMetricValue"]').inner_text()).strip()


def test_a_workshop_with_six_participants(app_server: str, browser: Any, page: Any) -> None:
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
        expect(phone.get_by_text("Your role")).to_be_visible(timeout=30_000)
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
    assert list(rows[0]) == ["role", *library.items]  # a role and the answers: no token, time or address
    roles = [row[0] for row in rows[1:]]
    assert roles.count("Executive") == 3 and "Front line" not in roles and "Manager" not in roles
