"""Consistency flags: patterns in the answers worth a second look, said gently.

* ``identical_section``: every answered item of a section (at least ``identical_section_min``)
  got the same answer, although the items are worded in different directions or describe
  different things.
* ``straight_lining``: nine in ten of all answers (at least twenty answers) are the same.
* ``contradiction``: two items that should agree once keyed (``pair`` in the bank) are far
  apart (``contradiction_gap`` or more on the 0..1 scale).
"""

from __future__ import annotations

from collections import Counter

from questions.library import Library
from scoring.answers import Answers, keyed_value
from scoring.results import DimensionScore, Flag

_STRAIGHT_LINE_SHARE = 0.9
_STRAIGHT_LINE_MIN = 20


def find_flags(library: Library, answers: Answers, dimensions: list[DimensionScore]) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    minimum = library.framework.identical_section_min
    for dimension in dimensions:
        given = [(i.id, i.answer) for i in dimension.items if isinstance(i.answer, int)]
        if len(given) >= minimum and len({answer for _, answer in given}) == 1:
            flags.append(
                Flag(
                    "identical_section",
                    f"All {len(given)} answers in “{dimension.title}” were the same ({given[0][1]}). "
                    "Worth a second look: the statements point in different directions.",
                    dimension.id,
                    tuple(item_id for item_id, _ in given),
                )
            )
    values = [a for a in answers.values() if isinstance(a, int)]
    if len(values) >= _STRAIGHT_LINE_MIN:
        value, count = Counter(values).most_common(1)[0]
        if count / len(values) >= _STRAIGHT_LINE_SHARE:
            flags.append(
                Flag(
                    "straight_lining",
                    f"{count} of {len(values)} answers were the same ({value}); the result may say more "
                    "about the answering than about the organisation.",
                    None,
                    (),
                )
            )
    for item_id, partner in library.pairs:
        first, second = answers.get(item_id), answers.get(partner)
        if not isinstance(first, int) or not isinstance(second, int):
            continue
        ref = library.items[item_id]
        distance = abs(keyed_value(ref, first) - keyed_value(library.items[partner], second))
        if distance >= library.framework.contradiction_gap:
            flags.append(
                Flag(
                    "contradiction",
                    f"The answers to “{ref.item.text}” and “{library.items[partner].item.text}” "
                    "point in opposite directions; one of them may deserve another look.",
                    ref.dimension.id,
                    (item_id, partner),
                )
            )
    return tuple(flags)
