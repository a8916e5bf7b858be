"""Importing an answers file in a real browser: clear errors for bad files, results for good ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _upload(page: Any, app_server: str, path: Path) -> None:
    from playwright.sync_api import expect

    page.goto(app_server)
    expect(page.get_by_role("button", name="Start the quick scan")).to_be_visible(timeout=30_000)
    page.get_by_text("Import answers from a file").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"answers": {"S99-nothing": 3, "S01-moment-of-truth": 9}}', "S99-nothing: unknown item id"),
        ("{broken json", "not valid JSON"),
        ('{"answers": {}}', "The file holds no answers"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_imports_nothing(
    app_server: str, page: Any, tmp_path: Path, content: str, message: str
) -> None:
    from playwright.sync_api import expect

    path = tmp_path / "answers.json"
    path.write_text(content)
    _upload(page, app_server, path)
    expect(page.get_by_text(message).first).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Show the results")).to_have_count(0)


def test_an_exported_file_opens_its_results(app_server: str, page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    path = tmp_path / "export.json"
    answers = {"S01-moment-of-truth": 4, "S01-strategy-chosen": 2, "SI01-experience-rating": 8}
    path.write_text(
        json.dumps({"format": "outside-in/answers", "mode": "quick", "organisation": "Imported Co", "answers": answers})
    )
    _upload(page, app_server, path)
    expect(page.get_by_text("3 answers read and checked.")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Show the results").click()
    expect(page.locator("h1", has_text="Your results")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Imported Co").first).to_be_visible()
    screenshot(page, "05-imported-results")
