"""``python -m scoring``: validate, describe, template, score and report from the command line.

This entry point is the one module of ``scoring`` allowed to call ``reports`` (for the
``report`` command); the engine itself never touches PDF code.

Exit codes: 0 success; 1 the banks are invalid (one ``file:line: field: reason`` line per
problem); 2 bad input (unknown item, value outside its scale, unreadable file), with a message
naming the item and the problem. Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from cli.describe import describe_json, describe_text, template_yaml
from cli.textreport import result_text
from questions.library import MODES, Library
from questions.loader import DEFAULT_ROOT, LoadResult, load_library
from questions.untrusted import UnreadableFile, one_line, read_limited
from scoring.answers import AnswersError, AnswersFile, read_answers_file
from scoring.engine import score
from scoring.results import Result

EXIT_OK, EXIT_INVALID_BANKS, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Input the user can fix; the message says how."""


LANG_HELP = "the language of the texts: en (default), or a language whose translation is installed"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scoring",
        description="Outside-In: validate question banks, describe them, make an answers template, score answers.",
    )
    parser.add_argument(
        "--questions",
        type=Path,
        default=DEFAULT_ROOT,
        metavar="DIR",
        help="use the banks in this folder (laid out like questions/) instead of the shipped ones",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="validate banks (default: the shipped ones)")
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="a bank file, or a folder laid out like questions/"
    )

    describe = commands.add_parser("describe", help="the banks' dimensions and items, with allowed values")
    describe.add_argument("--bank", metavar="ID", help="only this bank")
    describe.add_argument("--format", choices=("text", "json"), default="text")
    describe.add_argument("--lang", metavar="CODE", default="en", help=LANG_HELP)

    template = commands.add_parser("template", help="an answers file (YAML) to fill in")
    template.add_argument("--bank", metavar="ID", help="only this bank")
    template.add_argument("--mode", choices=MODES, default="full", help="quick scan (core items) or full (default)")
    template.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of to standard output")
    template.add_argument("--lang", metavar="CODE", default="en", help=LANG_HELP)

    score_cmd = commands.add_parser("score", help="score an answers file (JSON or YAML)")
    score_cmd.add_argument("answers", type=Path, metavar="ANSWERS")
    score_cmd.add_argument("--format", choices=("text", "json"), default="text")
    score_cmd.add_argument("--target", type=float, metavar="N", help="one target (0-100) for every dimension")
    score_cmd.add_argument("--mode", choices=MODES, help="default: quick when only core items are answered, else full")
    score_cmd.add_argument("--lang", metavar="CODE", default="en", help=LANG_HELP)

    report = commands.add_parser("report", help="write the executive PDF report for an answers file")
    report.add_argument("answers", type=Path, metavar="ANSWERS")
    report.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", required=True, help="where to write the PDF")
    report.add_argument("--org", metavar="NAME", help="the organisation's name (default: the one in the answers file)")
    report.add_argument("--lang", metavar="CODE", default="en", help=LANG_HELP)
    report.add_argument("--consultant", metavar="NAME", help="a consultant or facilitator named on the cover")
    report.add_argument("--logo", type=Path, metavar="FILE", help="a PNG or JPEG logo (at most 2 MB) for the cover")
    report.add_argument("--target", type=float, metavar="N", help="one target (0-100) for every dimension")
    report.add_argument("--mode", choices=MODES, help="default: quick when only core items are answered, else full")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has already printed its usage message
        return EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT
    try:
        if args.command == "validate":
            return _validate(args.questions, args.paths, out, err)
        if not args.questions.is_dir():
            raise BadInput(f"--questions {args.questions}: no such folder")
        loaded = load_library(args.questions, language=getattr(args, "lang", None))
        if not loaded.ok or loaded.library is None:
            _print_problems(loaded, err)
            return EXIT_INVALID_BANKS
        available = ("en", *loaded.languages)
        if getattr(args, "lang", "en") not in available:
            raise BadInput(f"--lang {args.lang}: no translation yet; available: {', '.join(available)}")
        library = loaded.library
        if args.command == "describe":
            _check_bank(library, args.bank)
            if args.format == "json":
                out.write(json.dumps(describe_json(library, args.bank), indent=2, ensure_ascii=False) + "\n")
            else:
                out.write(describe_text(library, args.bank))
            return EXIT_OK
        if args.command == "template":
            _check_bank(library, args.bank)
            text = template_yaml(library, args.mode, args.bank, args.lang)
            if args.output:
                _write(args.output, text)
            else:
                out.write(text)
            return EXIT_OK
        if args.command == "report":
            return _report(library, loaded.languages, args, out)
        return _score(library, args, out)
    except (BadInput, AnswersError) as exc:
        problems = exc.problems if isinstance(exc, AnswersError) else [str(exc)]
        for problem in problems:
            err.write(f"error: {one_line(problem)}\n")  # a path may hold a newline or a terminal escape
        return EXIT_BAD_INPUT


def _validate(root: Path, paths: list[Path], out: TextIO, err: TextIO) -> int:
    extra = []
    for path in paths:
        if path.is_dir():
            root = path
        elif path.exists():
            extra.append(path)  # the loader refuses what is not a regular file, as a problem of that bank
        else:
            raise BadInput(f"{path}: no such file or folder")
    loaded = load_library(root, extra)
    if not loaded.ok:
        _print_problems(loaded, err)
        return EXIT_INVALID_BANKS
    assert loaded.library is not None
    library = loaded.library
    banks = ", ".join(f"{b.id} {b.version}" for b in library.banks)
    out.write(
        f"ok: {len(library.banks)} banks ({banks}), {len(library.dimensions)} dimensions,"
        f" {len(library.items)} items, quick scan {library.count('quick')} items\n"
    )
    return EXIT_OK


def _print_problems(loaded: LoadResult, err: TextIO) -> None:
    for problem in loaded.problems:
        err.write(f"{one_line(str(problem))}\n")
    count = len(loaded.problems)
    err.write(f"{count} problem{'s' if count != 1 else ''} found")
    if loaded.left_out:
        err.write(f"; left out: {', '.join(loaded.left_out)}")
    err.write("\n")


def _check_bank(library: Library, bank_id: str | None) -> None:
    if bank_id is not None and not library.has_bank(bank_id):
        known = ", ".join(bank.id for bank in library.banks)
        raise BadInput(f"unknown bank '{bank_id}'; known: {known}")


def _scored(library: Library, args: argparse.Namespace) -> tuple[AnswersFile, Result]:
    if args.target is not None and not 0 <= args.target <= 100:
        raise BadInput(f"--target must be from 0 to 100, not {args.target:g}")
    answers_file = read_answers_file(library, args.answers)
    targets: dict[str, float] | float | None = answers_file.targets or None
    if args.target is not None:
        targets = args.target
    mode = args.mode or answers_file.mode
    return answers_file, score(library, answers_file.answers, mode, targets, answers_file.profile)


def _score(library: Library, args: argparse.Namespace, out: TextIO) -> int:
    answers_file, result = _scored(library, args)
    if args.format == "json":
        out.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(result_text(library, result, answers_file.answers, args.lang))
    return EXIT_OK


def _report(library: Library, languages: tuple[str, ...], args: argparse.Namespace, out: TextIO) -> int:
    from reports.executive import ReportMeta, executive_report
    from reports.images import MAX_LOGO_BYTES, LogoError, check_logo

    available = ("en", *languages)
    if args.lang not in available:
        raise BadInput(f"--lang {args.lang}: no translation yet; available: {', '.join(available)}")
    logo = None
    if args.logo is not None:
        try:
            logo = check_logo(read_limited(args.logo, MAX_LOGO_BYTES))
        except (UnreadableFile, LogoError) as exc:
            raise BadInput(f"{args.logo}: {exc}") from None
    answers_file, result = _scored(library, args)
    meta = ReportMeta(
        organisation=(args.org or answers_file.organisation or "").strip() or None,
        created=date.today(),
        mode=result.mode,
        consultant=(args.consultant or "").strip() or None,
        logo=logo,
        language=args.lang,
    )
    data = executive_report(library, result, dict(answers_file.answers), meta)
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise BadInput(f"{args.output}: cannot be written ({exc.strerror})") from None
    out.write(f"wrote {args.output} ({len(data) / 1024:.0f} KB)\n")
    return EXIT_OK


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{path}: cannot be written ({exc.strerror})") from None
