"""Consistency flags: patterns in the answers worth a second look, said gently.

* ``identical_section``: every answered agreement statement of a section (at least
  ``identical_section_min``) got the same answer.
* ``straight_lining``: at least ``same_answer_share`` of all answers (and ``same_answer_min``
  of them) sit at the same place on their scales: the first option everywhere, the middle
  everywhere. Compared by place, not by value, since the scales differ in length.
* ``acquiescence``: agreement with nearly every agreement statement although they are worded
  in both directions (some describe a strength, others a weakness).
* ``contradiction``: two items that should agree once keyed (``pair`` in the bank) are far
  apart (``contradiction_gap`` or more on the 0..1 scale).

Straight-lining and acquiescence withhold the index: such answers say more about the
answering than about the organisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from questions.library import Library
from scoring.answers import Answers, keyed_value
from scoring.results import DimensionScore, Flag, IndexWithheld

WITHHOLDING = ("straight_lining", "acquiescence")


def find_flags(library: Library, answers: Answers, dimensions: list[DimensionScore]) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    minimum = library.framework.identical_section_min
    agreement = library.framework.response_quality.agreement_scales
    for dimension in dimensions:
        # Only statements rated on one agreement scale: the same level on different scales (a
        # "never" and a "level 1") says nothing about how they were answered.
        given = [
            (i.id, i.answer)
            for i in dimension.items
            if isinstance(i.answer, int) and library.items[i.id].item.scale in agreement
        ]
        if len(given) >= minimum and len({answer for _, answer in given}) == 1:
            directions = {library.items[item_id].item.reverse for item_id, _ in given}
            answer = given[0][1]
            flags.append(
                Flag(
                    "identical_section",
                    dimension.id,
                    tuple(item_id for item_id, _ in given),
                    count=len(given),
                    of=len(given),
                    answer=answer if isinstance(answer, int) else None,
                    mixed=len(directions) > 1,
                )
            )
    flags += _straight_lining(library, answers)
    flags += _acquiescence(library, answers)
    for item_id, partner in library.pairs:
        first, second = answers.get(item_id), answers.get(partner)
        if not isinstance(first, int) or not isinstance(second, int):
            continue
        ref = library.items[item_id]
        distance = abs(keyed_value(ref, first) - keyed_value(library.items[partner], second))
        if distance >= library.framework.contradiction_gap:
            flags.append(Flag("contradiction", ref.dimension.id, (item_id, partner)))
    return tuple(flags)


def _straight_lining(library: Library, answers: Answers) -> list[Flag]:
    rules = library.framework.response_quality
    places: list[float] = []
    for item_id, answer in answers.items():
        ref = library.items.get(item_id)
        if ref is None or not isinstance(answer, int) or ref.item.kind != "rating":
            continue
        places.append(round(ref.place[answer], 2))
    if len(places) < rules.same_answer_min:
        return []
    place, count = Counter(places).most_common(1)[0]
    if count / len(places) < rules.same_answer_share:
        return []
    return [Flag("straight_lining", None, (), count=count, of=len(places), place=place)]


def _acquiescence(library: Library, answers: Answers) -> list[Flag]:
    rules = library.framework.response_quality
    agreed = {False: 0, True: 0}
    asked = {False: 0, True: 0}
    for item_id, answer in answers.items():
        ref = library.items.get(item_id)
        if ref is None or not isinstance(answer, int) or ref.item.scale not in rules.agreement_scales:
            continue
        asked[ref.item.reverse] += 1
        # The upper side of the scale, above its middle: "agree", "largely true".
        agreed[ref.item.reverse] += ref.place[answer] > 0.5
    if min(asked.values()) < rules.agreement_min_each_way:
        return []
    total, yes = sum(asked.values()), sum(agreed.values())
    if yes / total < rules.agreement_share:
        return []
    return [Flag("acquiescence", None, (), count=yes, of=total)]


def withheld_by(flags: Sequence[Flag]) -> IndexWithheld | None:
    """The response-quality flag that withholds the index, if any."""
    for flag in flags:
        if flag.kind in WITHHOLDING and flag.count is not None and flag.of is not None:
            return IndexWithheld(flag.kind, flag.count, flag.of)
    return None
