"""A workshop's fingerprint: it changes with every change an export would show, and only then."""

from __future__ import annotations

from sqlalchemy import Engine

from storage import (
    create_workshop,
    delete_workshop,
    finish_assessment,
    join_workshop,
    save_answer,
    set_page,
    set_workshop_status,
    workshop_fingerprint,
)

VERSIONS = {"ten_questions": "1.2.0", "blockers": "1.0.0"}


def test_the_fingerprint_follows_every_change_an_export_would_show(engine: Engine) -> None:
    workshop = create_workshop(engine, title="Offsite", mode="quick", roles=["A", "B"], k=3, bank_versions=VERSIONS)
    token = workshop.facilitator_token
    seen = [workshop_fingerprint(engine, token)]

    def changed() -> bool:
        """Whether the fingerprint differs from the one before it."""
        seen.append(workshop_fingerprint(engine, token))
        return seen[-1] != seen[-2]

    assert seen[0] is not None and not changed()  # asking again changes nothing
    person = join_workshop(engine, workshop.join_code, "A")
    assert changed()
    save_answer(engine, person.token, "S01-first", 3)
    assert changed()
    save_answer(engine, person.token, "S01-first", 4)  # the same question, another answer
    assert changed()
    set_page(engine, person.token, 2)  # moving between pages is not an answer
    assert not changed()
    save_answer(engine, person.token, "S01-first", None)  # an answer taken back
    assert changed()
    finish_assessment(engine, person.token)
    assert changed()
    set_workshop_status(engine, token, "closed")
    assert changed()
    set_workshop_status(engine, token, "open")
    assert changed()
    other = create_workshop(engine, title="Other", mode="quick", roles=["A"], k=3, bank_versions=VERSIONS)
    join_workshop(engine, other.join_code, "A")  # another workshop's room is not this one's
    assert not changed()
    delete_workshop(engine, token)
    assert workshop_fingerprint(engine, token) is None
    assert workshop_fingerprint(engine, "not a token") is None
