"""The rules on what people type, checked without a database: the forms call the same functions."""

from __future__ import annotations

from typing import Any

import pytest

from storage.validation import (
    MAX_K,
    MAX_ORGANISATION,
    MAX_ROLE,
    MAX_ROLES,
    MAX_TITLE,
    MIN_K,
    InvalidInput,
    Problem,
    Rule,
    checked_organisation,
    checked_roles,
    checked_title,
    organisation_problems,
    roles_problems,
    workshop_problems,
)

GOOD: dict[str, Any] = {"title": "Offsite", "organisation": "Acme", "roles": ["Executive", "Manager"], "k": 5}


def _rules(problems: list[Problem]) -> list[Rule]:
    return [problem.rule for problem in problems]


def test_good_settings_have_no_problem() -> None:
    assert workshop_problems(**GOOD) == []
    assert workshop_problems(**{**GOOD, "organisation": None}) == []


def test_the_limits_themselves_are_allowed() -> None:
    roles = [f"{n:02d}".ljust(MAX_ROLE, "r") for n in range(MAX_ROLES)]
    assert workshop_problems(title="T" * MAX_TITLE, organisation="O" * MAX_ORGANISATION, roles=roles, k=MIN_K) == []
    assert workshop_problems(**{**GOOD, "k": MAX_K}) == []


def test_every_problem_is_reported_at_once() -> None:
    problems = workshop_problems(
        title="  ", organisation="x" * (MAX_ORGANISATION + 1), roles=["Manager", " manager", "r" * 41], k=11
    )
    assert _rules(problems) == [
        Rule.TITLE_MISSING,
        Rule.ORGANISATION_TOO_LONG,
        Rule.ROLE_TOO_LONG,
        Rule.ROLES_SAME,
        Rule.K_RANGE,
    ]


@pytest.mark.parametrize(
    "roles",
    [
        ["Manager", "manager"],
        ["Manager", "  MANAGER  "],
        ["Manager", "Ｍanager"],  # a full-width M looks the same on a phone
        ["Straße", "STRASSE"],
    ],
)
def test_roles_that_differ_only_by_case_or_spaces_are_one_role(roles: list[str]) -> None:
    (problem,) = roles_problems(roles)
    assert problem.rule is Rule.ROLES_SAME
    assert problem.message == (
        "Roles must differ by more than upper and lower case or spaces: "
        f"{', '.join(role.strip() for role in roles)} would be one role. Keep one of them."
    )


def test_role_counts() -> None:
    assert _rules(roles_problems([])) == [Rule.ROLES_COUNT]
    assert _rules(roles_problems([f"r{n}" for n in range(MAX_ROLES + 1)])) == [Rule.ROLES_COUNT]
    assert _rules(roles_problems(["Manager", "  "])) == [Rule.ROLE_MISSING]


@pytest.mark.parametrize("character", ["\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9f", "\ud800"])
def test_no_text_keeps_a_control_character(character: str) -> None:
    text = f"Acme{character}BV"
    assert _rules(workshop_problems(**{**GOOD, "title": text})) == [Rule.TITLE_CONTROL]
    assert _rules(organisation_problems(text)) == [Rule.ORGANISATION_CONTROL]
    assert _rules(roles_problems(["Executive", text])) == [Rule.ROLE_CONTROL]


@pytest.mark.parametrize("text", ["Café Noël", "Straße", "東京 株式会社", "Acme\u00a0BV", "🚀 Go", "O'Brien & Co <b>"])
def test_letters_of_every_script_and_symbols_are_fine(text: str) -> None:
    assert workshop_problems(title=text, organisation=text, roles=[text], k=5) == []


@pytest.mark.parametrize("k", [MIN_K - 1, MAX_K + 1, True, 5.0, "5", None])
def test_k_is_a_whole_number_in_range(k: Any) -> None:
    assert _rules(workshop_problems(**{**GOOD, "k": k})) == [Rule.K_RANGE]


def test_every_rule_has_a_message_in_the_catalogue() -> None:
    problems = workshop_problems(title="", organisation="\x00" + "x" * 300, roles=[], k=0)
    roles = ["", "\x00", "r" * 50, "A", "a"]
    problems += workshop_problems(title="\x00" + "x" * 200, organisation=None, roles=roles, k=5)
    assert set(_rules(problems)) == set(Rule)
    for problem in problems:
        assert problem.message and "{" not in problem.message, problem.rule


def test_storage_refuses_with_every_problem_and_its_message() -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_roles(["Manager", "manager", "x\x00"])
    assert isinstance(refused.value, ValueError)
    assert _rules(list(refused.value.problems)) == [Rule.ROLE_CONTROL, Rule.ROLES_SAME]
    assert str(refused.value) == " ".join(problem.message for problem in refused.value.problems)


def test_storage_keeps_the_values_trimmed() -> None:
    assert checked_title("  Offsite ") == "Offsite"
    assert checked_organisation("  ") is None and checked_organisation(" Acme ") == "Acme"
    assert checked_roles([" Executive", "Manager "]) == ("Executive", "Manager")
