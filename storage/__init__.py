"""Storage: the only package that knows SQL. Assessments and answers in SQLite or PostgreSQL.

Use ``make_engine(database_url(secrets))`` once per process, ``migrate(engine)`` at start-up, then
the functions below, each of which is one transaction. Never imports streamlit.
"""

from storage.assessments import (
    Answer,
    AssessmentRecord,
    UnknownAssessment,
    copy_assessment,
    create_assessment,
    finish_assessment,
    get_assessment,
    load_answers,
    save_answer,
    save_answers,
    set_organisation,
    set_page,
    set_targets,
)
from storage.engine import database_url, make_engine, migrate

__all__ = [
    "Answer",
    "AssessmentRecord",
    "UnknownAssessment",
    "copy_assessment",
    "create_assessment",
    "database_url",
    "finish_assessment",
    "get_assessment",
    "load_answers",
    "make_engine",
    "migrate",
    "save_answer",
    "save_answers",
    "set_organisation",
    "set_page",
    "set_targets",
]
