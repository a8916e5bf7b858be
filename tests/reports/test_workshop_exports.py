"""Workshop answer exports: anonymous rows, shuffled, roles withheld under k, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from questions.library import Library
from reports.workshop_exports import TooFewResponses, anonymised_answers, workshop_answers_csv, workshop_answers_xlsx
from scoring.aggregate import Participant, aggregate
from scoring.answers import Answer

FULL: dict[str, Answer] = {
    "A01-plain": 4,
    "A01-reversed": "na",
    "A01-anchored": 3,
    "A02-poles": 5,
    "A02-agree": 1,
    "R01-first": "dk",
    "Z01-rating": 9,
}


@dataclass(frozen=True)
class Response:
    """Shaped like storage.Response, plus what storage knows and an export must never carry."""

    role: str
    answers: dict[str, Answer]
    finished: bool = True
    token: str = field(default_factory=lambda: f"tok-{random.random():.12f}")
    created_at: datetime = datetime(2026, 3, 4, 9, 41, 7, tzinfo=UTC)
    user_agent: str = "Mozilla/5.0 (SecretPhone)"


def _responses(sizes: dict[str, int]) -> list[Response]:
    """Each person's answers differ (A02-poles counts up), so rows can be told apart."""
    people = []
    for role, n in sizes.items():
        for person in range(n):
            people.append(Response(role, {**FULL, "A02-poles": 1 + (len(people) + person) % 5}))
    return people


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_one_row_per_participant_with_answers_with_only_a_role_and_answers(tiny: Library) -> None:
    responses = [*_responses({"Executive": 5, "Manager": 5}), Response("Manager", FULL, finished=False)]
    responses.append(Response("Manager", {}, finished=False))  # joined, answered nothing: no row
    data = workshop_answers_csv(tiny, responses, 5, ["Executive", "Manager"], random.Random(1))
    header, *rows = _csv_rows(data)
    assert header == ["role", *tiny.items]
    assert len(rows) == 11  # the unfinished participant with answers counts, as on the dashboard
    for word in ("token", "agent", "time", "date", "created", "finished", "address"):
        assert not any(word in column.lower() for column in header), word
    text = data.decode("utf-8-sig")
    for response in responses:
        assert response.token not in text
    assert "SecretPhone" not in text and "2026" not in text and "09:41" not in text
    row = dict(zip(header, rows[0], strict=True))
    assert (row["A01-reversed"], row["R01-first"], row["R01-second"], row["Z01-rating"]) == ("na", "dk", "", "9")


def test_rows_are_shuffled_by_the_generator_given(tiny: Library) -> None:
    responses = _responses({"Executive": 10, "Manager": 10})
    first = anonymised_answers(tiny, responses, 5, rng=random.Random(1))[1]
    second = anonymised_answers(tiny, responses, 5, rng=random.Random(2))[1]
    again = anonymised_answers(tiny, responses, 5, rng=random.Random(1))[1]
    assert first != second and first == again
    as_multiset = Counter(tuple(row) for row in first)
    assert as_multiset == Counter(tuple(row) for row in second)
    unshuffled = [tuple(row) for row in anonymised_answers(tiny, responses, 5, rng=_NoShuffle())[1]]
    assert [tuple(row) for row in first] != unshuffled and Counter(unshuffled) == as_multiset
    assert Counter(tuple(row) for row in anonymised_answers(tiny, responses, 5)[1]) == as_multiset  # SystemRandom


class _NoShuffle(random.Random):
    def shuffle(self, x: object) -> None:  # type: ignore[override]
        pass


def test_small_roles_are_withheld_with_complementary_suppression(tiny: Library) -> None:
    roles = ["Executive", "Manager", "Board"]
    responses = _responses({"Executive": 6, "Manager": 6, "Board": 2})
    _header, rows = anonymised_answers(tiny, responses, 5, roles, random.Random(3))
    labels = Counter(str(row[0]) for row in rows)
    # Board (2) is withheld, and Executive with it, or Board = total - Executive - Manager.
    assert labels == {"Role withheld": 8, "Manager": 6}
    group = aggregate(tiny, [Participant(r.role, r.answers) for r in responses], k=5, roles=roles)
    assert {r.role for r in group.roles if r.suppressed} == {"Board", "Executive"}  # the same rule as the figures


def test_role_counts_include_roles_nobody_chose_and_no_role_given(tiny: Library) -> None:
    _header, rows = anonymised_answers(tiny, _responses({"": 5, "Manager": 5}), 5, ["Executive", "Manager"])
    assert Counter(str(row[0]) for row in rows) == {"No role given": 5, "Manager": 5}


def test_fewer_than_k_participants_with_answers_are_refused(tiny: Library) -> None:
    responses = [*_responses({"Executive": 4}), Response("Executive", {}, finished=False)]
    for export in (workshop_answers_csv, workshop_answers_xlsx):
        with pytest.raises(TooFewResponses, match="at least 5 participants have answered") as caught:
            export(tiny, responses, 5)
        assert isinstance(caught.value, ValueError) and caught.value.k == 5


EVIL_ROLES = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTab", "\x01=1+1", "#N/A"]


def test_csv_cells_are_formula_safe(tiny: Library) -> None:
    responses = _responses(dict.fromkeys(EVIL_ROLES, 5))
    _header, *rows = _csv_rows(workshop_answers_csv(tiny, responses, 5, EVIL_ROLES, random.Random(4)))
    roles = {row[0] for row in rows}
    assert all(not role.startswith(("=", "+", "-", "@", "\t", "\r", "\0")) for role in roles)
    assert '\'=HYPERLINK("http://x")' in roles and "'-2+3" in roles


def test_xlsx_has_no_formulas_and_an_items_sheet(tiny: Library) -> None:
    responses = _responses(dict.fromkeys(EVIL_ROLES, 5))
    workbook = load_workbook(io.BytesIO(workshop_answers_xlsx(tiny, responses, 5, EVIL_ROLES, random.Random(4))))
    assert workbook.sheetnames == ["Answers", "Items"]
    answers, items = workbook["Answers"], workbook["Items"]
    cells = [cell for row in answers.iter_rows() for cell in row]
    assert all(cell.data_type not in ("f", "e") for cell in cells)
    roles = {row[0] for row in answers.iter_rows(min_row=2, values_only=True)}
    assert '\'=HYPERLINK("http://x")' in roles and "'=1+1" in roles and "'#N/A" in roles
    assert [c.value for c in next(answers.iter_rows(max_row=1))] == ["role", *tiny.items]
    numbers = [row[1] for row in answers.iter_rows(min_row=2, values_only=True)]
    assert numbers == [4] * 35  # answers on the scale stay numbers
    listed = {row[0]: row for row in items.iter_rows(min_row=2, values_only=True)}
    assert set(listed) == set(tiny.items)
    assert listed["A01-plain"][1:] == ("Alpha", "We do the plain thing.", "1-5, na or dk")
    assert all(cell.data_type != "f" for row in items.iter_rows() for cell in row)


def test_a_quick_scan_exports_only_the_questions_it_asked(tiny: Library) -> None:
    asked = [ref.item.id for ref in tiny.asked("quick")]
    assert 0 < len(asked) < len(tiny.items)
    responses = _responses({"Executive": 5})
    header, *rows = _csv_rows(workshop_answers_csv(tiny, responses, 5, rng=random.Random(5), mode="quick"))
    assert header == ["role", *asked] and all(len(row) == 1 + len(asked) for row in rows)
    workbook = load_workbook(io.BytesIO(workshop_answers_xlsx(tiny, responses, 5, rng=random.Random(5), mode="quick")))
    assert [c.value for c in next(workbook["Answers"].iter_rows(max_row=1))] == ["role", *asked]
    assert [row[0] for row in workbook["Items"].iter_rows(min_row=2, values_only=True)] == asked
    # A full workshop keeps every item, as before.
    assert _csv_rows(workshop_answers_csv(tiny, responses, 5, mode="full"))[0] == ["role", *tiny.items]
