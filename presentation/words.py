"""Small pieces of wording shared by every section: stages, answers, severity, sources.

Each function takes the (possibly translated) library and a language and returns text for
people; nothing here decides a number.
"""

from __future__ import annotations

from i18n import number, percent, t
from questions.library import ItemRef, Library, Mode, option_labels
from questions.model import Benchmark, SourceInfo
from scoring.answers import Answer, keyed_value
from scoring.delphi import RoundFigures, Shift
from scoring.results import StageRef

STAGES = 5
# Severity from 0 to 100 in five words, at the stage bounds: what a reader can hold on to.
_SEVERITY_WORDS = ((80, "pervasive"), (60, "severe"), (40, "marked"), (20, "mild"), (0, "slight"))
# An answer at least this far along its scale (keyed) is ahead of a benchmark's typical
# company, at most the lower one behind it; in between it is in line.
AHEAD, BEHIND = 0.75, 0.25


def sentence_part(text: str) -> str:
    """A bank sentence placed inside one of our own sentences: its closing full stop would double ours."""
    return text.strip().rstrip(".。")


def stage_title(stage: StageRef, lang: str) -> str:
    """``Stage 3 of 5: Developing``."""
    return t("words.stage", level=stage.level, total=STAGES, name=stage.name, language=lang)


def severity_level(severity: float) -> str:
    """The word key for a severity: slight, mild, marked, severe or pervasive."""
    return next(word for bound, word in _SEVERITY_WORDS if severity >= bound)


def severity_words(severity: float, lang: str) -> str:
    """``severity 75 of 100, severe``."""
    return t("words.severity", value=number(severity, lang), level=severity_name(severity, lang), language=lang)


def severity_name(severity: float, lang: str) -> str:
    """The word for a severity in the reader's language: slight … pervasive."""
    level = severity_level(severity)
    return t(f"words.severity_{level}", language=lang)


def out_of_100(value: float, lang: str) -> str:
    return t("words.out_of_100", value=number(value, lang), language=lang)


def answer_label(library: Library, item_id: str, answer: Answer | None, lang: str) -> str:
    """How an answer reads: the option as the person saw it, never a bare code.

    A two-pole answer names its pole (``Leaning to: what the customer needs``); a 0-10 rating
    reads ``7 out of 10``.
    """
    if answer is None:
        return t("words.unanswered", language=lang)
    if answer == "na":
        return t("question.na", language=lang)
    if answer == "dk":
        return t("question.dk", language=lang)
    ref = library.items.get(item_id)
    if ref is None:
        return number(answer, lang)
    return _value_label(ref, answer, lang)


def _value_label(ref: ItemRef, answer: int, lang: str) -> str:
    scale, item = ref.scale, ref.item
    if scale.type == "bipolar" and item.poles:
        values = scale.values
        middle = (values[0] + values[-1]) / 2
        if answer == middle:
            return t("words.pole_between", low=item.poles.low, high=item.poles.high, language=lang)
        pole = item.poles.low if answer < middle else item.poles.high
        clearly = answer in (values[0], values[-1])
        if clearly:
            return t("words.pole_clearly", pole=pole, language=lang)
        return t("words.pole_leaning", pole=pole, language=lang)
    if all(option.label.split(" ", 1)[0].isdigit() for option in scale.options):
        # A numbered scale (0 - very poor, 1, 2 … 10 - outstanding): "7 out of 10", not "7 · 7".
        return t("words.rating", value=number(answer, lang), highest=number(scale.highest, lang), language=lang)
    return dict(option_labels(ref))[answer]


def keyed(library: Library, item_id: str, answer: Answer | None) -> float | None:
    """An answer's place on 0..1 in the direction of strength, or ``None`` for a non-answer."""
    if not isinstance(answer, int) or item_id not in library.items:
        return None
    return keyed_value(library.items[item_id], answer)


def benchmark_source(benchmark: Benchmark, lang: str) -> str:
    """Where a figure comes from and what kind of figure it is."""
    kind = t(f"words.benchmark_{benchmark.kind}", language=lang)
    details = ", ".join(str(part) for part in (benchmark.by, benchmark.year, benchmark.sample) if part)
    return t("words.benchmark_source", details=details, kind=kind, language=lang)


def source_citation(source_id: str, source: SourceInfo, lang: str) -> str:
    """A source as it can be cited: author or publisher, title, original title, year, link."""
    title = source.title + (f" ({source.original_title})" if source.original_title else "")
    by = ", ".join(str(part) for part in (source.author, source.publisher, source.year) if part)
    missing = [
        t(f"words.source_no_{what}", language=lang)
        for what, given in (("author", source.author or source.publisher), ("date", source.year), ("link", source.url))
        if not given
    ]
    return t(
        "words.source",
        id=source_id,
        title=title,
        by=f"{by}. " if by else "",
        language_name=source.language,
        link=f" {source.url}" if source.url else "",
        missing=t("words.source_missing", items=", ".join(missing), language=lang) if missing else "",
        language=lang,
    )


def mode_name(mode: Mode | str, lang: str) -> str:
    return t(f"report.mode_{mode}", language=lang)


def short_titles(library: Library) -> dict[str, str]:
    """Every dimension's short title (chart axes, tables), by dimension id."""
    return {dimension_id: dimension.short for dimension_id, (_, dimension) in library.dimensions.items()}


def round_figures(figures: RoundFigures | None, lang: str) -> str:
    """A Delphi round's figures for one question, on its own scale; "withheld" when the release
    rule holds them back. Worded once for the dashboard and the workshop report."""
    if figures is None:
        return t("workshop.withheld", language=lang)
    return t(
        "delphi.figures",
        median=_scale_point(figures.median, lang),
        q1=_scale_point(figures.q1, lang),
        q3=_scale_point(figures.q3, lang),
        within=percent(figures.within_one, lang),
        n=figures.n,
        language=lang,
    )


def consensus(result: Shift, lang: str) -> str:
    if result.converged is None:
        return t("workshop.withheld", language=lang)
    return t("delphi.converged" if result.converged else "delphi.not_converged", language=lang)


def _scale_point(value: float, lang: str) -> str:
    return number(value, lang, digits=0 if float(value).is_integer() else 1)
