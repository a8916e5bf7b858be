"""Load and validate the question files into a :class:`~questions.library.Library`.

Every problem in every file is collected and reported at once as ``file:line: field:
reason``. A bank with problems is left out and the others still load; only a broken
``framework.yaml`` or ``scales.yaml`` leaves no library at all, since nothing can be scored
without them.
"""

from __future__ import annotations

import glob
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from questions.checks import Finding, check_bank, check_crossmap, check_framework, check_sources
from questions.library import Library
from questions.model import (
    Bank,
    CrossMap,
    Framework,
    FrameworkTranslation,
    Scale,
    ScalesFile,
    ScalesTranslation,
    SourceInfo,
    SourcesFile,
    Translation,
)
from questions.translate import (
    check_framework_translation,
    check_scales_translation,
    check_translation,
    translate_library,
)
from questions.untrusted import UnreadableFile, read_limited
from questions.yamlsafe import MAX_BYTES, YamlDocument, read_yaml

DEFAULT_ROOT = Path(__file__).resolve().parent

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One problem, pointing at a line of a file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass
class LoadResult:
    """The library built from every valid bank, and every problem found."""

    library: Library | None
    problems: list[Problem] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    languages: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def display_path(path: Path) -> str:
    """A path as people should see it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class _Parsed(typing.Generic[M]):
    path: Path
    doc: YamlDocument
    model: M | None
    problems: list[Problem]

    def problem(self, finding: Finding) -> Problem:
        return Problem(display_path(self.path), self.doc.line_of(finding.path), finding.field, finding.message)


def _parse(path: Path, model: type[M]) -> _Parsed[M]:
    shown = display_path(path)
    try:
        raw = read_limited(path, MAX_BYTES)
    except UnreadableFile as exc:
        return _Parsed(path, YamlDocument(None), None, [Problem(shown, 1, "file", str(exc))])
    doc = read_yaml(raw)
    problems = [Problem(shown, p.line, "yaml", p.message) for p in doc.problems]
    if doc.data is None and not doc.problems:
        problems.append(Problem(shown, 1, "file", "is empty"))
    if doc.data is None:
        return _Parsed(path, doc, None, problems)
    try:
        instance = model.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            problems.append(Problem(shown, doc.line_of(loc), _field_name(doc.data, loc), _message(model, loc, error)))
        return _Parsed(path, doc, None, problems)
    return _Parsed(path, doc, None if problems else instance, problems)


def _field_name(data: Any, loc: tuple[Any, ...]) -> str:
    """Name a location by the nearest id above it: ``S03-anyone-who-pays.scale``."""
    name = ""
    node = data
    for part in loc:
        inside_dict = isinstance(node, dict) and part in node
        inside_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        node = node[part] if inside_dict or inside_list else None
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            name = node["id"]
            continue
        name = f"{name}[{part}]" if isinstance(part, int) else (f"{name}.{part}" if name else str(part))
    return name or "file"


def _message(model: type[BaseModel], loc: tuple[Any, ...], error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        return "unknown field" + (f"; allowed: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "missing (required)"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message[0].lower() + message[1:] if message else message


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The fields a model allows at ``loc`` (for 'unknown field' messages)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = current.model_fields
            if "root" in fields and len(fields) == 1:
                current = _unwrap(fields["root"].annotation)
            else:
                if part not in fields:
                    return []
                current = fields[part].annotation
                continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin is list and args:
            current = args[0]
        elif origin is dict and len(args) == 2:
            current = args[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the model or container inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = options[0]
        else:
            return annotation


def load_library(
    root: Path = DEFAULT_ROOT,
    extra_banks: Sequence[Path] = (),
    language: str | None = None,
    *,
    only_language: bool = False,
) -> LoadResult:
    """Load ``root`` (framework, scales, cross-map, ``banks/*.yaml``) plus any extra bank files.

    An extra bank that is one of the root's own files is not read twice. Every translation in
    ``translations/`` is validated; with ``language`` the library carries that translation.
    ``only_language``: read and validate that language's translations alone (none for English),
    as the app does for each language it serves: parsing the YAML of every language is most of a
    load, and the command line and the tests validate them all.
    """
    problems: list[Problem] = []
    framework = _parse(root / "framework.yaml", Framework)
    scales = _parse(root / "scales.yaml", ScalesFile)
    crossmap = _parse(root / "crossmap.yaml", CrossMap)
    sources = _parse(root / "sources.yaml", SourcesFile)
    problems += framework.problems + scales.problems + crossmap.problems + sources.problems
    source_map: dict[str, SourceInfo] = dict(sources.model.root) if sources.model else {}
    if framework.model is not None:
        problems += [framework.problem(f) for f in check_framework(framework.model)]

    bank_paths = sorted((root / "banks").glob("*.yaml"))
    known = {path.resolve() for path in bank_paths}
    bank_paths += [path for path in extra_banks if path.resolve() not in known]
    scale_map: dict[str, Scale] = dict(scales.model.root) if scales.model else {}
    parsed_banks = [_parse(path, Bank) for path in bank_paths]

    valid: list[_Parsed[Bank]] = []
    left_out: list[str] = []
    for parsed in parsed_banks:
        problems += parsed.problems
        if parsed.model is None:
            left_out.append(display_path(parsed.path))
            continue
        findings = (
            check_bank(
                parsed.model,
                scale_map,
                framework.model.profile if framework.model else [],
                framework.model.min_answers_for_stage if framework.model else 1,
            )
            if scale_map
            else []
        )
        findings += check_sources(parsed.model, source_map) if source_map else []
        if findings:
            problems += [parsed.problem(f) for f in findings]
            left_out.append(display_path(parsed.path))
            continue
        valid.append(parsed)

    order = framework.model.bank_order if framework.model else []
    # Framework order first; at equal rank the root's own banks come before extra files, so
    # a clash is reported against the file that was added.
    extra_paths = {path.resolve() for path in extra_banks}
    valid.sort(
        key=lambda p: (
            order.index(p.model.id) if p.model and p.model.id in order else len(order),
            p.path.resolve() in extra_paths,
            str(p.path),
        )
    )
    banks = _unique_banks(valid, problems, left_out)
    _check_pairs(banks, problems, left_out)
    loaded = [parsed.model for parsed in banks if parsed.model is not None]

    if framework.model is None or scales.model is None:
        return LoadResult(None, problems, left_out)

    kinds = {d.id: bank.kind for bank in loaded for d in bank.dimensions}
    unloaded_ids = _ids_in_unloaded(parsed_banks, {b.id for b in loaded})
    # A bank that could not even be read may hold any id: references to it cannot be judged.
    all_read = all(parsed.doc.data is not None for parsed in parsed_banks)
    undermines: dict[str, tuple[str, ...]] = {}
    if crossmap.model is not None and all_read:
        problems += [crossmap.problem(f) for f in check_crossmap(crossmap.model, kinds, unloaded_ids)]
    if crossmap.model is not None:
        for blocker, targets in crossmap.model.undermines.items():
            kept = tuple(t for t in targets if kinds.get(t) == "evidence")
            if kinds.get(blocker) == "blocker" and kept:
                undermines[blocker] = kept
    for bank_id in framework.model.index.weights:
        if all_read and bank_id not in _bank_ids(parsed_banks):
            problems.append(
                framework.problem(Finding(("index", "weights", bank_id), f"index.weights.{bank_id}", "no such bank"))
            )

    library = Library(framework.model, scale_map, tuple(loaded), undermines, source_map)
    translations = _load_translations(
        root,
        loaded,
        _bank_ids(parsed_banks) if all_read else None,
        problems,
        scale_map,
        framework.model,
        only=(language or "en") if only_language else None,
    )
    if language in translations:
        pack = translations[language]
        library = translate_library(library, pack.banks, pack.scales, pack.framework)
    quick = library.count("quick")
    limits = framework.model.quick_scan
    if loaded and not limits.min_items <= quick <= limits.max_items:
        problems.append(
            framework.problem(
                Finding(
                    ("quick_scan",),
                    "quick_scan",
                    f"the core items make a quick scan of {quick} items;"
                    f" allowed {limits.min_items} to {limits.max_items}",
                )
            )
        )
    return LoadResult(library, problems, left_out, tuple(sorted(translations)))


@dataclass
class LanguagePack:
    """One language's translation files: its banks, and the scales' and framework's own files."""

    banks: dict[str, Translation] = field(default_factory=dict)
    scales: ScalesTranslation | None = None
    framework: FrameworkTranslation | None = None


def _checked(
    path: Path, model: type[M], check: Callable[[M, T], list[Finding]], against: T | None, problems: list[Problem]
) -> M | None:
    """A translation file parsed and checked against what it translates; ``None`` (its problems
    recorded) when it cannot be used, or when what it translates could not be read."""
    parsed = _parse(path, model)
    problems += parsed.problems
    if parsed.model is None or against is None:
        return None
    findings = check(parsed.model, against)
    problems += [parsed.problem(f) for f in findings]
    return None if findings else parsed.model


def _load_translations(
    root: Path,
    banks: list[Bank],
    named: set[str] | None,
    problems: list[Problem],
    scales: dict[str, Scale] | None = None,
    framework: Framework | None = None,
    only: str | None = None,
) -> dict[str, LanguagePack]:
    """language -> its translations, for every valid file under ``translations/``.

    ``translations/LANG/scales.yaml`` and ``framework.yaml`` translate those files; every other
    file a bank of that name. ``named`` holds the ids of every bank file that could be read;
    ``None`` when some could not, so a translation of an unreadable bank is not reported as
    translating nothing.
    """
    by_id = {bank.id: bank for bank in banks}
    packs: dict[str, LanguagePack] = {}
    pattern = "*/*.yaml" if only is None else f"{glob.escape(only)}/*.yaml"
    for path in sorted((root / "translations").glob(pattern)):
        language, name = path.parent.name, path.stem
        pack = packs.setdefault(language, LanguagePack())
        if name == "scales":
            pack.scales = _checked(path, ScalesTranslation, check_scales_translation, scales, problems)
            continue
        if name == "framework":
            pack.framework = _checked(path, FrameworkTranslation, check_framework_translation, framework, problems)
            continue
        parsed = _parse(path, Translation)
        problems += parsed.problems
        if name not in by_id:
            if named is not None and name not in named:
                problems.append(parsed.problem(Finding((), "file", f"no bank '{name}' to translate")))
            continue
        if parsed.model is None:
            continue
        findings = check_translation(parsed.model, by_id[name])
        problems += [parsed.problem(f) for f in findings]
        if not findings:
            pack.banks[name] = parsed.model
    return packs


def _unique_banks(valid: list[_Parsed[Bank]], problems: list[Problem], left_out: list[str]) -> list[_Parsed[Bank]]:
    """Keep banks whose ids do not clash with a bank kept before them."""
    owners: dict[str, str] = {}
    kept: list[_Parsed[Bank]] = []
    for parsed in valid:
        bank = parsed.model
        assert bank is not None
        clashes: list[Finding] = []
        if bank.id in owners:
            clashes.append(Finding(("id",), "id", f"bank id '{bank.id}' is already used by {owners[bank.id]}"))
        for d_pos, dimension in enumerate(bank.dimensions):
            if dimension.id in owners:
                clashes.append(
                    Finding(("dimensions", d_pos, "id"), dimension.id, f"id already used in {owners[dimension.id]}")
                )
            for i_pos, item in enumerate(dimension.items):
                if item.id in owners:
                    clashes.append(
                        Finding(
                            ("dimensions", d_pos, "items", i_pos, "id"),
                            item.id,
                            f"id already used in {owners[item.id]}",
                        )
                    )
        for r_pos, retired in enumerate(bank.retired):
            if retired.id in owners:
                clashes.append(
                    Finding(("retired", r_pos, "id"), retired.id, f"id already used in {owners[retired.id]}")
                )
        if clashes:
            problems += [parsed.problem(f) for f in clashes]
            left_out.append(display_path(parsed.path))
            continue
        shown = display_path(parsed.path)
        owners[bank.id] = shown
        for dimension in bank.dimensions:
            owners[dimension.id] = shown
            for item in dimension.items:
                owners[item.id] = shown
        for retired in bank.retired:
            owners[retired.id] = shown
        kept.append(parsed)
    return kept


def _check_pairs(banks: list[_Parsed[Bank]], problems: list[Problem], left_out: list[str]) -> None:
    item_ids = {i.id for p in banks if p.model for d in p.model.dimensions for i in d.items}
    for parsed in list(banks):
        assert parsed.model is not None
        findings = [
            Finding(("dimensions", d_pos, "items", i_pos, "pair"), f"{item.id}.pair", f"unknown item '{item.pair}'")
            for d_pos, dimension in enumerate(parsed.model.dimensions)
            for i_pos, item in enumerate(dimension.items)
            if item.pair is not None and item.pair not in item_ids
        ]
        if findings:
            problems += [parsed.problem(f) for f in findings]
            left_out.append(display_path(parsed.path))
            banks.remove(parsed)


def _bank_ids(parsed_banks: Iterable[_Parsed[Bank]]) -> set[str]:
    """Ids of every bank file that got as far as naming itself, valid or not."""
    return {
        p.doc.data["id"] for p in parsed_banks if isinstance(p.doc.data, dict) and isinstance(p.doc.data.get("id"), str)
    }


def _ids_in_unloaded(parsed_banks: Iterable[_Parsed[Bank]], loaded: set[str]) -> set[str]:
    """Dimension ids written in banks that were left out (best effort on raw data)."""
    ids: set[str] = set()
    for parsed in parsed_banks:
        data = parsed.doc.data
        if not isinstance(data, dict) or data.get("id") in loaded:
            continue
        for dimension in data.get("dimensions") or []:
            if isinstance(dimension, dict) and isinstance(dimension.get("id"), str):
                ids.add(dimension["id"])
    return ids
