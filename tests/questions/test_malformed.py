"""A corpus of malformed banks: each must be rejected at the right file and line.

Every case copies the tiny fixture library, applies text substitutions to one file, and marks
the line where the problem must be reported with ``#!``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from questions.loader import load_library

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
CORE = "banks/core.yaml"

# (case id, file, [(old, new), ...], expected message fragment)
CASES: list[tuple[str, str, list[tuple[str, str]], str]] = [
    (
        "unknown-scale",
        CORE,
        [("scale: agree5\n        core: true", "scale: likert7 #!\n        core: true")],
        "unknown scale 'likert7'; known: agree5",
    ),
    (
        "unknown-item-field",
        CORE,
        [("text: We do the plain thing.", "text: We do the plain thing.\n        colour: red #!")],
        "unknown field; allowed: id, text",
    ),
    (
        "unknown-dimension-field",
        CORE,
        [("why: Alpha matters.", "why: Alpha matters.\n    colour: red #!")],
        "unknown field; allowed: id, title",
    ),
    (
        "unknown-top-field",
        CORE,
        [("kind: evidence", "kind: evidence\nowner: me #!")],
        "unknown field; allowed: id, version",
    ),
    (
        "duplicate-key",
        CORE,
        [("text: We do the plain thing.", "text: We do the plain thing.\n        text: Again. #!")],
        "duplicate key 'text'",
    ),
    (
        "anchor",
        CORE,
        [("description: A tiny evidence bank for tests.", "description: &d A tiny bank. #!")],
        "anchors (&d)",
    ),
    (
        "yes-is-not-a-boolean",
        CORE,
        [
            (
                'core: true\n        source: "003"\n        benchmark',
                'core: yes #!\n        source: "003"\n        benchmark',
            )
        ],
        "must be true or false",
    ),
    (
        "on-is-not-a-boolean",
        CORE,
        [("reverse: true\n        pair", "reverse: on #!\n        pair")],
        "must be true or false",
    ),
    (
        "missing-text",
        CORE,
        [("      - id: A01-plain\n        text: We do the plain thing.\n", "      - id: A01-plain #!\n")],
        "A01-plain.text: missing",
    ),
    ("bad-item-id", CORE, [("id: A01-plain", "id: A01_Plain #!")], "should match pattern"),
    ("item-id-prefix", CORE, [("id: A01-reversed", "id: A02-reversed #!")], "start with 'A01-'"),
    (
        "duplicate-item-id",
        CORE,
        [("      - id: A01-reversed", "      - id: A01-plain #!")],
        "id used twice in this bank",
    ),
    ("negative-weight", CORE, [("        weight: 2\n", "        weight: -1 #!\n")], "greater than 0"),
    ("weight-not-a-number", CORE, [("        weight: 2\n", "        weight: heavy #!\n")], "valid number"),
    (
        "dimension-weight-is-gone",
        CORE,
        [('    source: "003"\n    items:', '    weight: 2 #!\n    source: "003"\n    items:')],
        "unknown field",
    ),
    (
        "kpi-missing",
        CORE,
        [("    kpi: A01 indicator, %\n", ""), ("  - id: A01-alpha\n", "  - id: A01-alpha #!\n")],
        "A01-alpha.kpi: missing",
    ),
    (
        "action-addresses-another-dimension",
        CORE,
        [("Do the 30-day step., addresses: [A01-plain]}", "Do the 30-day step., addresses: [A02-agree]} #!")],
        "'A02-agree' is not an item of A01-alpha",
    ),
    (
        "action-addresses-nothing",
        CORE,
        [("Do the 30-day step., addresses: [A01-plain]}", "Do the 30-day step., addresses: []} #!")],
        "at least 1 item",
    ),
    (
        "retired-id-reused",
        CORE,
        [("dimensions:\n", 'retired: [{id: A01-plain, retired_in: "0.1", reason: Gone.}] #!\ndimensions:\n')],
        "a retired id is never used again",
    ),
    (
        "applies-when-unknown-question",
        CORE,
        [
            (
                "        reverse: true\n        pair",
                "        applies_when: {colour: [red]} #!\n        reverse: true\n        pair",
            )
        ],
        "unknown profile question",
    ),
    (
        "benchmark-without-kind",
        CORE,
        [('by: A survey, kind: survey, source: "003"}', 'by: A survey, source: "003"} #!')],
        "kind: missing",
    ),
    (
        "anchor-count",
        CORE,
        [("anchors: [Nothing, A little, Some, Most, All]", "anchors: [Nothing, Some] #!")],
        "2 anchors for 5 options",
    ),
    (
        "anchors-missing",
        CORE,
        [
            ("      - id: A01-anchored\n", "      - id: A01-anchored #!\n"),
            ("        anchors: [Nothing, A little, Some, Most, All]\n", ""),
        ],
        "needs 5 anchors",
    ),
    (
        "poles-on-agree-scale",
        CORE,
        [("text: We agree with beta.", "text: We agree with beta.\n        poles: {low: a, high: b} #!")],
        "only bipolar scales take poles",
    ),
    (
        "poles-missing",
        CORE,
        [
            ("      - id: A02-poles\n", "      - id: A02-poles #!\n"),
            ("        poles: {low: Our targets, high: The customer}\n", ""),
        ],
        "needs poles",
    ),
    (
        "anchors-on-agree-scale",
        CORE,
        [("text: We agree with beta.", "text: We agree with beta.\n        anchors: [a, b, c, d, e] #!")],
        "only anchored scales take anchors",
    ),
    ("unknown-pair", CORE, [("pair: A01-plain", "pair: A01-nothing #!")], "unknown item 'A01-nothing'"),
    ("pair-with-itself", CORE, [("pair: A01-plain", "pair: A01-reversed #!")], "paired with itself"),
    (
        "stage-given-twice",
        CORE,
        [("      - stage: 5\n        title: A01", "      - stage: 4 #!\n        title: A01")],
        "stage 4 given twice",
    ),
    (
        "actions-unsorted",
        CORE,
        [
            (
                "        actions:\n          - {days: 30, title: A01 step 1-30",
                "        actions: #!\n          - {days: 90, title: A01 step 1-30",
            )
        ],
        "sort the actions by days",
    ),
    (
        "days-not-allowed",
        CORE,
        [
            (
                "{days: 30, title: A01 step 1-30, detail: Do the 30-day step., addresses: [A01-plain]}",
                "{days: 45, title: A01 step 1-30, detail: Do the 30-day step., addresses: [A01-plain]} #!",
            )
        ],
        "input should be 30, 60 or 90",
    ),
    (
        "too-few-actions",
        CORE,
        [
            (
                "        actions:\n          - {days: 30, title: A01 step 1-30, detail: Do the 30-day step., "
                "addresses: [A01-plain]}\n",
                "        actions: #!\n",
            )
        ],
        "at least 3 items",
    ),
    (
        "stage-level-too-high",
        CORE,
        [
            (
                "{level: 5, name: Five, min: 80, meaning: Stage five.}",
                "{level: 6, name: Five, min: 80, meaning: Stage five.} #!",
            )
        ],
        "less than or equal to 5",
    ),
    (
        "stages-not-rising",
        CORE,
        [
            (
                "{level: 4, name: Four, min: 60, meaning: Stage four.}",
                "{level: 4, name: Four, min: 10, meaning: Stage four.} #!",
            )
        ],
        "must be above the previous stage",
    ),
    (
        "four-stages",
        CORE,
        [("stages:\n", "stages: #!\n"), ("  - {level: 5, name: Five, min: 80, meaning: Stage five.}\n", "")],
        "needs exactly 5 stages",
    ),
    (
        "evidence-missing",
        CORE,
        [("      - id: A01-plain\n", "      - id: A01-plain #!\n"), ("        evidence: A document.\n", "")],
        "A01-plain.evidence: missing",
    ),
    (
        "self-rating-in-evidence-bank",
        CORE,
        [("text: We agree with beta.", "text: We agree with beta.\n        kind: self_rating #!")],
        "belong in a perception bank",
    ),
    (
        "unknown-kind",
        CORE,
        [("kind: evidence", "kind: proof #!")],
        "input should be 'evidence', 'blocker' or 'perception'",
    ),
    (
        "unquoted-source",
        CORE,
        [
            (
                '    source: "003"\n    items:\n      - id: A01-plain',
                "    source: 3 #!\n    items:\n      - id: A01-plain",
            )
        ],
        "should match pattern",
    ),
    (
        "benchmark-without-text",
        CORE,
        [
            (
                'benchmark: {figure: "32%", text: Only 32% do the plain thing., by: A survey, kind: survey, '
                'source: "003"}',
                'benchmark: {figure: "32%", by: A survey, kind: survey, source: "003"} #!',
            )
        ],
        "text: missing",
    ),
    ("missing-version", CORE, [('id: core\nversion: "0.1"\n', "id: core #!\n")], "version: missing"),
    ("syntax-error", CORE, [("title: Core fixture", "title: Core: fixture #!")], "not valid YAML"),
    (
        "nested-flow-450",
        CORE,
        [("title: Core fixture", f"title: {'[' * 450}{']' * 450} #!")],
        "yaml: nested deeper than 40 levels",
    ),
    (
        "nested-block-500",
        CORE,
        [("title: Core fixture", "title:\n  " + "- " * 500 + "x #!")],
        "yaml: nested deeper than 40 levels",
    ),
    ("nul", CORE, [("title: Core fixture", "title: Core\x00fixture #!")], "yaml: not valid YAML: the character U+0000"),
    (
        "form-feed",
        CORE,
        [("title: Core fixture", "title: Core fixture #!\x0c")],
        "yaml: not valid YAML: the character U+000C",
    ),
    ("text-too-long", CORE, [("title: Alpha\n", f"title: {'A' * 201} #!\n")], "at most 200 characters"),
    ("bank-id-clash", "banks/risks.yaml", [("id: risks", "id: core #!")], "bank id 'core' is already used"),
    (
        "crossmap-unknown-target",
        "crossmap.yaml",
        [("R01-gamma: [A01-alpha]", "R01-gamma: [A01-alpha, A09-none] #!")],
        "unknown dimension 'A09-none'",
    ),
    (
        "crossmap-key-not-blocker",
        "crossmap.yaml",
        [("R01-gamma: [A01-alpha]", "R01-gamma: [A01-alpha]\n  A02-beta: [A01-alpha] #!")],
        "not a blocker",
    ),
    (
        "crossmap-to-blocker",
        "crossmap.yaml",
        [("R01-gamma: [A01-alpha]", "R01-gamma: [R01-gamma] #!")],
        "is a blocker dimension",
    ),
    (
        "quick-scan-too-small",
        "framework.yaml",
        [("quick_scan: {min_items: 1, max_items: 20}", "quick_scan: {min_items: 10, max_items: 20} #!")],
        "quick scan of 4 items",
    ),
    (
        "framework-unknown-bank",
        "framework.yaml",
        [("weights: {core: 0.6, risks: 0.4}", "weights: {core: 0.6, risks: 0.4, gone: 0.1} #!")],
        "no such bank",
    ),
    (
        "scale-value-not-a-number",
        "scales.yaml",
        [("- {value: 1, label: Strongly disagree}", "- {value: one, label: Strongly disagree} #!")],
        "valid integer",
    ),
    (
        "scale-unknown-type",
        "scales.yaml",
        [("type: ordinal", "type: stars #!")],
        "input should be 'ordinal', 'anchored' or 'bipolar'",
    ),
]


def _mutate(tmp_path: Path, file: str, substitutions: list[tuple[str, str]]) -> tuple[Path, int]:
    root = tmp_path / "bank"
    shutil.copytree(TINY, root)
    target = root / file
    text = target.read_text(encoding="utf-8")
    for old, new in substitutions:
        assert old in text, f"fixture text not found: {old!r}"
        text = text.replace(old, new, 1)
    target.write_text(text, encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), start=1) if "#!" in content)
    return root, line


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("file", "substitutions", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_file_is_reported_at_its_line(
    tmp_path: Path, file: str, substitutions: list[tuple[str, str]], fragment: str
) -> None:
    root, line = _mutate(tmp_path, file, substitutions)
    loaded = load_library(root)
    assert not loaded.ok
    shown = [str(p) for p in loaded.problems]
    matching = [p for p in loaded.problems if fragment in f"{p.field}: {p.message}"]
    assert matching, f"no problem mentions {fragment!r}: {shown}"
    assert any(p.file.endswith(file) and p.line == line for p in matching), f"expected {file}:{line}, got {shown}"
    assert all(str(p).count(":") >= 3 for p in loaded.problems), "every problem reads file:line: field: reason"
