"""The rules every value must meet before storage writes it, in one place: the forms check what
people typed with the same functions before they save, so a form and storage never disagree.

What people type (a workshop's title, organisation, roles and k, an assessment's organisation) is
checked by the ``*_problems`` functions, pure, which return every ``Problem`` at once, each with a
message for the person who typed it. The ``checked_*`` functions are storage's side: they return
the value as it is stored (trimmed, say) or raise ``InvalidInput`` with those problems, and plain
``ValueError`` for values only a program can get wrong (a mode, a bank id, a target), always before
any database is touched.

No text anywhere may hold a control character (NUL, a line break, ESC, …) or a lone surrogate:
PostgreSQL refuses NUL outright, nobody can see the others, and they make two names that look the
same differ.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from i18n import DEFAULT_LANGUAGE, t
from storage.records import Answer, Mode

MAX_TITLE = 120
MAX_ORGANISATION = 200
MAX_ROLES = 12
MAX_ROLE = 40  # assessments.role is VARCHAR(40)
MIN_K, MAX_K = 3, 10
MAX_ITEM_ID = 80
# Dimension ids and bank ids share the item ids' limit: they are all short identifiers.
MAX_KEY = 80
# The columns are SQL INTEGER, which PostgreSQL keeps in 32 bits.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

# C0 controls, DEL, C1 controls (Unicode category Cc) and lone surrogates (Cs), which UTF-8 cannot encode.
_UNSTORABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class Rule(StrEnum):
    """A rule that what people type can break; ``validation.<rule>`` in the catalogue says it in words."""

    TITLE_MISSING = "title_missing"
    TITLE_TOO_LONG = "title_too_long"
    TITLE_CONTROL = "title_control"
    ORGANISATION_TOO_LONG = "organisation_too_long"
    ORGANISATION_CONTROL = "organisation_control"
    ROLES_COUNT = "roles_count"
    ROLE_MISSING = "role_missing"
    ROLE_TOO_LONG = "role_too_long"
    ROLE_CONTROL = "role_control"
    ROLES_SAME = "roles_same"
    K_RANGE = "k_range"


@dataclass(frozen=True)
class Problem:
    """One rule a value breaks, and what its message needs to say which value and how."""

    rule: Rule
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The problem in plain words, for the person who typed the value."""
        # In the app's language (English): storage is not told who is reading.
        return t(f"validation.{self.rule.value}", DEFAULT_LANGUAGE, **self.params)


class InvalidInput(ValueError):
    """Values that break rules the person who typed them can fix; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(problem.message for problem in self.problems))


# --- what people type: every problem at once ------------------------------------------------


def workshop_problems(*, title: str, organisation: str | None, roles: Sequence[str], k: object) -> list[Problem]:
    """Everything wrong with a new workshop's settings as typed; ``[]`` when it can be created."""
    return title_problems(title) + organisation_problems(organisation) + roles_problems(roles) + k_problems(k)


def title_problems(title: str) -> list[Problem]:
    name = title.strip()
    problems = []
    if not name:
        problems.append(Problem(Rule.TITLE_MISSING))
    if len(name) > MAX_TITLE:
        problems.append(Problem(Rule.TITLE_TOO_LONG, {"length": len(name), "most": MAX_TITLE}))
    if _UNSTORABLE.search(name):
        problems.append(Problem(Rule.TITLE_CONTROL))
    return problems


def organisation_problems(organisation: str | None) -> list[Problem]:
    """An organisation's name is optional: ``None`` and blank text are fine."""
    name = (organisation or "").strip()
    problems = []
    if len(name) > MAX_ORGANISATION:
        problems.append(Problem(Rule.ORGANISATION_TOO_LONG, {"length": len(name), "most": MAX_ORGANISATION}))
    if _UNSTORABLE.search(name):
        problems.append(Problem(Rule.ORGANISATION_CONTROL))
    return problems


def roles_problems(roles: Sequence[str]) -> list[Problem]:
    """1 to 12 roles, each named, and no two the same once trimmed, whatever their case."""
    names = [role.strip() for role in roles]
    problems = []
    if not 1 <= len(names) <= MAX_ROLES:
        problems.append(Problem(Rule.ROLES_COUNT, {"count": len(names), "most": MAX_ROLES}))
    for name in names:
        problems += _role_problems(name)
    same: dict[str, list[str]] = {}
    for name in names:
        if name:
            same.setdefault(_role_key(name), []).append(name)
    problems += [Problem(Rule.ROLES_SAME, {"roles": ", ".join(group)}) for group in same.values() if len(group) > 1]
    return problems


def k_problems(k: object) -> list[Problem]:
    # bool is an int to Python, but True is no threshold.
    if isinstance(k, bool) or not isinstance(k, int) or not MIN_K <= k <= MAX_K:
        return [Problem(Rule.K_RANGE, {"least": MIN_K, "most": MAX_K})]
    return []


def _role_problems(name: str) -> list[Problem]:
    if not name:
        return [Problem(Rule.ROLE_MISSING)]
    problems = []
    if len(name) > MAX_ROLE:
        problems.append(Problem(Rule.ROLE_TOO_LONG, {"role": name, "length": len(name), "most": MAX_ROLE}))
    if _UNSTORABLE.search(name):
        problems.append(Problem(Rule.ROLE_CONTROL))
    return problems


def _role_key(name: str) -> str:
    # Roles a participant could not tell apart on a phone are the same role: any case, and
    # compatibility forms (a full-width "Ｍ") folded into the plain letter.
    return unicodedata.normalize("NFKC", name).casefold()


# --- storage's side: the value as stored, or an error ---------------------------------------


def checked_title(title: object) -> str:
    if not isinstance(title, str):
        raise ValueError(f"title must be text, not {type(title).__name__}")
    _refuse(title_problems(title))
    return title.strip()


def checked_organisation(organisation: object) -> str | None:
    if organisation is None:
        return None
    if not isinstance(organisation, str):
        raise ValueError(f"organisation must be text, not {type(organisation).__name__}")
    _refuse(organisation_problems(organisation))
    # A blank text field means "no name", which is stored as NULL rather than as "".
    return organisation.strip() or None


def checked_roles(roles: object) -> tuple[str, ...]:
    # A string is iterable too, and would become one role per letter.
    if isinstance(roles, str | bytes | Mapping) or not isinstance(roles, Iterable):
        raise ValueError(f"roles must be a list of names, not {roles!r}")
    names = tuple(roles)
    for role in names:
        if not isinstance(role, str):
            raise ValueError(f"a role must be text, not {type(role).__name__}")
    _refuse(roles_problems(names))
    return tuple(role.strip() for role in names)


def checked_role(role: object) -> str:
    """One role as a participant chose it (``join_workshop`` then looks it up in the workshop's)."""
    if not isinstance(role, str):
        raise ValueError(f"a role must be text, not {type(role).__name__}")
    _refuse(_role_problems(role.strip()))
    return role.strip()


def checked_k(k: object) -> int:
    if isinstance(k, int) and not k_problems(k):
        return k
    raise InvalidInput(k_problems(k))


def checked_item_id(item_id: object) -> str:
    return _checked_key(item_id, "item id", MAX_ITEM_ID)


def checked_answer(item_id: str, value: object) -> Answer:
    if value == "na":
        return "na"
    if value == "dk":
        return "dk"
    # bool is an int to Python, but True is no point on a scale: it is a caller's mistake.
    if isinstance(value, int) and not isinstance(value, bool) and INT_MIN <= value <= INT_MAX:
        return value
    raise ValueError(f"{item_id}: an answer is a whole number, 'na' or 'dk', not {value!r}")


def checked_page(page: object) -> int:
    if isinstance(page, bool) or not isinstance(page, int) or not 0 <= page <= INT_MAX:
        raise ValueError(f"page must be a whole number from 0, not {page!r}")
    return page


def checked_mode(mode: object) -> Mode:
    if mode == "quick":
        return "quick"
    if mode == "full":
        return "full"
    raise ValueError(f"mode must be 'quick' or 'full', not {mode!r}")


def checked_bank_versions(bank_versions: object) -> dict[str, str]:
    if not isinstance(bank_versions, Mapping):
        raise ValueError(f"bank_versions must be a mapping of bank id to version, not {bank_versions!r}")
    return {_checked_key(bank, "bank id"): _checked_key(v, f"version of {bank}") for bank, v in bank_versions.items()}


def checked_profile(profile: object) -> dict[str, str]:
    if not isinstance(profile, Mapping):
        raise ValueError(f"profile must be a mapping of profile question to option, not {profile!r}")
    return {
        _checked_key(key, "profile question"): _checked_key(value, f"answer to {key}") for key, value in profile.items()
    }


def checked_targets(targets: object) -> dict[str, float]:
    if not isinstance(targets, Mapping):
        raise ValueError(f"targets must be a mapping of dimension id to 0..100, not {targets!r}")
    checked: dict[str, float] = {}
    for dimension, target in targets.items():
        key = _checked_key(dimension, "dimension id")
        ok = isinstance(target, int | float) and not isinstance(target, bool) and math.isfinite(target)
        if not ok or not 0 <= target <= 100:
            raise ValueError(f"target for {key} must be a number from 0 to 100, not {target!r}")
        checked[key] = float(target)
    return checked


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems)


def _checked_key(key: object, what: str, most: int = MAX_KEY) -> str:
    if not isinstance(key, str) or not 1 <= len(key) <= most or _UNSTORABLE.search(key):
        raise ValueError(f"{what} must be text of 1 to {most} characters without control characters, not {key!r}")
    return key
