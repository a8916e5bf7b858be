"""Storage: the only package that knows SQL. Assessments, answers and workshops in SQLite or PostgreSQL.

Use ``make_engine(database_url(secrets))`` once per process, ``migrate(engine)`` at start-up, then
the functions below, each of which is one transaction. Never imports streamlit.

What people type is checked by ``storage.validation`` (``workshop_problems`` and
``organisation_problems`` for the forms); a function given such a value raises ``InvalidInput``
with every problem and its message. A database that cannot do its work (read-only, full,
unreachable, busy) raises ``StorageUnavailable`` with a message for the person waiting.
"""

from storage.assessments import (
    AssessmentRecord,
    UnknownAssessment,
    WorkshopClosed,
    copy_assessment,
    create_assessment,
    finish_assessment,
    get_assessment,
    load_answers,
    read_assessment,
    save_and_read,
    save_answer,
    save_answers,
    set_organisation,
    set_page,
    set_profile,
    set_targets,
)
from storage.engine import database_url, make_engine, migrate
from storage.failures import StorageUnavailable
from storage.records import Answer
from storage.validation import (
    MAX_K,
    MAX_ORGANISATION,
    MAX_TITLE,
    MIN_K,
    InvalidInput,
    Problem,
    Rule,
    organisation_problems,
    workshop_problems,
)
from storage.workshops import (
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    Response,
    UnknownWorkshop,
    WorkshopRecord,
    create_workshop,
    delete_workshop,
    format_join_code,
    get_workshop,
    get_workshop_for_facilitator,
    get_workshop_for_projector,
    join_workshop,
    normalise_join_code,
    set_workshop_status,
    workshop_counts,
    workshop_of,
    workshop_responses,
)

__all__ = [
    "JOIN_ALPHABET",
    "JOIN_CODE_LENGTH",
    "MAX_K",
    "MAX_ORGANISATION",
    "MAX_TITLE",
    "MIN_K",
    "Answer",
    "AssessmentRecord",
    "InvalidInput",
    "Problem",
    "Response",
    "Rule",
    "StorageUnavailable",
    "UnknownAssessment",
    "UnknownWorkshop",
    "WorkshopClosed",
    "WorkshopRecord",
    "copy_assessment",
    "create_assessment",
    "create_workshop",
    "database_url",
    "delete_workshop",
    "finish_assessment",
    "format_join_code",
    "get_assessment",
    "get_workshop",
    "get_workshop_for_facilitator",
    "get_workshop_for_projector",
    "join_workshop",
    "load_answers",
    "make_engine",
    "migrate",
    "normalise_join_code",
    "organisation_problems",
    "read_assessment",
    "save_and_read",
    "save_answer",
    "save_answers",
    "set_organisation",
    "set_page",
    "set_profile",
    "set_targets",
    "set_workshop_status",
    "workshop_counts",
    "workshop_of",
    "workshop_problems",
    "workshop_responses",
]
