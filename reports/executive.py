"""The executive report: a PDF a board would read. Data in, bytes out.

Cover; summary (index, stage, delivery gap, radar, top three priorities); blockers; one
section per dimension with its plan; an appendix with every answer and the method.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from fpdf.enums import XPos, YPos

from charts.spec import GRID, SCORE, TARGET, radar, score_bars, severity_bars
from i18n import t
from questions.library import Library
from questions.model import Bank
from reports.drawing import draw_bars, draw_radar
from reports.pdf import MUTED, ReportPDF, rgb
from scoring.answers import Answer
from scoring.describe import answer_label
from scoring.results import DimensionScore, RecommendationResult, Result

TOP_PRIORITIES = 3
WORST_BLOCKERS = 3


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
    _blockers(pdf, library, result, shorts, lang)
    plans = {rec.dimension: rec for rec in result.recommendations}
    for bank in library.banks:
        if bank.kind != "perception":
            _bank_section(pdf, library, bank, result, answers, plans, shorts, lang)
    _answers_appendix(pdf, library, result, lang)
    _method(pdf, library, lang)
    return bytes(pdf.output())


def _cover(pdf: ReportPDF, result: Result, meta: ReportMeta, organisation: str) -> None:
    lang = meta.language
    pdf.add_page()
    pdf.set_fill_color(*rgb(SCORE))
    pdf.rect(0, 0, pdf.w, 10, style="F")
    if meta.logo:
        pdf.image(io.BytesIO(meta.logo), x=pdf.w - pdf.r_margin - 40, y=18, h=20, keep_aspect_ratio=True, w=40)
    pdf.set_y(70)
    pdf.paragraph(t("report.title", language=lang), size=13, color=MUTED)
    pdf.paragraph(organisation, size=26, bold=True, gap=4)
    mode = t(f"report.mode_{meta.mode}", language=lang)
    pdf.paragraph(f"{mode} · {meta.created.strftime('%d %B %Y')}", size=11, color=MUTED)
    if meta.consultant:
        pdf.paragraph(t("report.prepared_by", name=meta.consultant, language=lang), size=11, color=MUTED)
    pdf.ln(14)
    if result.index is not None and result.stage is not None:
        top = pdf.get_y()
        pdf.set_fill_color(242, 245, 249)
        pdf.rect(pdf.l_margin, top, pdf.w - pdf.l_margin - pdf.r_margin, 34, style="F")
        pdf.set_xy(pdf.l_margin + 6, top + 5)
        pdf.style(30, bold=True, color=SCORE)
        pdf.cell(30, 14, f"{result.index:.0f}")
        pdf.set_xy(pdf.l_margin + 38, top + 5)
        pdf.style(11, bold=True)
        pdf.cell(0, 6, pdf.clean(t("report.index", language=lang)), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + 38)
        pdf.style(10)
        stage = t("report.stage", level=result.stage.level, name=result.stage.name, language=lang)
        pdf.multi_cell(pdf.w - pdf.r_margin - pdf.l_margin - 44, 5, pdf.clean(f"{stage}. {result.stage.meaning}"))
    pdf.set_y(pdf.h - 45)
    pdf.paragraph(t("report.cover_note", language=lang), size=8.5, color=MUTED)


def _summary(pdf: ReportPDF, library: Library, result: Result, shorts: dict[str, str], lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("report.summary", language=lang))
    if result.index is not None and result.stage is not None:
        stage = t("report.stage", level=result.stage.level, name=result.stage.name, language=lang)
        pdf.paragraph(t("report.index_line", index=f"{result.index:.0f}", stage=stage, language=lang), bold=True)
        pdf.paragraph(result.stage.meaning)
    else:
        pdf.paragraph(t("report.not_enough", language=lang))
    gap = result.delivery_gap
    if gap.gap is not None and gap.self_rating is not None and gap.evidence is not None:
        text = t(
            f"results.gap_{gap.direction}",
            self=f"{gap.self_rating:.0f}",
            evidence=f"{gap.evidence:.0f}",
            gap=f"{abs(gap.gap):.0f}",
            language=lang,
        )
        pdf.paragraph(f"{t('results.gap_title', language=lang)} {text} {t('results.gap_benchmark', language=lang)}")
    if library.has_bank("strategic"):
        names = {
            "score": t("chart.you", language=lang),
            "target": t("chart.target", language=lang),
            "previous": t("chart.previous", language=lang),
        }
        pdf.keep_together(115)
        pdf.paragraph(t("results.strategic", language=lang), size=12, bold=True)
        top = pdf.get_y()
        draw_radar(pdf, radar(result, "strategic", names, shorts), pdf.w / 2, top + 50, 40)
        pdf.set_y(top + 110)
    pdf.keep_together(60)
    pdf.paragraph(t("report.priorities", language=lang), size=12, bold=True)
    priorities = result.recommendations[:TOP_PRIORITIES]
    if not priorities:
        pdf.paragraph(t("results.plan_empty", language=lang))
    for rank, rec in enumerate(priorities, start=1):
        pdf.paragraph(f"{rank}. {rec.title}", size=10.5, bold=True, gap=0.5)
        meta = t(
            "report.priority_meta",
            dimension=shorts[rec.dimension],
            score=f"{rec.score:.0f}",
            target=f"{rec.target:g}",
            language=lang,
        )
        pdf.paragraph(meta, size=8.5, color=MUTED, gap=0.5)
        pdf.paragraph(rec.next, size=9.5, gap=2.5)


def _blockers(pdf: ReportPDF, library: Library, result: Result, shorts: dict[str, str], lang: str) -> None:
    if not result.blockers:
        return
    pdf.add_page()
    pdf.heading(t("results.blockers", language=lang))
    pdf.paragraph(t("report.blockers_intro", language=lang))
    draw_bars(pdf, severity_bars(result, shorts), t("results.no_score", language=lang))
    worst = [b for b in result.blockers if b.severity is not None][:WORST_BLOCKERS]
    if not worst:
        return
    pdf.paragraph(t("report.worst_blockers", language=lang), size=12, bold=True)
    for blocker in worst:
        dimension = library.dimensions[blocker.id][1]
        pdf.keep_together(30)
        severity = blocker.severity or 0.0
        pdf.paragraph(
            f"{blocker.title} · {t('report.severity', value=f'{severity:.0f}', language=lang)}", bold=True, gap=0.5
        )
        pdf.paragraph(t("report.costs", why=dimension.why, language=lang), size=9.5, gap=0.5)
        undermines = [shorts[target] for target in library.undermines.get(blocker.id, ())]
        if undermines:
            pdf.paragraph(t("report.undermines", names=", ".join(undermines), language=lang), size=8.5, color=MUTED)
        pdf.ln(1.5)


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
    if score.score is None or score.stage is None:
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
        pdf.labelled_bullets((t("results.days", days=a.days, language=lang), a.title, a.detail) for a in plan.actions)
        pdf.paragraph(t("results.kpi", kpi=plan.kpi, language=lang), size=9, color=MUTED)


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
    weights = ", ".join(
        f"{library.bank(b).title} {w:g}" for b, w in library.framework.index.weights.items() if library.has_bank(b)
    )
    for key in (
        "method_items",
        "method_dimensions",
        "method_stages",
        "method_index",
        "method_gap",
        "method_plan",
        "method_flags",
    ):
        pdf.paragraph(
            t(
                f"report.{key}",
                coverage=f"{library.framework.min_coverage:.0%}",
                weights=weights,
                margin=f"{library.framework.aligned_within:g}",
                target=f"{library.framework.default_target:g}",
                weakest=f"{library.framework.weakest_margin:g}",
                language=lang,
            ),
            size=9.5,
        )
    pdf.paragraph(t("report.sources", language=lang), size=12, bold=True)
    pdf.bullets(
        f"{source_id} · {source.title} ({source.language}). {source.summary}"
        for source_id, source in library.sources.items()
    )
    versions = ", ".join(f"{bank.id} {bank.version}" for bank in library.banks)
    pdf.paragraph(t("report.versions", versions=versions, language=lang), size=8.5, color=MUTED)
