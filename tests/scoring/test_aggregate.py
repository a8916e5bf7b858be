from __future__ import annotations

import numpy as np
import pytest

from questions.library import Library
from scoring.aggregate import Participant, aggregate, spread, suppressed_roles
from tests.fixtures.tiny_answers import FULL


def _people(roles: dict[str, int], answers: dict[str, int] | None = None) -> list[Participant]:
    return [Participant(role, answers or FULL) for role, n in roles.items() for _ in range(n)]


def test_spread_statistics() -> None:
    result = spread(np.array([0.0, 25.0, 50.0, 100.0, np.nan]))
    assert result is not None
    assert (result.n, result.median, result.mean, result.q1, result.q3) == (4, 37.5, 43.75, 18.75, 62.5)
    assert result.iqr == 43.75
    assert result.sd == pytest.approx(36.98, abs=0.01)  # population SD
    assert result.agreement == pytest.approx(1 - result.sd / 50)
    assert spread(np.array([np.nan])) is None
    assert spread(np.array([60.0, 60.0])).agreement == 1.0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"Exec": 5, "Front": 5}, set()),
        ({"Exec": 4, "Front": 5, "Support": 6}, {"Exec", "Front"}),  # hide Exec; Front too, or Exec = total - others
        ({"Exec": 5, "Front": 5, "Support": 1}, {"Exec", "Support"}),
        ({"Exec": 2, "Front": 3, "Support": 9}, {"Exec", "Front"}),  # the two hidden ones already add up to k
        ({"Exec": 4}, {"Exec"}),
        ({"Exec": 0, "Front": 7}, set()),
    ],
)
def test_complementary_suppression(counts: dict[str, int], hidden: set[str]) -> None:
    assert suppressed_roles(counts, 5) == hidden


def test_role_at_k_minus_one_is_suppressed_and_at_k_shown(tiny: Library) -> None:
    below = aggregate(tiny, _people({"Executive": 4, "Front line": 5, "Manager": 5}), k=5)
    by_role = {r.role: r for r in below.roles}
    assert (
        by_role["Executive"].suppressed and by_role["Executive"].dimensions == {} and by_role["Executive"].index is None
    )
    assert by_role["Front line"].suppressed  # hidden as well: otherwise Executive = total - the others
    assert not by_role["Manager"].suppressed
    at_k = aggregate(tiny, _people({"Executive": 5, "Front line": 5, "Manager": 5}), k=5)
    assert not any(r.suppressed for r in at_k.roles)
    assert all(r.dimensions["A01-alpha"] == pytest.approx(62.5) for r in at_k.roles)


def test_a_group_smaller_than_k_shows_nothing(tiny: Library) -> None:
    result = aggregate(tiny, _people({"Executive": 4}), k=5)
    assert result.suppressed and result.index is None and result.stage is None
    assert all(d.spread is None for d in result.dimensions)
    assert all(i.spread is None and i.counts is None for i in result.items)
    assert result.contested == () and result.role_gaps == ()
    assert result.delivery_gap.gap is None


def test_items_answered_by_fewer_than_k_are_hidden(tiny: Library) -> None:
    people = [*_people({"Executive": 5}), Participant("Executive", {"A01-plain": 1})]
    result = aggregate(tiny, people, k=5)
    by_id = {i.id: i for i in result.items}
    assert by_id["A01-plain"].counts == {1: 1, 2: 0, 3: 0, 4: 5, 5: 0}
    assert by_id["A02-agree"].n == 5 and by_id["A02-agree"].spread is not None


def test_role_gaps_and_contested_items(tiny: Library) -> None:
    low = {**FULL, "A02-poles": 1, "A02-agree": 1}
    high = {**FULL, "A02-poles": 5, "A02-agree": 5}
    result = aggregate(
        tiny, _people({"Executive": 5}, high) + _people({"Front line": 5}, low), k=5, roles=["Executive", "Front line"]
    )
    top = result.role_gaps[0]
    assert (top.dimension, top.role_a, top.role_b, top.gap) == ("A02-beta", "Executive", "Front line", 100.0)
    contested = result.contested[0]
    assert contested.id in {"A02-poles", "A02-agree"} and contested.split
    assert contested.spread is not None and contested.spread.agreement == 0.0


def test_group_index_blockers_and_delivery_gap(tiny: Library) -> None:
    result = aggregate(tiny, _people({"Executive": 3, "Manager": 3}), k=3)
    assert result.index is not None and result.index.median == pytest.approx(53.75)
    assert result.stage is not None and result.stage.level == 3
    assert result.blockers[0].severity == pytest.approx(50.0)
    assert result.delivery_gap.direction == "over" and result.delivery_gap.gap == pytest.approx(36.25)


def test_roles_listed_in_the_given_order_even_when_empty(tiny: Library) -> None:
    result = aggregate(tiny, _people({"Manager": 5}), k=5, roles=["Executive", "Manager"])
    assert [(r.role, r.n, r.suppressed) for r in result.roles] == [("Executive", 0, False), ("Manager", 5, False)]
    assert aggregate(tiny, [Participant(None, FULL)], k=1).roles[0].role == "No role given"


def test_a_figure_needs_k_contributors_even_when_its_group_is_large_enough(tiny: Library) -> None:
    quiet = [Participant("Executive", {}) for _ in range(4)]  # joined, answered nothing
    result = aggregate(tiny, [*quiet, Participant("Executive", FULL)], k=5)
    assert not result.suppressed and result.roles[0].n == 5 and not result.roles[0].suppressed
    assert all(d.spread is None for d in result.dimensions)  # each rests on one person only
    assert result.index is None and result.delivery_gap.gap is None
    assert result.roles[0].index is None and set(result.roles[0].dimensions.values()) == {None}
    assert all(i.spread is None for i in result.items)
