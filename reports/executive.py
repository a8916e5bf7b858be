"""The executive report: a PDF a board would read. Data in, bytes out.

Cover; summary (index, stage, delivery gap, radar, top three priorities); blockers; one
section per dimension with its plan; an appendix with every answer and the method.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from fpdf.enums import XPos, YPos

from charts.spec import GRID, SCORE, TARGET, radar, score_bars, severity_bars
from i18n import date, t
from presentation.story import (
    BenchmarkStory,
    Comparison,
    DimensionStory,
    PriorityCard,
    Story,
    answer_rows,
    build_story,
)
from presentation.words import mode_name, short_titles
from questions.library import Library
from questions.model import Bank
from reports.drawing import draw_bars
from reports.pdf import MUTED, ReportPDF, rgb
from reports.sections import (
    blockers_page,
    cover,
    cover_note,
    figure_box,
    method_paragraphs,
    plan_actions,
    priority,
    radar_block,
    sources,
)
from scoring.answers import Answer
from scoring.results import Result


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about itself: who it is for, when, by whom."""

    organisation: str | None
    created: dt.date
    mode: str
    consultant: str | None = None
    logo: bytes | None = None  # a checked PNG or JPEG (see reports.images.check_logo)
    language: str = "en"
    answered_under: Mapping[str, str] | None = None  # the bank versions the answers were given under


def executive_report(
    library: Library, result: Result, answers: Mapping[str, Answer], meta: ReportMeta, story: Story | None = None
) -> bytes:
    """The whole report as PDF bytes, laid out from the result's story (built here when not given)."""
    lang = meta.language
    story = story or build_story(library, result, answers, lang, answered_under=meta.answered_under)
    organisation = meta.organisation or t("report.no_organisation", language=lang)
    pdf = ReportPDF(
        header_text=t("report.header", organisation=organisation, language=lang),
        footer_text=t("report.footer", date=date(meta.created, lang), language=lang),
        language=lang,
    )
    shorts = short_titles(library)
    _cover(pdf, story, meta, organisation)
    _summary(pdf, library, result, story, shorts, lang)
    if story.comparison is not None:
        _comparison(pdf, story.comparison, lang)
    worded = {b.dimension: b.words for b in story.blockers}
    blockers_page(pdf, library, result.blockers, severity_bars(result, shorts), shorts, lang, worded=worded)
    cards = {card.dimension: card for card in story.priorities}
    dimensions = {d.dimension: d for d in story.dimensions}
    benchmarks = {b.item: b for b in story.benchmarks}
    for bank in library.banks:
        if bank.kind != "perception":
            _bank_section(pdf, library, bank, result, dimensions, cards, benchmarks, shorts, lang)
    if story.flags:
        pdf.add_page()
        pdf.heading(t("report.flags", language=lang))
        pdf.bullets(story.flags)
    _answers_appendix(pdf, library, result, answers, lang)
    _method(pdf, library, story, meta, lang)
    return bytes(pdf.output())


def _cover(pdf: ReportPDF, story: Story, meta: ReportMeta, organisation: str) -> None:
    lang = meta.language
    lines = [f"{mode_name(meta.mode, lang)} · {date(meta.created, lang)}"]
    if meta.consultant:
        lines.append(t("report.prepared_by", name=meta.consultant, language=lang))
    cover(pdf, meta.logo, t("report.title", language=lang), organisation, lines)
    headline = story.headline
    if headline.index is not None and headline.stage is not None:
        text = f"{headline.stage}. {headline.stage_meaning or ''}"
        figure_box(pdf, headline.index_text, t("report.index", language=lang), text)
    cover_note(pdf, t("report.cover_note", language=lang))


def _summary(pdf: ReportPDF, library: Library, result: Result, story: Story, shorts: dict[str, str], lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("report.summary", language=lang))
    headline = story.headline
    if headline.index is not None and headline.stage is not None:
        line = t("report.index_line", index=headline.index_text, stage=headline.stage, language=lang)
        pdf.paragraph(line, bold=True)
        if headline.change_text:
            pdf.paragraph(headline.change_text, size=9.5, color=MUTED)
        pdf.paragraph(headline.stage_meaning or "")
    for note in headline.notes:
        pdf.paragraph(note, size=9.5, bold=headline.withheld)
    gap = story.gap
    pdf.paragraph(f"{t('results.gap_title', language=lang)} {gap.sentence}", bold=gap.direction == "over")
    pdf.paragraph(" ".join(part for part in (gap.inputs, gap.estimate, gap.benchmark) if part), size=9, color=MUTED)
    if library.has_bank("strategic"):
        names = {
            "score": t("chart.you", language=lang),
            "target": t("chart.target", language=lang),
            "previous": t("chart.previous", language=lang),
        }
        radar_block(pdf, t("results.strategic", language=lang), radar(result, "strategic", names, shorts))
    pdf.keep_together(60)
    pdf.paragraph(t("report.priorities", language=lang), size=12, bold=True)
    if story.plan_note:
        pdf.paragraph(story.plan_note)
    for card in story.top_priorities:  # what to do comes with each dimension's section
        priority(pdf, card.rank, f"{card.area}: {card.title}", card.situation, card.why)


def _comparison(pdf: ReportPDF, comparison: Comparison, lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("results.changes", language=lang))
    pdf.paragraph(t("story.compared_with", since=comparison.since, language=lang), size=9.5, color=MUTED)
    pdf.paragraph(comparison.index_line, bold=True)
    if comparison.moved:
        pdf.paragraph(t("results.moved", language=lang), size=11, bold=True)
        pdf.bullets(comparison.moved)
    pdf.paragraph(t("results.by_dimension", language=lang), size=11, bold=True)
    pdf.bullets(change.words for change in comparison.changes)
    pdf.paragraph(t("results.changed_answers", language=lang), size=11, bold=True)
    if not comparison.answers:
        pdf.paragraph(t("results.no_changes", language=lang))
    for row in comparison.answers:
        _answer_row(pdf, row.question, t("story.before_now", before=row.before, now=row.now, language=lang))


def _bank_section(
    pdf: ReportPDF,
    library: Library,
    bank: Bank,
    result: Result,
    worded: Mapping[str, DimensionStory],
    cards: Mapping[str, PriorityCard],
    benchmarks: Mapping[str, BenchmarkStory],
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
        notes = [benchmarks[i.id] for i in dimension.items if i.id in benchmarks]
        _dimension(pdf, worded[dimension.id], cards.get(dimension.id), notes, dimension.score is not None)


def _dimension(
    pdf: ReportPDF, words: DimensionStory, card: PriorityCard | None, notes: list[BenchmarkStory], scored: bool
) -> None:
    pdf.keep_together(80 if card else 25)
    pdf.rule()
    pdf.paragraph(words.title, size=12, bold=True, gap=0.5)
    figure = " · ".join(part for part in (words.figure, words.stage) if part)
    pdf.paragraph(figure, size=9.5, bold=True, color=SCORE if scored else MUTED, gap=0.5)
    if words.meaning:
        pdf.paragraph(words.meaning, size=9, color=MUTED)
    if words.note:
        pdf.paragraph(words.note, size=9, color=MUTED)
    for note in notes:
        line = f"{note.figure}: {note.statement} {note.verdict_text or ''} {note.source}"
        pdf.paragraph(" ".join(line.split()), size=8.5, color=TARGET)
    if card is not None:
        pdf.paragraph(card.title, size=10, bold=True, gap=0.5)
        pdf.paragraph(card.why, size=9, color=MUTED, gap=0.5)
        pdf.paragraph(card.next, size=9.5)
        plan_actions(pdf, card)


def _answers_appendix(
    pdf: ReportPDF, library: Library, result: Result, answers: Mapping[str, Answer], lang: str
) -> None:
    pdf.add_page()
    pdf.heading(t("report.appendix_answers", language=lang))
    pdf.paragraph(t("report.appendix_answers_intro", language=lang), size=9, color=MUTED)
    for bank_title, rows, not_asked in answer_rows(library, result, answers, lang):
        if not rows:
            continue
        pdf.paragraph(bank_title, size=11, bold=True)
        for row in rows:
            _answer_row(pdf, row.question, row.answer)
        if not_asked:
            pdf.paragraph(t("report.not_asked", count=not_asked, language=lang), size=8.5, color=MUTED)
        pdf.ln(3)


ANSWER_COLUMN = 52  # mm; answers are short ("Agree", or an anchored state)
ROW_LINE = 3.9  # mm, one line of an appendix row
# No row runs to more lines than this; a row that starts higher up the page always fits, and only
# rows near its foot are measured (measuring every row cost a tenth of the report's time).
TALL_ROW = 10 * ROW_LINE


def _answer_row(pdf: ReportPDF, question: str, answer: str) -> None:
    """One appendix row in a single pass: the question wraps on the left, the answer on the right.

    The row is kept on one page: a long anchored answer split by a page break left its last words
    alone at the top of the next page."""
    question_width = pdf.w - pdf.l_margin - pdf.r_margin - ANSWER_COLUMN - 3
    if pdf.get_y() + TALL_ROW > pdf.h - pdf.b_margin:  # near the foot of the page: measure the row
        pdf.style(8, bold=True)
        answer_lines = len(pdf.lines(answer, ANSWER_COLUMN))
        pdf.style(8)
        pdf.keep_together(max(len(pdf.lines(question, question_width)), answer_lines) * ROW_LINE + 1.2)
    pdf.style(8)
    top, page = pdf.get_y(), pdf.page
    pdf.text_block(question_width, ROW_LINE, pdf.clean(question), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y()
    if pdf.page != page:  # the question itself ran over a page break: put its answer beside its end
        top = max(pdf.t_margin, bottom - ROW_LINE)
    pdf.set_xy(pdf.w - pdf.r_margin - ANSWER_COLUMN, top)
    pdf.style(8, bold=True)
    pdf.text_block(ANSWER_COLUMN, ROW_LINE, pdf.clean(answer), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(bottom, pdf.get_y()) + 1.2)
    pdf.set_draw_color(*rgb(GRID))
    pdf.set_line_width(0.15)
    pdf.line(pdf.l_margin, pdf.get_y() - 0.6, pdf.w - pdf.r_margin, pdf.get_y() - 0.6)


def _method(pdf: ReportPDF, library: Library, story: Story, meta: ReportMeta, lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("report.method", language=lang))
    method_paragraphs(pdf, library, lang)
    pdf.paragraph(story.headline.maths, size=9.5)
    pdf.paragraph(story.gap.maths, size=9.5)
    sources(pdf, library, lang, meta.answered_under)
