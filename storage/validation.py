"""The rules every value must meet before storage writes it, in one place.

Each ``checked_*`` function returns the value as it is stored (trimmed, say) or raises
``ValueError`` naming the value and the rule, before any database is touched.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

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


def checked_item_id(item_id: object) -> str:
    if not isinstance(item_id, str) or not 1 <= len(item_id) <= MAX_ITEM_ID:
        raise ValueError(f"item id must be text of 1 to {MAX_ITEM_ID} characters, not {item_id!r}")
    return item_id


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


def checked_organisation(organisation: object) -> str | None:
    if organisation is None:
        return None
    if not isinstance(organisation, str):
        raise ValueError(f"organisation must be text, not {type(organisation).__name__}")
    # A blank text field means "no name", which is stored as NULL rather than as "".
    name = organisation.strip()
    if len(name) > MAX_ORGANISATION:
        raise ValueError(f"organisation name is {len(name)} characters; at most {MAX_ORGANISATION} are allowed")
    return name or None


def checked_bank_versions(bank_versions: object) -> dict[str, str]:
    if not isinstance(bank_versions, Mapping):
        raise ValueError(f"bank_versions must be a mapping of bank id to version, not {bank_versions!r}")
    checked: dict[str, str] = {}
    for bank, version in bank_versions.items():
        checked[_checked_key(bank, "bank id")] = _checked_key(version, f"version of {bank}")
    return checked


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


def checked_title(title: object) -> str:
    if not isinstance(title, str):
        raise ValueError(f"title must be text, not {type(title).__name__}")
    name = title.strip()
    if not 1 <= len(name) <= MAX_TITLE:
        raise ValueError(f"title must be 1 to {MAX_TITLE} characters, not {len(name)}")
    return name


def checked_role(role: object) -> str:
    if not isinstance(role, str):
        raise ValueError(f"a role must be text, not {type(role).__name__}")
    name = role.strip()
    if not 1 <= len(name) <= MAX_ROLE:
        raise ValueError(f"a role must be 1 to {MAX_ROLE} characters, not {role!r}")
    return name


def checked_roles(roles: object) -> tuple[str, ...]:
    # A string is iterable too, and would become one role per letter.
    if isinstance(roles, str | bytes | Mapping) or not isinstance(roles, Iterable):
        raise ValueError(f"roles must be a list of names, not {roles!r}")
    names = tuple(checked_role(role) for role in roles)
    if not 1 <= len(names) <= MAX_ROLES:
        raise ValueError(f"a workshop has 1 to {MAX_ROLES} roles, not {len(names)}")
    folded = [name.casefold() for name in names]
    if len(set(folded)) != len(folded):
        raise ValueError(f"roles must differ from one another: {list(names)}")
    return names


def checked_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not MIN_K <= k <= MAX_K:
        raise ValueError(f"k must be a whole number from {MIN_K} to {MAX_K}, not {k!r}")
    return k


def _checked_key(key: object, what: str) -> str:
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
        raise ValueError(f"{what} must be text of 1 to {MAX_KEY} characters, not {key!r}")
    return key
