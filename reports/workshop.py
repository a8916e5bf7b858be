"""The workshop report: what a group answered, as a PDF for the room. Data in, bytes out.

Cover (title, organisation, date, mode, facilitator, logo, participants and the anonymity
threshold); group summary (median index with its spread, stage, delivery gap, the radar with the
middle half of the group, participants by role); where the roles see it differently; the most
contested questions as discussion prompts; blockers; priorities with their 30/60/90-day plans;
the method. It draws only what :func:`scoring.aggregate.aggregate` let through: a withheld role
or question arrives without figures and is shown without figures. A group under k gets a short
report that says so and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf.enums import MethodReturnValue, XPos, YPos

from charts.spec import TARGET, TEXT, group_radar, role_gap_pairs, severity_bars_from
from i18n import percent, t
from presentation.story import group_gap_sentence, priority_cards
from presentation.words import consensus, round_figures, short_titles, stage_title
from questions.library import Library
from reports.drawing import draw_dumbbell, draw_spread
from reports.pdf import MUTED, ReportPDF
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
from scoring.aggregate import NO_ROLE, GroupResult, ItemStats, RoleStats
from scoring.delphi import CONSENSUS_SHARE, Shift
from scoring.groupplan import group_recommendations

TOP_PRIORITIES = 5
CONTESTED_SHOWN = 10
PERSON_METHOD = ("method_items", "method_dimensions", "method_stages", "method_index", "method_gap", "method_plan")
GROUP_METHOD = ("method_median", "method_spread", "method_contested", "method_roles", "method_plan")
ROW_LINE = 3.9  # mm per line of 8.5-point table text
STRIP = 46.0  # mm: the width of a contested question's spread bar
GAP_WIDTHS = (40.0, 42.0, 42.0, 34.0, 16.0)  # mm: dimension, higher role, lower role, the two dots, gap


@dataclass(frozen=True)
class WorkshopReportMeta:
    """What the report says about itself. ``roles`` orders the role table as the workshop lists them."""

    title: str
    organisation: str | None
    created: date
    mode: str
    facilitator: str | None = None
    logo: bytes | None = None  # a checked PNG or JPEG (see reports.images.check_logo)
    language: str = "en"
    roles: Sequence[str] = ()


@dataclass(frozen=True)
class DelphiRound:
    """A Delphi round for the report: its number and how each question moved since the first round."""

    number: int
    shifts: Sequence[Shift]


def workshop_report(
    library: Library, group: GroupResult, meta: WorkshopReportMeta, rounds: Sequence[DelphiRound] = ()
) -> bytes:
    """The whole report as PDF bytes; only the cover and a notice when the group is under k."""
    lang = meta.language
    title = meta.title.strip() or t("workshop_report.untitled", language=lang)
    pdf = ReportPDF(
        header_text=t("workshop_report.header", title=title, language=lang),
        footer_text=t("workshop_report.footer", date=meta.created.isoformat(), language=lang),
        language=lang,
    )
    shorts = short_titles(library)
    _cover(pdf, group, meta, title)
    if group.suppressed:
        return bytes(pdf.output())
    _summary(pdf, library, group, meta, shorts)
    _role_gaps(pdf, group, shorts, lang)
    _contested(pdf, group, shorts, lang)
    for delphi in rounds:
        _delphi(pdf, library, delphi, lang)
    note = t("workshop_report.blockers_note", language=lang)
    blockers_page(pdf, library, group.blockers, severity_bars_from(group, shorts), shorts, lang, note)
    _priorities(pdf, library, group, shorts, lang)
    _method(pdf, library, group.k, lang)
    return bytes(pdf.output())


def _cover(pdf: ReportPDF, group: GroupResult, meta: WorkshopReportMeta, title: str) -> None:
    lang = meta.language
    mode = t(f"report.mode_{meta.mode}", language=lang)
    lines = [meta.organisation or "", f"{mode} · {meta.created.strftime('%d %B %Y')}"]
    if meta.facilitator:
        lines.append(t("workshop_report.facilitated_by", name=meta.facilitator, language=lang))
    cover(pdf, meta.logo, t("workshop_report.kicker", language=lang), title, [line for line in lines if line])
    if group.suppressed:
        pdf.paragraph(t("workshop_report.withheld_title", language=lang), size=14, bold=True)
        pdf.paragraph(t("workshop_report.withheld_text", k=group.k, language=lang))
        pdf.paragraph(t("workshop_report.method_anonymity", k=group.k, language=lang), size=9.5, color=MUTED)
        return
    label = t("workshop_report.participants", language=lang)
    figure_box(pdf, str(group.n), label, t("workshop_report.participants_text", k=group.k, language=lang))
    cover_note(pdf, t("workshop_report.cover_note", language=lang))


def _summary(
    pdf: ReportPDF, library: Library, group: GroupResult, meta: WorkshopReportMeta, shorts: dict[str, str]
) -> None:
    lang = meta.language
    pdf.add_page()
    pdf.heading(t("workshop_report.summary", language=lang))
    if group.index is not None and group.stage is not None:
        spread = group.index
        stage = stage_title(group.stage, lang)
        pdf.paragraph(
            t("workshop_report.index_line", index=f"{spread.median:.0f}", stage=stage, language=lang), bold=True
        )
        iqr = t(
            "workshop_report.iqr_line",
            q1=f"{spread.q1:.0f}",
            q3=f"{spread.q3:.0f}",
            agreement=f"{spread.agreement:.2f}",
            language=lang,
        )
        pdf.paragraph(iqr)
        pdf.paragraph(group.stage.meaning, size=9.5, color=MUTED)
    else:
        pdf.paragraph(t("report.not_enough", language=lang))
    delivery_gap(pdf, group_gap_sentence(group.delivery_gap, lang), lang)
    if library.has_bank("strategic"):
        names = {
            "score": t("workshop_report.chart_median", language=lang),
            "target": t("chart.target", language=lang),
            "q1": t("workshop_report.chart_q1", language=lang),
            "q3": t("workshop_report.chart_q3", language=lang),
        }
        radar_block(pdf, t("results.strategic", language=lang), group_radar(group, "strategic", names, shorts))
        pdf.paragraph(t("workshop_report.radar_note", language=lang), size=8.5, color=MUTED)
    _role_table(pdf, group, meta)


def _role_name(role: str, lang: str) -> str:
    """The aggregate's own label for "no role given", in the report's language; user roles as typed."""
    return t("workshop_report.no_role", language=lang) if role == NO_ROLE else role


def _role_index(role: RoleStats, lang: str) -> str:
    """Only an unsuppressed role with an index shows a figure."""
    if role.suppressed:
        return t("workshop_report.withheld", language=lang)
    if role.n == 0:
        return "–"
    return f"{role.index:.0f}" if role.index is not None else t("results.no_score", language=lang)


def _role_table(pdf: ReportPDF, group: GroupResult, meta: WorkshopReportMeta) -> None:
    lang = meta.language
    order = {role: position for position, role in enumerate(meta.roles)}
    roles = sorted(group.roles, key=lambda r: order.get(r.role, len(order)))
    widths = (96.0, 30.0, pdf.epw - 126.0)
    pdf.keep_together(20 + 6 * len(roles))
    pdf.ln(2)
    pdf.paragraph(t("workshop_report.roles", language=lang), size=12, bold=True)
    header = [t(f"workshop_report.col_{key}", language=lang) for key in ("role", "people", "index")]
    _row(pdf, list(zip(header, widths, strict=True)), bold=True, color=MUTED)
    for role in roles:
        # A withheld role's size is withheld too: "Support function 1" would name the one person.
        people = t("workshop_report.withheld", language=lang) if role.suppressed else str(role.n)
        cells = (_role_name(role.role, lang), people, _role_index(role, lang))
        _row(pdf, list(zip(cells, widths, strict=True)))
    pdf.ln(1.5)
    pdf.paragraph(t("workshop_report.withheld_note", k=group.k, language=lang), size=8.5, color=MUTED)


def _row(
    pdf: ReportPDF, cells: Sequence[tuple[str, float]], bold: bool = False, color: str = TEXT
) -> tuple[float, float]:
    """One table row of wrapping cells, all starting at the same top; returns (top, height)."""
    pdf.style(8.5, bold=bold, color=color)
    texts = [pdf.clean(text) for text, _ in cells]
    lines = max(_lines(pdf, width - 2, text) for text, (_, width) in zip(texts, cells, strict=True))
    height = lines * ROW_LINE + 2.0
    pdf.keep_together(height)
    top, x = pdf.get_y(), pdf.l_margin
    for text, (_, width) in zip(texts, cells, strict=True):
        pdf.set_xy(x, top + 1.0)
        pdf.multi_cell(width - 2, ROW_LINE, text, align="L")
        x += width
    pdf.set_y(top + height)
    pdf.set_line_width(0.15)
    pdf.line(pdf.l_margin, top + height, pdf.l_margin + sum(w for _, w in cells), top + height)
    return top, height


def _lines(pdf: ReportPDF, width: float, text: str) -> int:
    """How many lines ``text`` wraps to in a cell ``width`` wide, in the current font."""
    lines = pdf.multi_cell(width, ROW_LINE, text, dry_run=True, output=MethodReturnValue.LINES)
    return len(lines) if isinstance(lines, list) else 1


def _role_gaps(pdf: ReportPDF, group: GroupResult, shorts: dict[str, str], lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("workshop_report.role_gaps", language=lang))
    pdf.paragraph(t("workshop_report.role_gaps_intro", language=lang))
    spec = role_gap_pairs(group, shorts)
    if spec.rows:
        track = pdf.l_margin + sum(GAP_WIDTHS[:3])
        head = [t(f"workshop_report.col_{key}", language=lang) for key in ("dimension", "higher", "lower", "gap")]
        top, height = _row(pdf, list(zip([*head[:3], "", head[3]], GAP_WIDTHS, strict=True)), bold=True, color=MUTED)
        pdf.style(6.5, color=MUTED)
        pdf.place(track, top + height - 1.2, "0")
        pdf.place(track + GAP_WIDTHS[3] - 6, top + height - 1.2, "100")
        for row in spec.rows:
            cells = (row.label, _role_value(row.high_role, row.high, lang), _role_value(row.low_role, row.low, lang))
            top, height = _row(pdf, list(zip([*cells, "", f"{row.gap:.0f}"], GAP_WIDTHS, strict=True)))
            draw_dumbbell(pdf, spec, row, track, top + height / 2, GAP_WIDTHS[3] - 4)
        pdf.ln(2)
    else:
        pdf.paragraph(t("workshop_report.no_role_gaps", k=group.k, language=lang), bold=True)
    pdf.paragraph(t("workshop_report.withheld_note", k=group.k, language=lang), size=8.5, color=MUTED)


def _role_value(role: str, value: float, lang: str) -> str:
    return t("workshop_report.role_value", role=_role_name(role, lang), value=f"{value:.0f}", language=lang)


def _contested(pdf: ReportPDF, group: GroupResult, shorts: dict[str, str], lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("workshop_report.contested", language=lang))
    pdf.paragraph(t("workshop_report.contested_intro", language=lang))
    items = group.contested[:CONTESTED_SHOWN]
    if not items:
        pdf.paragraph(t("workshop_report.no_contested", k=group.k, language=lang), bold=True)
    for rank, item in enumerate(items, start=1):
        _contested_item(pdf, rank, item, shorts, lang)


def _delphi(pdf: ReportPDF, library: Library, delphi: DelphiRound, lang: str) -> None:
    """Both rounds side by side for each question asked again, and whether the group converged."""
    pdf.add_page()
    pdf.heading(t("delphi.round", number=delphi.number, language=lang))
    pdf.paragraph(t("delphi.text", share=percent(CONSENSUS_SHARE, lang), language=lang))
    widths = (62.0, 44.0, 44.0, pdf.epw - 150.0)
    head = (
        t("delphi.col_question", language=lang),
        t("delphi.col_round", number=1, language=lang),
        t("delphi.col_round", number=delphi.number, language=lang),
        t("delphi.col_consensus", language=lang),
    )
    _row(pdf, list(zip(head, widths, strict=True)), bold=True, color=MUTED)
    for result in delphi.shifts:
        ref = library.items.get(result.item_id)
        cells = (
            ref.item.text if ref is not None else result.item_id,
            round_figures(result.first, lang),
            round_figures(result.later, lang),
            consensus(result, lang),
        )
        _row(pdf, list(zip(cells, widths, strict=True)))


def _contested_item(pdf: ReportPDF, rank: int, item: ItemStats, shorts: dict[str, str], lang: str) -> None:
    """The question, its figures and, on the right, the middle half of its answers and the median."""
    spread = item.spread
    assert spread is not None  # the aggregate lists only questions answered by at least k people
    pdf.keep_together(22)
    pdf.rule(gap=2)
    top = pdf.get_y()
    width = pdf.epw - STRIP - 6
    pdf.style(9.5, bold=True)
    pdf.multi_cell(width, 4.8, pdf.clean(f"{rank}. {item.text}"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    line = t(
        "workshop_report.contested_line",
        dimension=shorts[item.dimension],
        median=f"{spread.median:.0f}",
        q1=f"{spread.q1:.0f}",
        q3=f"{spread.q3:.0f}",
        agreement=f"{spread.agreement:.2f}",
        n=item.n,
        language=lang,
    )
    pdf.style(8.5, color=MUTED)
    pdf.multi_cell(width, 4.2, pdf.clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if item.split:
        pdf.style(8.5, bold=True, color=TARGET)
        pdf.multi_cell(
            width, 4.2, pdf.clean(t("workshop_report.split", language=lang)), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    bottom = pdf.get_y()
    draw_spread(pdf, spread.q1, spread.median, spread.q3, pdf.w - pdf.r_margin - STRIP, top + 3, STRIP)
    pdf.set_y(max(bottom, top + 12) + 1.5)


def _priorities(pdf: ReportPDF, library: Library, group: GroupResult, shorts: dict[str, str], lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("workshop_report.priorities", language=lang))
    pdf.paragraph(t("workshop_report.priorities_intro", language=lang))
    cards = priority_cards(library, group_recommendations(library, group), lang)[:TOP_PRIORITIES]
    if not cards:
        pdf.paragraph(t("results.plan_empty", language=lang))
    for card in cards:
        pdf.keep_together(62)
        pdf.rule(gap=2)
        priority(pdf, card.rank, f"{card.area}: {card.title}", card.situation, f"{card.why} {card.next}")
        plan_actions(pdf, card)
        pdf.ln(2)


def _method(pdf: ReportPDF, library: Library, k: int, lang: str) -> None:
    pdf.add_page()
    pdf.heading(t("report.method", language=lang))
    pdf.paragraph(t("workshop_report.method_group", language=lang), size=12, bold=True)
    for key in GROUP_METHOD:
        pdf.paragraph(t(f"workshop_report.{key}", language=lang), size=9.5)
    for key in ("method_anonymity", "method_complementary"):
        pdf.paragraph(t(f"workshop_report.{key}", k=k, language=lang), size=9.5)
    pdf.paragraph(t("workshop_report.method_person", language=lang), size=12, bold=True)
    method_paragraphs(pdf, library, lang, PERSON_METHOD)
    sources(pdf, library, lang)
