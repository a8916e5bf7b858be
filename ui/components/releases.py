"""The published group figures of a workshop: made when enough people wait, computed once per release.

Whoever looks first after at least k people are waiting (the facilitator's dashboard, the
projector, a participant's results) makes the next release: :func:`scoring.release.next_release`
decides what it shows and ``storage.add_release`` stores it; two processes racing for the same
release store it once (the loser reads again). Everyone then sees the figures of the latest
release, computed once per server process and release, however many people watch: a release
never changes, so the cached figures are never stale.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from questions.library import Library
from scoring.aggregate import WITHHELD_ROLE, GroupResult, Participant, aggregate
from scoring.release import Release, ReleasedRow, next_release
from storage import WorkshopRecord, get_workshop_for_facilitator
from storage.releases import ReleaseRecord, ReleaseSummary, Row, add_release, release_state, release_summary, released
from storage.rounds import rounds_of
from ui.data import engine, usable_library
from ui.lang import language

_RACES = 3  # another process storing the same release first: read again, at most this often


def _release_of(workshop: WorkshopRecord) -> tuple[object, ...]:
    """What a workshop's figures depend on besides the release: never its status or its title."""
    return (
        workshop.facilitator_token,
        workshop.mode,
        workshop.k,
        tuple(sorted(workshop.targets.items())),
        workshop.roles,
    )


@dataclass(frozen=True)
class Published:
    """The latest release of a round: its figures (``None`` before the first), and when it was made."""

    summary: ReleaseSummary
    group: GroupResult | None
    rows: tuple[Row, ...]  # as released, for exports; never shown one by one on a screen
    labels: dict[int, str | None]


def publish_if_due(
    library: Library, workshop: WorkshopRecord, round_number: int = 1, *, now: bool = False
) -> ReleaseSummary | None:
    """Make the next release when at least k people wait; the round's summary after that.

    A live workshop releases on its own; one whose results wait for the facilitator's reveal
    releases only when the facilitator asks (``now``), so that the figures the room will see
    are made at once, from everyone there.
    """
    for _ in range(_RACES):
        summary = release_summary(engine(), workshop.facilitator_token, round_number)
        automatic = workshop.reveal == "live" or round_number > 1  # a Delphi round's figures are the facilitator's
        if summary is None or summary.waiting < workshop.k or not (now or automatic):
            return summary
        state = release_state(engine(), workshop.facilitator_token, round_number)
        if state is None:
            return None
        release = next_release(
            library,
            workshop.mode,
            workshop.k,
            [_released_row(row) for row in state.released],
            [Release(r.labels, r.withheld) for r in state.history],
            [_released_row(row) for row in state.waiting],
        )
        if release is None:
            return summary
        seq = (state.latest.seq if state.latest else 0) + 1
        if add_release(
            engine(), workshop.facilitator_token, round_number, seq, state.waiting, release.labels, release.withheld
        ):
            continue  # read the summary of what was just stored
    return release_summary(engine(), workshop.facilitator_token, round_number)


def published(library: Library, workshop: WorkshopRecord, round_number: int = 1) -> Published | None:
    """The round's latest release and its figures, releasing first when it is due."""
    summary = publish_if_due(library, workshop, round_number)
    if summary is None:
        return None
    if summary.seq == 0:
        return Published(summary, None, (), {})
    group, rows, labels = _figures(library, workshop, round_number, summary.seq, language())
    return Published(summary, group, rows, labels)


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs={WorkshopRecord: _release_of})
def _figures(
    _library: Library, workshop: WorkshopRecord, round_number: int, seq: int, language: str
) -> tuple[GroupResult | None, tuple[Row, ...], dict[int, str | None]]:
    """One release's figures in one language: immutable, so cached for everyone who watches.

    Keyed by the release and the language (the library is the language's), never by a viewer;
    the bounded cache forgets old releases.
    """
    found = released(engine(), workshop.facilitator_token, round_number, seq)
    if found is None:
        return None, (), {}
    record, rows = found
    return _group(_library, workshop, record, rows), tuple(rows), dict(record.labels)


def _group(library: Library, workshop: WorkshopRecord, record: ReleaseRecord, rows: list[Row]) -> GroupResult:
    labels = record.labels
    participants = [Participant(labels.get(row.key) or WITHHELD_ROLE, row.answers) for row in rows]
    withheld_roles = frozenset(row.role for row in rows if labels.get(row.key) is None)
    return aggregate(
        library,
        participants,
        workshop.mode,
        workshop.k,
        workshop.targets or None,
        workshop.roles,
        withheld=record.withheld,
        withheld_roles=withheld_roles,
    )


def _released_row(row: Row) -> ReleasedRow:
    return ReleasedRow(row.key, row.role, Participant(row.role, row.answers))


def release_now(facilitator_token: str) -> None:
    """The facilitator's "release" (a button's callback): the waiting answers, if k or more wait."""
    workshop = get_workshop_for_facilitator(engine(), facilitator_token)
    if workshop is not None:
        publish_if_due(usable_library(), workshop, now=True)


def release_fingerprint(facilitator_token: str) -> tuple[object, ...]:
    """What a prepared export was made from: the latest release of every round, and which rounds
    exist and are open. Anything released after the export makes it out of date."""
    first = release_summary(engine(), facilitator_token, 1)
    later = tuple(
        (record.number, record.status, getattr(release_summary(engine(), facilitator_token, record.number), "seq", 0))
        for record in rounds_of(engine(), facilitator_token)
    )
    return (first.seq if first is not None else 0, later)
