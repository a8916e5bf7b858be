"""A workshop's answers for a spreadsheet (CSV and XLSX): one anonymous row per participant.

What keeps the rows anonymous:

- only a role and the answers: no participant token, IP address, user agent or timestamp, which
  the responses given to these functions do not even carry;
- rows in random order (``random.SystemRandom`` unless a seeded generator is passed), so the row
  order cannot be matched with the order in which people joined or finished;
- the role of any role group under k is replaced by a neutral label, together with the next
  smallest roles until the relabelled people number at least k
  (:func:`scoring.aggregate.suppressed_roles`, the same rule the group figures follow), so a
  hidden role cannot be recovered by subtracting the shown roles from the total;
- nothing at all below k participants with answers: :class:`TooFewResponses`, whose message the
  app shows.

Every participant who gave at least one answer is exported, finished or not, exactly as the live
dashboard and the workshop report count them: in a room, many answer everything and never press
"finish", and the export must match what the group saw.
Every text cell is formula-safe (:func:`reports.exports.safe_cell`); in XLSX, characters XML
cannot hold are removed first, so that removing them cannot expose a formula.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from openpyxl import Workbook  # type: ignore[import-untyped]  # MIT; ships no type information
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

from i18n import t
from questions.library import Library, Mode
from reports.exports import safe_cell
from scoring.aggregate import NO_ROLE, WITHHELD_ROLE, suppressed_roles
from scoring.answers import Answer, describe_allowed

Cell = str | int


class WorkshopResponse(Protocol):
    """One participant's response as storage hands it over (``storage.Response`` fits)."""

    @property
    def role(self) -> str: ...

    @property
    def answers(self) -> Mapping[str, Answer]: ...

    @property
    def finished(self) -> bool: ...


class TooFewResponses(ValueError):
    """Fewer than k participants with answers: any export would expose someone. The message says so."""

    def __init__(self, k: int, language: str = "en") -> None:
        super().__init__(t("export.too_few", k=k, language=language))
        self.k = k


def anonymised_answers(
    library: Library,
    responses: Sequence[WorkshopResponse],
    k: int,
    roles: Sequence[str] = (),
    rng: random.Random | None = None,
    *,
    mode: Mode = "full",
    language: str = "en",
) -> tuple[list[str], list[list[Cell]]]:
    """The header (role, then the id of every item asked in ``mode``, in bank order) and the
    shuffled, anonymised rows.

    ``roles`` are the workshop's roles in order; they count (with no one) like in the aggregate,
    so both withhold exactly the same roles from the same responses. A quick-scan workshop's
    columns are the quick scan's items only: nobody was asked the others.
    """
    answered = [response for response in responses if response.answers]
    if len(answered) < k:
        raise TooFewResponses(k, language)
    labels = [response.role or NO_ROLE for response in answered]
    counts = {role: labels.count(role) for role in dict.fromkeys([*roles, *sorted(set(labels))])}
    hidden = suppressed_roles(counts, k) | {WITHHELD_ROLE}  # a release's withheld label names no role
    item_ids = [ref.item.id for ref in library.asked(mode)]
    rows: list[list[Cell]] = [
        [_role_cell(label, hidden, language), *(_answer_cell(response.answers.get(i)) for i in item_ids)]
        for label, response in zip(labels, answered, strict=True)
    ]
    (rng or random.SystemRandom()).shuffle(rows)
    return [t("export.col_role", language=language), *item_ids], rows


def _role_cell(role: str, hidden: set[str], language: str) -> str:
    if role in hidden:
        return t("export.role_withheld", language=language)
    return t("export.no_role", language=language) if role == NO_ROLE else role


def _answer_cell(answer: Answer | None) -> Cell:
    """A value on the item's scale, ``na``, ``dk``, or empty for unanswered."""
    return "" if answer is None else answer


def workshop_answers_csv(
    library: Library,
    responses: Sequence[WorkshopResponse],
    k: int,
    roles: Sequence[str] = (),
    rng: random.Random | None = None,
    *,
    mode: Mode = "full",
    language: str = "en",
) -> bytes:
    """The anonymised answers as CSV (UTF-8 with a BOM, so Excel reads it as UTF-8)."""
    header, rows = anonymised_answers(library, responses, k, roles, rng, mode=mode, language=language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    table: list[Sequence[Cell]] = [header, *rows]
    for row in table:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def workshop_answers_xlsx(
    library: Library,
    responses: Sequence[WorkshopResponse],
    k: int,
    roles: Sequence[str] = (),
    rng: random.Random | None = None,
    *,
    mode: Mode = "full",
    language: str = "en",
) -> bytes:
    """The anonymised answers as an XLSX workbook, with a second sheet naming every item in it."""
    header, rows = anonymised_answers(library, responses, k, roles, rng, mode=mode, language=language)
    workbook = Workbook(write_only=True)
    answers = workbook.create_sheet(t("export.sheet_answers", language=language))
    table: list[Sequence[Cell]] = [header, *rows]
    for row in table:
        answers.append([_xlsx_cell(cell) for cell in row])
    items = workbook.create_sheet(t("export.sheet_items", language=language))
    columns = ("item", "dimension", "question", "scale")
    items.append([_xlsx_cell(t(f"export.col_{column}", language=language)) for column in columns])
    for ref in library.asked(mode):
        cells = (ref.item.id, ref.dimension.title, ref.item.text, describe_allowed(library, ref.item.id))
        items.append([_xlsx_cell(cell) for cell in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    """Text as a spreadsheet will keep it: XML-illegal characters removed, then made formula-safe.

    The order matters: removing a control character first can leave ``=`` in front, which
    :func:`safe_cell` then neutralises. Text that reads like an error code (``#N/A``) would be
    stored as an error, not text, so it is neutralised the same way.
    """
    if not isinstance(value, str):
        return value
    text = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return "'" + text if text in ERROR_CODES else text
