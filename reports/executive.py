"""The executive report: a PDF a board would read. Data in, bytes out.

Cover; summary (index, stage, delivery gap, radar, top three priorities); blockers; one
section per dimension with its plan; an appendix with every answer and the method.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf.enums import XPos, YPos

from charts.spec import GRID, SCORE, TARGET, radar, score_bars, severity_bars
from i18n import t
from questions.library import Library
from questions.model import Bank
from reports.drawing import draw_bars
from reports.pdf import MUTED, ReportPDF, rgb
from reports.sections import (
    blockers_page,
    cover,
    cover_note,
    delivery_gap,
    figure_box,
    method_paragraphs,
    plan_actions,
    priority,
    radar_block,
    sources,
)
from scoring.answers import Answer
from scoring.describe import answer_label
from scoring.results import DimensionScore, RecommendationResult, Result

TOP_PRIORITIES = 3


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about itself: who it is for, when, by whom."""

    organisation: str | None
    created: date
    mode: str
    consultant: str | None = None
    logo: bytes | None = None  # a checked PNG or JPEG (see reports.images.check_logo)
    language: str = "en"


def executive_report(library: Library, result: Result, answers: dict[str, Answer], meta: ReportMeta) -> bytes:
    """The whole report as PDF bytes."""
    lang = meta.language
    organisation = meta.organisation or t("report.no_organisation", language=lang)
    pdf = ReportPDF(
        header_text=t("report.header", organisation=organisation, language=lang),
        footer_text=t("report.footer", date=meta.created.isoformat(), language=lang),
        language=lang,
    )
    shorts = {d_id: dimension.short for d_id, (_, dimension) in library.dimensions.items()}
    _cover(pdf, result, meta, organisation)
    _summary(pdf, library, result, shorts, lang)
    blockers_page(pdf, library, result.blockers, severity_bars(result, shorts), shorts, lang)
    plans = {rec.dimension: rec for rec in result.recommendations}
    for bank in library.banks:
        if bank.kind != "perception":
            _bank_section(pdf, library, bank, result, answers, plans, shorts, lang)
    _answers_appendix(pdf, library, result, lang)
    _method(pdf, library, lang)
    return bytes(pdf.output())


def _cover(pdf: ReportPDF, result: Result, meta: ReportMeta, organisation: str) -> None:
    lang = meta.language
    mode = t(f"report.mode_{meta.mode}", language=lang)
    lines = [f"{mode} · {meta.created.strftime('%d %B %Y')}"]
    if meta.consultant:
        lines.append(t("report.prepared_by", name=meta.consultant, language=lang))
    cover(pdf, meta.logo, t("report.title", language=lang), organisation, lines)
    if result.index is not None and result.stage is not None:
        stage = t("report.stage", level=result.stage.level, name=result.stage.name, language=lang)
        figure_box(pdf, f"{result.index:.0f}", t("report.index", language=lang), f"{stage}. {result.stage.meaning}")
    cover_note(pdf, t("report.cover_note", language=lang))


def _summary(pdf: ReportPDF, library: Library, result: Result, shorts: dict[str, str], lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("report.summary", language=lang))
    if result.index is not None and result.stage is not None:
        stage = t("report.stage", level=result.stage.level, name=result.stage.name, language=lang)
        pdf.paragraph(t("report.index_line", index=f"{result.index:.0f}", stage=stage, language=lang), bold=True)
        pdf.paragraph(result.stage.meaning)
        if result.stage_capped_by is not None:
            weakest = result.dimension(result.stage_capped_by)
            pdf.paragraph(t("results.stage_capped", dimension=weakest.title, language=lang), size=9.5)
    elif result.index_withheld is not None:
        pdf.paragraph(t("report.index_withheld", language=lang), bold=True)
        pdf.paragraph(result.index_withheld.message)
    else:
        pdf.paragraph(t("report.not_enough", language=lang))
    delivery_gap(pdf, result.delivery_gap, "results", lang)
    if library.has_bank("strategic"):
        names = {
            "score": t("chart.you", language=lang),
            "target": t("chart.target", language=lang),
            "previous": t("chart.previous", language=lang),
        }
        radar_block(pdf, t("results.strategic", language=lang), radar(result, "strategic", names, shorts))
    pdf.keep_together(60)
    pdf.paragraph(t("report.priorities", language=lang), size=12, bold=True)
    priorities = [rec for rec in result.recommendations if rec.gap > 0][:TOP_PRIORITIES]
    if not priorities:
        pdf.paragraph(t("results.plan_empty", language=lang))
    for rank, rec in enumerate(priorities, start=1):
        meta = t(
            "report.priority_meta",
            dimension=shorts[rec.dimension],
            score=f"{rec.score:.0f}",
            target=f"{rec.target:g}",
            language=lang,
        )
        priority(pdf, rank, rec.title, meta, rec.next)


def _bank_section(
    pdf: ReportPDF,
    library: Library,
    bank: Bank,
    result: Result,
    answers: dict[str, Answer],
    plans: dict[str, RecommendationResult],
    shorts: dict[str, str],
    lang: str,
) -> None:
    pdf.add_page()
    pdf.heading(bank.title)
    pdf.paragraph(bank.description, size=9.5, color=MUTED)
    if bank.kind == "evidence" and bank.id != "strategic":
        labels = (t("results.no_score", language=lang), t("chart.target", language=lang))
        draw_bars(pdf, score_bars(result, bank.id, shorts), *labels)
    for dimension in (d for d in result.dimensions if d.bank == bank.id):
        _dimension(pdf, library, dimension, answers, plans.get(dimension.id), lang)


def _dimension(
    pdf: ReportPDF,
    library: Library,
    score: DimensionScore,
    answers: dict[str, Answer],
    plan: RecommendationResult | None,
    lang: str,
) -> None:
    dimension = library.dimensions[score.id][1]
    pdf.keep_together(80 if plan else 25)
    pdf.rule()
    pdf.paragraph(dimension.title, size=12, bold=True, gap=0.5)
    if score.score is not None and score.indicative:
        value = score.severity if score.kind == "blocker" else score.score
        figure = t("report.indicative_line", score=f"{value or 0:.0f}", answered=score.answered, language=lang)
    elif score.score is None or score.stage is None:
        figure = t("report.no_score_line", answered=score.answered, required=score.required, language=lang)
    elif score.kind == "blocker":
        stage = t("report.stage", level=score.stage.level, name=score.stage.name, language=lang)
        figure = t("report.blocker_line", severity=f"{score.severity or 0:.0f}", stage=stage, language=lang)
    else:
        stage = t("report.stage", level=score.stage.level, name=score.stage.name, language=lang)
        figure = t(
            "report.score_line", score=f"{score.score:.0f}", target=f"{score.target or 0:g}", stage=stage, language=lang
        )
    pdf.paragraph(figure, size=9.5, bold=True, color=SCORE if score.score is not None else MUTED, gap=0.5)
    if score.stage is not None:
        pdf.paragraph(score.stage.meaning, size=9, color=MUTED)
    notes = [ref for ref in (library.items[i.id] for i in dimension.items) if ref.item.benchmark is not None]
    words = _answer_words(lang)
    for ref in notes:
        assert ref.item.benchmark is not None
        said = answer_label(library, ref.item.id, answers.get(ref.item.id), words).rstrip(".")
        note = t("report.benchmark", benchmark=ref.item.benchmark.text, answer=said, language=lang)
        pdf.paragraph(note, size=8.5, color=TARGET)
    if plan is not None:
        pdf.paragraph(t("report.next_step", title=plan.title, language=lang), size=10, bold=True, gap=0.5)
        pdf.paragraph(plan.next, size=9.5)
        plan_actions(pdf, plan, lang)


def _answer_words(lang: str) -> dict[str, str]:
    return {
        "na": t("question.na", language=lang),
        "dk": t("question.dk", language=lang),
        "unanswered": t("results.unanswered", language=lang),
    }


def _answers_appendix(pdf: ReportPDF, library: Library, result: Result, lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("report.appendix_answers", language=lang))
    pdf.paragraph(t("report.appendix_answers_intro", language=lang), size=9, color=MUTED)
    words = _answer_words(lang)
    for bank in library.banks:
        rows = [
            (library.items[i.id].item.text, answer_label(library, i.id, i.answer, words))
            for d in result.dimensions
            if d.bank == bank.id
            for i in d.items
        ]
        if not rows:
            continue
        pdf.paragraph(bank.title, size=11, bold=True)
        for question, answer in rows:
            _answer_row(pdf, question, answer)
        pdf.ln(3)


ANSWER_COLUMN = 52  # mm; answers are short ("4 · Agree", or an anchored state)


def _answer_row(pdf: ReportPDF, question: str, answer: str) -> None:
    """One appendix row in a single pass: the question wraps on the left, the answer on the right."""
    pdf.keep_together(9)
    top, page = pdf.get_y(), pdf.page
    question_width = pdf.w - pdf.l_margin - pdf.r_margin - ANSWER_COLUMN - 3
    pdf.style(8)
    pdf.multi_cell(question_width, 3.9, pdf.clean(question), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y()
    if pdf.page != page:  # the question itself ran over a page break: put its answer beside its end
        top = max(pdf.t_margin, bottom - 3.9)
    pdf.set_xy(pdf.w - pdf.r_margin - ANSWER_COLUMN, top)
    pdf.style(8, bold=True)
    pdf.multi_cell(ANSWER_COLUMN, 3.9, pdf.clean(answer), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(bottom, pdf.get_y()) + 1.2)
    pdf.set_draw_color(*rgb(GRID))
    pdf.set_line_width(0.15)
    pdf.line(pdf.l_margin, pdf.get_y() - 0.6, pdf.w - pdf.r_margin, pdf.get_y() - 0.6)


def _method(pdf: ReportPDF, library: Library, lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("report.method", language=lang))
    method_paragraphs(pdf, library, lang)
    sources(pdf, library, lang)
