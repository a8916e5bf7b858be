"""What a workshop may publish, and when, so that no two moments can be compared to single someone out.

Anonymity that holds on one screen is not enough: a facilitator who exports before and after one
person finishes, or watches a figure move when one more answer arrives, reads that person's answers
off the difference. So group figures are published in **releases**, and every release obeys one rule:

    No figure (or role label) anyone can see may rest on fewer than k people, and no two releases
    may differ, in any figure, by fewer than k people.

How the rule is kept:

1. **Batches.** A release is made only when at least ``k`` participants are waiting (finished, or
   with answers when the workshop closes). Their answers are copied into the release as they stand
   and never change there afterwards; a person's later edits stay in their own results. Releases
   therefore only grow, by at least ``k`` people at a time.
2. **Role labels.** Each person carries, release after release, a label: their role, or "withheld".
   People with the same labels in every release so far form a class, and a class of one or two is
   exactly what two exports would give away (the new row in an export is the newcomer's). So roles
   are withheld, smallest first, until every class holds at least ``k`` people. Withholding every
   role always satisfies this (the old classes keep their sizes, the newcomers are one batch), so a
   release is always possible.
3. **Figures.** A figure (the index, a dimension, a question, a role's index or dimension) is
   computed over the people who contribute to it: those who answered the question, whose score for
   the dimension exists, with that role label. A figure is shown only when at least ``k`` people
   contribute, and only when its contributors differ from those at every earlier release where it
   was shown by none or by at least ``k`` people. Otherwise it is withheld in this release.

Everything here is pure: rows in, the next release's labels and withheld figures out. ``storage``
keeps the releases; ``scoring.aggregate`` computes the figures with the withheld ones left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from questions.library import Library, Mode
from scoring.aggregate import Participant, person_measures

GROUP = ""  # the population of a group figure; a role's figures are keyed by the role's name


@dataclass(frozen=True)
class ReleasedRow:
    """One person's answers as released. ``key`` tells people apart inside the rule and never leaves
    the server: it is not shown, exported or ordered by."""

    key: int
    role: str
    participant: Participant


@dataclass(frozen=True)
class Release:
    """One release: every released person's label (their role, or ``None`` when withheld) and the
    figures withheld by the rule, as :func:`figure_key` names them."""

    labels: Mapping[int, str | None]
    withheld: frozenset[str]


def figure_key(population: str, measure: str) -> str:
    """``"dim:S01"`` for the group's figure, ``"Executive|dim:S01"`` for a role's."""
    return measure if population == GROUP else f"{population}|{measure}"


def next_release(
    library: Library,
    mode: Mode,
    k: int,
    released: Sequence[ReleasedRow],
    history: Sequence[Release],
    waiting: Sequence[ReleasedRow],
) -> Release | None:
    """The release that adds ``waiting`` to ``released``, or ``None`` while fewer than ``k`` wait.

    ``history``: every earlier release, oldest first; ``released``: everyone in the latest.
    """
    if len(waiting) < k:
        return None
    rows = [*released, *waiting]
    labels = _labels(rows, history, k)
    measures = person_measures(library, [row.participant for row in rows], mode)
    return Release(labels=labels, withheld=_withheld(rows, measures, labels, history, k))


# --- role labels ------------------------------------------------------------------------------


def _labels(rows: Sequence[ReleasedRow], history: Sequence[Release], k: int) -> dict[int, str | None]:
    """Every person's label in the new release: roles withheld until every class of people with the
    same label history holds at least k (see the module's second point)."""
    sizes = Counter(row.role for row in rows)
    shown = {role for role, n in sizes.items() if n >= k}
    past = {row.key: tuple(release.labels.get(row.key, _ABSENT) for release in history) for row in rows}
    while True:
        labels = {row.key: (row.role if row.role in shown else None) for row in rows}
        classes = Counter((past[row.key], labels[row.key]) for row in rows)
        small = [(n, label) for (_, label), n in classes.items() if n < k]
        if not small:
            return labels
        if not shown:
            # Unreachable while releases keep the rule: with every role withheld the earlier classes
            # keep their sizes and the newcomers are one batch of at least k.
            raise AssertionError("no labelling keeps every class at k or more")
        labelled = sorted((n, label) for n, label in small if label is not None)
        # A small class with a role: withhold that role. Only small withheld classes: withhold the
        # smallest role still shown, whose people join the withheld and merge the small classes.
        role = labelled[0][1] if labelled else min(shown, key=lambda r: (sizes[r], r))
        shown.discard(role)


_ABSENT = "\x00absent"  # a person not yet released at that time; no role can be named this


# --- figures ----------------------------------------------------------------------------------


def _withheld(
    rows: Sequence[ReleasedRow],
    measures: Sequence[frozenset[str]],
    labels: Mapping[int, str | None],
    history: Sequence[Release],
    k: int,
) -> frozenset[str]:
    """The figures the new release must withhold: those resting on k or more people whose people
    differ from those of an earlier release that showed the figure by 1 to k - 1.

    People × measures as a boolean matrix, and each release's labels as an array, so that every
    comparison is a column sum: the set of people behind a figure at a release is the column
    masked by who was in that release with the figure's label.
    """
    names = sorted(set().union(*measures)) if measures else []
    column = {name: position for position, name in enumerate(names)}
    has = np.zeros((len(rows), len(names)), dtype=bool)
    for person, measured in enumerate(measures):
        has[person, [column[name] for name in measured]] = True
    per_role = np.array([not name.startswith("item:") for name in names])  # roles are shown by dimension
    populations = [GROUP, *sorted({label for label in labels.values() if label is not None})]

    def members(release_labels: Mapping[int, str | None], population: str) -> npt.NDArray[np.bool_]:
        if population == GROUP:
            return np.array([row.key in release_labels for row in rows], dtype=bool)
        return np.array([release_labels.get(row.key, _ABSENT) == population for row in rows], dtype=bool)

    withheld: set[str] = set()
    for population in populations:
        now = members(labels, population)
        behind_now = has & now[:, None]
        counts = behind_now.sum(axis=0)
        relevant = counts >= k if population == GROUP else (counts >= k) & per_role
        if not relevant.any():
            continue
        for earlier in history:
            then = members(earlier.labels, population)
            counts_then = (has & then[:, None]).sum(axis=0)
            differ = (has & (now ^ then)[:, None]).sum(axis=0)
            for position in np.flatnonzero(relevant & (counts_then >= k) & (differ > 0) & (differ < k)):
                key = figure_key(population, names[position])
                if key not in earlier.withheld:
                    withheld.add(key)
    return frozenset(withheld)
