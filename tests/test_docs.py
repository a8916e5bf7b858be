"""The README says what the code does: commands, options, counts, set-up scripts."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from cli.main import build_parser
from deploy.launcher import build_parser as build_launcher_parser
from questions.library import Library

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_documented() -> None:
    for name, sub in _subcommands().items():
        assert f"`{name}" in README, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"{name} {option}"
    assert "--questions DIR" in README


def test_exit_codes_are_documented() -> None:
    for code in ("`0` success", "`1` the banks are invalid", "`2` bad input"):
        assert code in README


def test_bank_table_matches_the_shipped_banks(shipped: Library) -> None:
    for bank in shipped.banks:
        items = [i for d in bank.dimensions for i in d.items]
        row = f"| {len(bank.dimensions)} | {len(items)} | {sum(i.core for i in items)} |"
        line = next(line for line in README.splitlines() if line.startswith(f"| {bank.title}"))
        assert line.endswith(row), (bank.id, line)
    assert f"({len(shipped.items)} questions; a {shipped.count('quick')}-question quick scan)" in README


def test_the_two_setup_commands_exist_and_ci_calls_the_test_one() -> None:
    commands = re.findall(r"^bash (scripts/\w+)", README, flags=re.MULTILINE)
    assert commands[:2] == ["scripts/run", "scripts/test"]  # the quick start
    assert commands[2:] == ["scripts/serve"]  # Deployment
    assert all((ROOT / command).is_file() for command in commands)
    assert "exec bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_option_of_the_launcher_is_documented() -> None:
    deployment = README[README.index("## Deployment") : README.index("## The command line")]
    for action in build_launcher_parser()._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert f"| `{option} " in deployment, option
