"""Session-state keys, in one place, so no two components fight over a name.

Session state holds only what the current screen needs; every answer also goes to the
database as it is given, since session state is gone when a connection drops for long or the
server restarts.
"""

from __future__ import annotations

ANSWERS = "answers"  # item id -> answer: what the database holds, read once per run, plus this run's saves
LANGUAGE = "language"  # the language this person chose (see ui.lang)
LANGUAGE_CHOOSER = "language_chooser"  # the chooser's widget on the home page
# {"inputs": token, "fingerprint": ..., "prepared_at": datetime, "participants": int, "pdf": bytes, "csv": ..., ...}
WORKSHOP_EXPORTS = "workshop_exports"
WORKSHOP_CUSTOM_TARGET = "workshop_custom_target"  # "set a target" ticked on the new-workshop page
WORKSHOP_TARGET = "workshop_target"  # the target's slider there, live only while that is ticked
PUBLIC_ADDRESS = "public_address"  # the address phones reach the app at, as the facilitator typed it
# Its text box; Streamlit forgets a widget's value once its page is left, PUBLIC_ADDRESS stays.
PUBLIC_ADDRESS_INPUT = "public_address_input"
NOTICE = "notice"  # a message for the next page this person lands on, shown once (see ui.components.notice)
SECTION = "section"  # the page of the assessment on screen (0-based)
LOADED = "loaded_token"  # the assessment whose answers are in the widgets
SHOWN = "shown_answers"  # item id -> the answer its widget held when this session last drew or set it
UNSAVED = "unsaved_answers"  # item id -> answer given in this tab that the database does not have yet
SAVE_FAILED_AT = "save_failed_at"  # time.monotonic() when the database last refused an answer
TAB_HEARD = "tab_heard"  # the question page's timer has had a run of its own in this session
# Set by the question page's run just before it calls one of its fragments, taken by the fragment.
FRAGMENT_IN_PAGE = "fragment_in_page"
CONFIRM_FINISH = "confirm_finish"  # the person saw the "unanswered questions" warning
DELPHI_ITEMS = "delphi_items"  # the questions the facilitator picks for the next round
DELPHI_CLOSED = "delphi_closed"  # a participant's round answer was refused: the round had closed
REVEAL_MODE = "reveal_mode"  # the facilitator's choice: the room sees results live, or on reveal
HOME_ORGANISATION = "home_organisation"
RESUME_INPUT = "resume_input"
IMPORT_FILE = "import_file"
JOIN_CODE = "join_code"
JOIN_ROLE = "join_role"
JOIN_FAILURES = "join_failures"  # (wrong join codes in a row, when the last was tried): slows guessing
JOINED = "joined"  # join code -> this session's participant token, so a double click joins once
REPORT_CONSULTANT = "report_consultant"
REPORT_LOGO = "report_logo"
REPORT_PDF = "report_pdf"  # {"inputs": what it was built from, "data": the PDF bytes}


def answer_key(item_id: str) -> str:
    """The widget holding an answer on the question's scale."""
    return f"answer__{item_id}"


def non_answer_key(item_id: str) -> str:
    """The widget beside it holding "not applicable" or "don't know", set apart from the scale."""
    return f"nonanswer__{item_id}"


RESULTS_TAB = "results_tab"  # the tab open on the results page


def detail_key(dimension_id: str) -> str:
    """A dimension's expander on the results page (its details are drawn only when it is open)."""
    return f"detail__{dimension_id}"


def profile_key(question_id: str) -> str:
    return f"profile__{question_id}"


def target_key(dimension_id: str) -> str:
    return f"target__{dimension_id}"


def delphi_key(round_number: int, item_id: str) -> str:
    """A participant's answer to a question in a Delphi round."""
    return f"delphi__{round_number}__{item_id}"
