"""Describe the banks (for people and for machines) and write answers templates."""

from __future__ import annotations

from typing import Any

from i18n import t
from questions.library import ItemRef, Library, Mode, option_labels
from questions.model import Bank


def _banks(library: Library, bank_id: str | None) -> list[Bank]:
    return [bank for bank in library.banks if bank_id is None or bank.id == bank_id]


def describe_json(library: Library, bank_id: str | None = None) -> dict[str, Any]:
    """Banks -> dimensions -> items, with each item's allowed values and keying."""
    return {
        "banks": [
            {
                "id": bank.id,
                "version": bank.version,
                "title": bank.title,
                "kind": bank.kind,
                "stages": [{"level": s.level, "name": s.name, "min": s.min} for s in library.stages_of(bank)],
                "dimensions": [
                    {
                        "id": dimension.id,
                        "title": dimension.title,
                        "tier": dimension.tier,
                        "kpi": dimension.kpi,
                        "items": [_describe_item(library.items[item.id]) for item in dimension.items],
                    }
                    for dimension in bank.dimensions
                ],
            }
            for bank in _banks(library, bank_id)
        ]
    }


def _describe_item(ref: ItemRef) -> dict[str, Any]:
    item = ref.item
    return {
        "id": item.id,
        "text": item.text,
        "scale": item.scale,
        "values": [value for value, _ in option_labels(ref)],
        "options": [{"value": value, "label": label} for value, label in option_labels(ref)],
        "also_allowed": ["na", "dk"],
        "reverse": item.reverse,
        "weight": ref.weight,
        "kind": item.kind,
        "applies_when": item.applies_when,
        "core": item.core,
        "source": item.source,
    }


def describe_text(library: Library, bank_id: str | None = None) -> str:
    lines: list[str] = []
    for bank in _banks(library, bank_id):
        items = sum(len(d.items) for d in bank.dimensions)
        core = sum(1 for d in bank.dimensions for i in d.items if i.core)
        lines.append(
            f"{bank.title} [{bank.id} {bank.version}, {bank.kind}]:"
            f" {len(bank.dimensions)} dimensions, {items} items ({core} core)"
        )
        for dimension in bank.dimensions:
            lines.append(f"  {dimension.id}  {dimension.title}")
            for item in dimension.items:
                ref = library.items[item.id]
                marks = "".join(
                    mark
                    for mark, on in (
                        ("core ", item.core),
                        ("reverse ", item.reverse),
                        (f"×{ref.weight:g} ", ref.weight != 1),
                    )
                    if on
                )
                lines.append(f"    {item.id}  [{item.scale} {ref.scale.lowest}-{ref.scale.highest}] {marks}")
                lines.append(f"      {item.text}")
        lines.append("")
    return "\n".join(lines)


def template_yaml(library: Library, mode: Mode, bank_id: str | None = None, lang: str = "en") -> str:
    """An answers file listing every asked item with its question and allowed values as comments,
    all worded in ``lang`` (the library's texts are in it already; the file's own lines too)."""
    refs = [ref for ref in library.asked(mode) if bank_id is None or ref.bank.id == bank_id]
    heading = t(f"cli.template_title_{mode}", count=len(refs), language=lang)
    how = t("cli.template_how", command="python -m scoring score THIS_FILE", language=lang)
    lines = [f"# {line}" for line in (heading, *how.splitlines())]
    current_bank = current_dimension = None
    for ref in refs:
        if ref.bank.id != current_bank:
            current_bank = ref.bank.id
            lines += ["", f"# ===== {ref.bank.title} ====="]
        if ref.dimension.id != current_dimension:
            current_dimension = ref.dimension.id
            lines += ["", f"# --- {ref.dimension.title} ---"]
        lines.append(f"# {ref.item.text}")
        for value, label in option_labels(ref):
            lines.append(f"#   {value} = {label}")
        lines.append(f"{ref.item.id}:")
    return "\n".join(lines) + "\n"
