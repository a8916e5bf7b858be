"""The command-line contract: outputs and every exit code, in-process and as a real process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cli.main import main
from i18n import t
from questions.loader import load_library
from tests.fixtures.bad_input import (
    BadFile,
    bad_answers_files,
    png_with_broken_image_data,
    png_with_short_header,
)
from tests.fixtures.tiny_answers import FULL

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def test_validate_shipped_banks() -> None:
    code, out, err = run("validate")
    assert code == 0 and err == ""
    assert out.startswith("ok: 4 banks (strategic 2.0.0, blockers 2.0.0, practices 2.0.0, perception 2.0.0)")


def test_validate_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    shutil.copytree(TINY, root)
    core = root / "banks" / "core.yaml"
    core.write_text(core.read_text().replace("scale: agree5", "scale: likert7"))
    code, out, err = run("validate", str(root))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[-1].startswith("3 problems found; left out:")
    assert all(line.split(":")[1].isdigit() and "unknown scale 'likert7'" in line for line in lines[:-1])


def test_validate_an_extra_bank_file_and_a_missing_path(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text((TINY / "banks" / "self.yaml").read_text().replace("Z01", "Y01"))
    code, out, _ = run("validate", str(extra))
    assert code == 0 and out.startswith("ok: 5 banks")  # checked together with the shipped banks
    extra.write_text(extra.read_text().replace("id: self", "id: strategic"))
    code, _, err = run("validate", str(extra))
    assert code == 1 and "mine.yaml:2: id: bank id 'strategic' is already used" in err
    assert run("validate", str(tmp_path / "nope.yaml"))[0] == 2


def test_describe_json_lists_values_and_keying() -> None:
    code, out, _ = run("describe", "--format", "json", "--bank", "strategic")
    data = json.loads(out)
    assert code == 0 and [b["id"] for b in data["banks"]] == ["strategic"]
    item = data["banks"][0]["dimensions"][0]["items"][0]
    assert set(item) >= {"id", "text", "values", "reverse", "weight", "kind", "core"}
    assert item["values"] == [1, 2, 3, 4, 5]


def test_describe_text_and_unknown_bank() -> None:
    code, out, _ = run("describe")
    assert code == 0 and "S01-moment-of-truth" in out and "Nine blockers to customer focus" in out
    code, _, err = run("describe", "--bank", "nope")
    assert code == 2 and "unknown bank 'nope'; known: strategic, blockers, practices, perception" in err


@pytest.mark.parametrize("lang", ["ko", "zh", "ru", "da"])
def test_template_comments_follow_the_language(lang: str) -> None:
    code, out, err = run("template", "--mode", "quick", "--lang", lang)
    assert code == 0, err
    english = run("template", "--mode", "quick")[1]
    count = load_library().library.count("quick")  # type: ignore[union-attr]
    how = t("cli.template_how", command="python -m scoring score THIS_FILE", language=lang).splitlines()
    assert out.splitlines()[: 1 + len(how)] == [
        f"# {line}" for line in (t("cli.template_title_quick", count=count, language=lang), *how)
    ]
    assert "na" in how[0] and "dk" in how[0]  # the two words the file takes as they are
    for line in english.splitlines()[:3]:  # the English heading and instructions are gone
        assert line not in out
    # The questions and options are the translation's; the ids to answer are the same.
    assert [line for line in out.splitlines() if not line.startswith("#")] == [
        line for line in english.splitlines() if not line.startswith("#")
    ]


def test_template_round_trips_through_score(tmp_path: Path) -> None:
    template = tmp_path / "answers.yaml"
    assert run("template", "--mode", "quick", "-o", str(template))[0] == 0
    text = template.read_text()
    asked = [line for line in text.splitlines() if line.endswith(":") and not line.startswith("#")]
    assert len(asked) == load_library().library.count("quick")  # type: ignore[union-attr]
    # 2 and 3 in turn: on every scale, and not straight-lined.
    answer = {line: f" {2 + number % 2}" for number, line in enumerate(asked)}
    filled = "".join(line + answer.get(line, "") + "\n" for line in text.splitlines())
    template.write_text(filled)
    code, out, err = run("score", str(template), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["mode"] == "quick" and result["index"] is not None
    assert {"index", "stage", "dimensions", "blockers", "delivery_gap", "recommendations", "flags", "versions"} <= set(
        result
    )


def test_score_text_output(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"S01-moment-of-truth": 2, "SI01-experience-rating": 9}))
    code, out, _ = run("score", str(answers), "--target", "80")
    assert code == 0
    assert "Not enough answers yet for an overall index" in out and "What to do first" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"S01-moment-of-truht": 3}', "S01-moment-of-truht: unknown item id; did you mean 'S01-moment-of-truth'?"),
        ('{"S01-moment-of-truth": 9}', "S01-moment-of-truth: 9 is outside the scale 'poles5'; use 1-5, na or dk"),
        ("{not json", "not valid JSON"),
    ],
)
def test_score_bad_input_exits_2_naming_the_item(tmp_path: Path, content: str, fragment: str) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(content)
    code, out, err = run("score", str(answers))
    assert code == 2 and out == "" and fragment in err and "Traceback" not in err


def test_score_unreadable_file_and_bad_target(tmp_path: Path) -> None:
    code, _, err = run("score", str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot be read" in err
    answers = tmp_path / "a.yaml"
    answers.write_text("S01-moment-of-truth: 3\n")
    code, _, err = run("score", str(answers), "--target", "150")
    assert code == 2 and "--target must be from 0 to 100" in err


def test_invalid_banks_exit_1_for_every_command(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    shutil.copytree(TINY, root)
    (root / "scales.yaml").write_text("agree5: {title: x}\n")
    for command in (["describe"], ["template"], ["score", str(root / "framework.yaml")]):
        code, _, err = run("--questions", str(root), *command)
        assert code == 1 and "scales.yaml:1:" in err, command


def test_usage_errors_exit_2() -> None:
    assert run("score")[0] == 2
    assert run("frobnicate")[0] == 2
    assert run("--questions", "/nonexistent", "describe")[0] == 2


def test_help_exits_0() -> None:
    assert run("--help")[0] == 0


def test_real_process_never_prints_a_traceback(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("S01-moment-of-truth: [1, 2]\n")
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "score", str(answers)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "S01-moment-of-truth: ['1', '2'] is not an answer" in done.stderr and "Traceback" not in done.stderr


def _answers_file(tmp_path: Path) -> Path:
    answers = tmp_path / "answers.yaml"
    answers.write_text("S01-moment-of-truth: 4\nS01-strategy-chosen: 2\nSI01-experience-rating: 9\n")
    return answers


def test_report_writes_a_pdf(tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    code, out, err = run(
        "report", str(_answers_file(tmp_path)), "-o", str(output), "--org", "Acme", "--consultant", "J. Roe"
    )
    assert code == 0, err
    assert out.startswith(f"wrote {output}") and output.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--lang", "xx"], "--lang xx: no translation yet; available: en"),
        (["--logo", "missing.png"], "cannot be read"),
        (["--target", "-5"], "--target must be from 0 to 100"),
    ],
)
def test_report_bad_options_exit_2(tmp_path: Path, extra: list[str], fragment: str) -> None:
    code, _, err = run("report", str(_answers_file(tmp_path)), "-o", str(tmp_path / "r.pdf"), *extra)
    assert code == 2 and fragment in err and not (tmp_path / "r.pdf").exists()


def test_report_refuses_a_fake_logo_and_bad_answers(tmp_path: Path) -> None:
    fake = tmp_path / "logo.png"
    fake.write_text("<svg onload=alert(1)>")
    code, _, err = run("report", str(_answers_file(tmp_path)), "-o", str(tmp_path / "r.pdf"), "--logo", str(fake))
    assert code == 2 and "not a readable PNG or JPEG" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("S01-moment-of-truth: 11\n")
    code, _, err = run("report", str(bad), "-o", str(tmp_path / "r.pdf"))
    assert code == 2 and "S01-moment-of-truth: 11 is outside the scale" in err


def test_report_to_an_unwritable_place_exits_2(tmp_path: Path) -> None:
    code, _, err = run("report", str(_answers_file(tmp_path)), "-o", str(tmp_path / "no" / "such" / "r.pdf"))
    assert code == 2 and "cannot be written" in err


# The bad-input cases run on the tiny fixture banks: reading a file does not depend on the
# banks, and loading the tiny ones takes a tenth of the time.
TINY_LIBRARY = load_library(TINY).library
assert TINY_LIBRARY is not None
BAD_FILES = bad_answers_files(TINY_LIBRARY)
ONE_PROBLEM = re.compile(r"[^\n]+:\d+: [^\n]+: [^\n]+\n")  # file:line: field: reason
needs_devices = pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"), reason="POSIX only")


def _assert_one_error_line(code: int, out: str, err: str, fragment: str) -> None:
    assert (code, out) == (2, ""), err
    assert err.startswith("error: ") and err.count("\n") == 1 and err.endswith("\n"), err
    assert fragment in err


@pytest.mark.parametrize("command", ["score", "report"])
@pytest.mark.parametrize("bad", BAD_FILES, ids=[bad.case for bad in BAD_FILES])
def test_bad_answers_files_exit_2_with_one_clear_line(tmp_path: Path, command: str, bad: BadFile) -> None:
    answers = tmp_path / "answers"
    answers.write_bytes(bad.content)
    output = ["-o", str(tmp_path / "r.pdf")] if command == "report" else []
    code, out, err = run("--questions", str(TINY), command, str(answers), *output)
    _assert_one_error_line(code, out, err, bad.fragment)
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize("png", [png_with_broken_image_data, png_with_short_header])
def test_a_logo_pillow_cannot_decode_exits_2(tmp_path: Path, png: Callable[[], bytes]) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(FULL))
    code, out, err = run(
        "--questions", str(TINY), "report", str(answers), "-o", str(tmp_path / "r.pdf"), "--logo", str(logo)
    )
    _assert_one_error_line(code, out, err, "logo.png: the file is not a readable PNG or JPEG image")
    assert not (tmp_path / "r.pdf").exists()


def _bank_text(case: str) -> bytes:
    text = (TINY / "banks" / "core.yaml").read_text(encoding="utf-8")
    replacements = {
        "flow-nested-450": f"title: {'[' * 450}{']' * 450}",
        "block-nested-500": "title:\n  " + "- " * 500 + "x",
        "nul": "title: Core\x00fixture",
        "form-feed": "title: Core\x0cfixture",
        "escape": "title: Core\x1b[2Jfixture",
    }
    if case == "utf16-without-bom":
        return text.encode("utf-16-le")
    return text.replace("title: Core fixture", replacements[case], 1).encode()


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("flow-nested-450", "yaml: nested deeper than 40 levels"),
        ("block-nested-500", "yaml: nested deeper than 40 levels"),
        ("nul", "yaml: not valid YAML: the character U+0000 is not allowed"),
        ("form-feed", "yaml: not valid YAML: the character U+000C is not allowed"),
        ("escape", "yaml: not valid YAML: the character U+001B is not allowed"),
        ("utf16-without-bom", "yaml: not valid YAML: the character U+0000 is not allowed; if the file is UTF-16"),
    ],
)
def test_a_bank_the_yaml_reader_refuses_exits_1_with_file_and_line(tmp_path: Path, case: str, fragment: str) -> None:
    root = tmp_path / "bank"
    shutil.copytree(TINY, root)
    (root / "banks" / "core.yaml").write_bytes(_bank_text(case))
    code, out, err = run("validate", str(root))
    assert (code, out) == (1, ""), err
    problems, summary = err.splitlines(keepends=True)[:-1], err.splitlines()[-1]
    assert all(ONE_PROBLEM.fullmatch(line) for line in problems), err
    assert any(re.fullmatch(rf".*banks/core\.yaml:\d+: {re.escape(fragment)}.*\n", line) for line in problems), err
    assert "found; left out: " in summary and summary.endswith("core.yaml"), summary


def _run_soon(*args: str, seconds: float = 10) -> tuple[int, str, str]:
    """run(), failing instead of hanging when the command never finishes."""
    outcome: list[tuple[int, str, str] | BaseException] = []

    def target() -> None:
        try:
            outcome.append(run(*args))
        except BaseException as exc:  # handed to the test below
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"{args} did not finish in {seconds} s"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


SPECIAL = ["dev-zero", "symlink-to-dev-zero", "fifo"]


@pytest.fixture()
def special(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Files whose stat() size is 0 and whose read never ends or never starts."""
    fifo = tmp_path / "special" / "fifo"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    link = tmp_path / "special" / "zero.yaml"
    link.symlink_to("/dev/zero")
    yield {"dev-zero": Path("/dev/zero"), "symlink-to-dev-zero": link, "fifo": fifo}
    # A reader still waiting for the FIFO's writer (the hang these tests catch) is let go.
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@needs_devices
@pytest.mark.parametrize("kind", SPECIAL)
def test_answers_that_are_not_a_regular_file_exit_2(special: dict[str, Path], kind: str) -> None:
    for command in (["score"], ["report", "-o", str(special["fifo"].parent / "r.pdf")]):
        code, out, err = _run_soon("--questions", str(TINY), command[0], str(special[kind]), *command[1:])
        _assert_one_error_line(code, out, err, f"{special[kind]}: is not a regular file")


@needs_devices
@pytest.mark.parametrize("kind", SPECIAL)
def test_a_logo_that_is_not_a_regular_file_exits_2(tmp_path: Path, special: dict[str, Path], kind: str) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(FULL))
    pdf = tmp_path / "r.pdf"
    code, out, err = _run_soon(
        "--questions", str(TINY), "report", str(answers), "-o", str(pdf), "--logo", str(special[kind])
    )
    _assert_one_error_line(code, out, err, f"{special[kind]}: is not a regular file")
    assert not pdf.exists()


@needs_devices
@pytest.mark.parametrize("kind", SPECIAL)
def test_a_bank_that_is_not_a_regular_file_exits_1(tmp_path: Path, special: dict[str, Path], kind: str) -> None:
    root = tmp_path / "bank"
    shutil.copytree(TINY, root)
    core = root / "banks" / "core.yaml"
    core.unlink()
    core.symlink_to(special[kind])  # in the folder: found by the loader's glob
    code, out, err = _run_soon("validate", str(root))
    assert (code, out) == (1, "") and "core.yaml:1: file: is not a regular file\n" in err, err
    code, out, err = _run_soon("validate", str(special[kind]))  # named on the command line
    assert (code, out) == (1, "") and ":1: file: is not a regular file\n" in err, err


def test_describe_and_score_speak_the_language_asked(tmp_path: Path) -> None:
    code, out, _ = run("describe", "--format", "json", "--lang", "ko")
    korean = json.loads(out)
    english = json.loads(run("describe", "--format", "json")[1])
    assert code == 0
    first_ko, first_en = korean["banks"][0]["dimensions"][0], english["banks"][0]["dimensions"][0]
    assert first_ko["id"] == first_en["id"] and first_ko["title"] != first_en["title"]  # same ids, Korean texts
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"SI01-experience-rating": 9}))
    code, out, _ = run("score", str(answers), "--lang", "ru")
    assert code == 0 and "индекс" in out.lower()
    code, _, err = run("score", str(answers), "--lang", "xx")
    assert code == 2 and "--lang xx: no translation yet" in err
