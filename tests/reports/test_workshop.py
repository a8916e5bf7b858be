"""The workshop PDF: read back, rendered, anonymous where it must be, literal with user text."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from questions.library import Library
from reports.images import check_logo
from reports.workshop import WorkshopReportMeta, workshop_report
from scoring.aggregate import GroupResult, Participant, aggregate
from scoring.answers import Answer
from scoring.groupplan import group_recommendations
from tests.reports.pdfcheck import assert_pages_render, page_texts, pdf_text

ROLES = ("Sales leaders", "Service desk", "Finance office", "Board pair")


def _answers(library: Library, step: int) -> dict[str, Answer]:
    """A distinct answer sheet per step, every item answered."""
    return {
        i: ref.scale.values[(n * 7 + step) % len(ref.scale.values)] for n, (i, ref) in enumerate(library.items.items())
    }


def _group(library: Library, sizes: dict[str, int], k: int = 5) -> GroupResult:
    """Each role answers alike within itself (so its medians are its own sheet) and unlike the others."""
    people = [
        Participant(role, _answers(library, step + person % 2))
        for step, (role, n) in enumerate(sizes.items())
        for person in range(n)
    ]
    return aggregate(library, people, "full", k=k, roles=list(sizes))


def _meta(**extra: object) -> WorkshopReportMeta:
    fields: dict[str, object] = {
        "title": "Leadership offsite",
        "organisation": "Northwind Traders Ltd",
        "created": date(2026, 11, 22),
        "mode": "full",
        "facilitator": "Jane Roe",
        "roles": ROLES,
    }
    return WorkshopReportMeta(**{**fields, **extra})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def four_roles(shipped: Library) -> GroupResult:
    # Board pair (2) is withheld, and so is Finance office: the smallest role shown otherwise,
    # from which the pair could be worked out as total minus the others.
    return _group(shipped, {"Sales leaders": 7, "Service desk": 6, "Finance office": 5, "Board pair": 2})


@pytest.fixture(scope="module")
def report(shipped: Library, four_roles: GroupResult) -> bytes:
    return workshop_report(shipped, four_roles, _meta())


def test_the_report_says_what_the_room_needs(shipped: Library, four_roles: GroupResult, report: bytes) -> None:
    text = pdf_text(report)
    assert "Leadership offsite" in text and "Northwind Traders Ltd" in text and "Facilitated by Jane Roe" in text
    assert re.search(r"\b20 Participants\b", page_texts(report)[0])
    assert "at least 5 people" in page_texts(report)[0]
    for dimension in shipped.bank("strategic").dimensions:
        assert dimension.short in text or dimension.title in text, dimension.id
    assert four_roles.contested
    for item in four_roles.contested:
        assert item.text in text, item.id
    plan = group_recommendations(shipped, four_roles)[:5]
    assert len(plan) == 5
    for rec in plan:
        assert rec.title in text
        for action in rec.actions:
            assert action.title in text, action.title
        assert rec.kpi in text
    assert four_roles.index is not None
    assert f"group median: {four_roles.index.median:.0f} out of 100" in text
    for section in (
        "Group summary",
        "Where the roles see it differently",
        "The most contested questions",
        "Blockers to customer focus",
        "Priorities and actions",
        "How the group figures are computed",
        "Complementary suppression",
    ):
        assert section in text


def test_every_page_carries_content_and_a_page_number(report: bytes) -> None:
    pages = PdfReader(io.BytesIO(report)).pages
    assert 6 <= len(pages) <= 14
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"{number} / {len(pages)}" in text
        assert len(text) > 200, f"page {number} is nearly empty"


def _section(texts: list[str], heading: str) -> str:
    return next(page for page in texts if heading in page)


def test_withheld_roles_show_neither_a_head_count_nor_a_score(four_roles: GroupResult, report: bytes) -> None:
    hidden = {r.role for r in four_roles.roles if r.suppressed}
    assert hidden == {"Board pair", "Finance office"}
    text = pdf_text(report)
    for role in hidden:
        # Every mention is the role table's row, "withheld" for its size and its figure alike:
        # "Finance office 2" would tell the room how few they are.
        assert text.count(role) == text.count(f"{role} withheld withheld") == 1, role
    shown = {r.role: r for r in four_roles.roles if not r.suppressed}
    for role, stats in shown.items():
        assert stats.index is not None and f"{role} {stats.n} {stats.index:.0f}" in text
    gaps = _section(page_texts(report), "Where the roles see it differently")
    assert "Sales leaders" in gaps and "Service desk" in gaps
    assert not any(role in gaps for role in hidden)
    assert "fewer than 5 people" in gaps


def test_with_one_role_left_after_suppression_there_is_nothing_to_compare(shipped: Library) -> None:
    # The brief's case: 6, 6 and 2 at k = 5 hides the 2 and one of the 6 (by complementary suppression).
    group = _group(shipped, {"Sales leaders": 6, "Service desk": 6, "Board pair": 2})
    assert {r.role for r in group.roles if r.suppressed} == {"Board pair", "Sales leaders"}
    data = workshop_report(shipped, group, _meta(roles=("Sales leaders", "Service desk", "Board pair")))
    texts = page_texts(data)
    gaps = _section(texts, "Where the roles see it differently")
    assert "No comparison can be shown" in gaps and "Sales leaders" not in gaps and "Board pair" not in gaps
    text = " ".join(texts)
    assert "Sales leaders withheld withheld" in text and "Board pair withheld withheld" in text
    assert text.count("Sales leaders") == text.count("Board pair") == 1


def test_a_group_under_k_gets_a_short_report_without_figures(shipped: Library) -> None:
    group = _group(shipped, {"Sales leaders": 2, "Service desk": 1})
    assert group.suppressed
    data = workshop_report(shipped, group, _meta())
    pages = page_texts(data)
    assert len(pages) == 1
    text = pages[0]
    assert "Results withheld" in text and "until at least 5 people have answered" in text
    # Only the date, the threshold and the page number: no count, score, median or role figure.
    assert set(re.findall(r"\d+", text)) <= {"22", "2026", "11", "5", "1"}
    assert "3" not in re.findall(r"\d+", text)
    for absent in ("Sales leaders", "Participants by role", "Group summary", "median"):
        assert absent not in text


def test_user_text_with_markup_appears_literally(shipped: Library, four_roles: GroupResult) -> None:
    title = "<script>alert(1)</script> **Offsite** {nb}"
    organisation = "<b>Acme</b> [x](javascript:alert(1))"
    data = workshop_report(shipped, four_roles, _meta(title=title, organisation=organisation, facilitator="<i>Jo</i>"))
    text = pdf_text(data)
    assert title in text and organisation in text and "Facilitated by <i>Jo</i>" in text


def test_role_names_in_other_scripts_and_with_markup_stay_literal(shipped: Library) -> None:
    sizes = {"영업 팀": 5, "<b>Ops</b>": 5}
    data = workshop_report(shipped, _group(shipped, sizes), _meta(roles=tuple(sizes)))
    text = pdf_text(data)
    assert "영업 팀 5" in text and "<b>Ops</b> 5" in text


def test_a_checked_logo_goes_on_the_cover(shipped: Library, four_roles: GroupResult) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (31, 92, 153)).save(buffer, format="PNG")
    data = workshop_report(shipped, four_roles, _meta(logo=check_logo(buffer.getvalue())))
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1


def test_the_role_table_follows_the_workshops_order(shipped: Library, four_roles: GroupResult) -> None:
    order = ("Board pair", "Service desk", "Sales leaders", "Finance office")
    text = _section(page_texts(workshop_report(shipped, four_roles, _meta(roles=order))), "Participants by role")
    positions = [text.index(f"{role} ") for role in order]
    assert positions == sorted(positions)


def test_a_library_without_the_strategic_bank_still_reports(tiny: Library) -> None:
    sizes = {"A": 5, "B": 5}
    data = workshop_report(tiny, _group(tiny, sizes), _meta(roles=tuple(sizes), title="Tiny"))
    text = pdf_text(data)
    assert "Group summary" in text and "The ten strategic questions" not in text and "Gamma blocker" in text


def test_pages_render_to_png(report: bytes, tmp_path: Path) -> None:
    assert_pages_render(report, tmp_path)
