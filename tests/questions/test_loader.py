from __future__ import annotations

import shutil
from pathlib import Path

from questions.library import Library, stage_for
from questions.loader import Problem, load_library

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(TINY, root)
    return root


def test_tiny_library_loads_in_framework_order(tiny: Library) -> None:
    assert [bank.id for bank in tiny.banks] == ["core", "risks", "self"]
    assert list(tiny.items)[:3] == ["A01-plain", "A01-reversed", "A01-anchored"]
    assert tiny.undermined_by("A01-alpha") == ("R01-gamma",)
    assert tiny.undermined_by("A02-beta") == ()
    assert tiny.count("quick") == 4 and tiny.count("full") == 8
    assert tiny.versions == {"core": "0.1", "risks": "0.1", "self": "0.1"}
    assert tiny.pairs == (("A01-reversed", "A01-plain"),)


def test_keyed_values_follow_the_scale_and_reverse_flag(tiny: Library) -> None:
    assert tiny.items["A01-plain"].keyed == {1: 0.0, 2: 0.25, 3: 0.5, 4: 0.75, 5: 1.0}
    assert tiny.items["A01-reversed"].keyed[1] == 1.0
    assert tiny.items["Z01-rating"].keyed[7] == 0.7


def test_a_broken_bank_leaves_the_others_loaded(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    risks = root / "banks" / "risks.yaml"
    risks.write_text(risks.read_text().replace("scale: describes5", "scale: nope"), encoding="utf-8")
    loaded = load_library(root)
    assert not loaded.ok
    assert loaded.library is not None
    assert [b.id for b in loaded.library.banks] == ["core", "self"]
    assert any(path.endswith("risks.yaml") for path in loaded.left_out)
    assert len([p for p in loaded.problems if "unknown scale 'nope'" in p.message]) == 2  # every problem at once


def test_an_unreadable_bank_does_not_cascade_into_other_files(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "banks" / "core.yaml").write_text("id: [broken\n", encoding="utf-8")
    loaded = load_library(root)
    assert [p.file.rsplit("/", 1)[-1] for p in loaded.problems] == ["core.yaml"]
    assert loaded.library is not None and [b.id for b in loaded.library.banks] == ["risks", "self"]
    assert loaded.library.undermines == {}


def test_without_scales_there_is_no_library(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "scales.yaml").unlink()
    loaded = load_library(root)
    assert loaded.library is None
    assert any(p.file.endswith("scales.yaml") and "cannot be read" in p.message for p in loaded.problems)


def test_an_empty_bank_file_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "banks" / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    loaded = load_library(root)
    assert [str(p).split(": ", 1)[1] for p in loaded.problems] == ["file: is empty"]


def test_extra_bank_files_are_checked_with_the_rest(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    extra = tmp_path / "mine.yaml"
    shutil.move(root / "banks" / "self.yaml", extra)
    loaded = load_library(root, [extra])
    assert loaded.ok and loaded.library is not None
    assert loaded.library.has_bank("self")
    again = load_library(root, [root / "banks" / "core.yaml"])  # a root bank is not read twice
    assert again.ok


def test_problem_reads_file_line_field_reason() -> None:
    assert str(Problem("a.yaml", 3, "S01-x.scale", "unknown scale")) == "a.yaml:3: S01-x.scale: unknown scale"


def test_stage_for_picks_the_highest_stage_reached(tiny: Library) -> None:
    stages = tiny.framework.index.stages
    assert [stage_for(stages, s).level for s in (0, 19.99, 20, 59.9, 60, 80, 100)] == [1, 1, 2, 3, 4, 5, 5]
