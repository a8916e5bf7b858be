"""Pieces the executive and the workshop report share, so the two keep one look.

The cover, the shaded figure box, a radar with its heading, a ranked priority, a 30/60/90-day
plan, the blockers page and the method appendix are drawn here once; each report only decides
what goes into them. Everything is written through :meth:`ReportPDF.clean` (via ``paragraph``
and friends), so user and bank text stays text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from fpdf.enums import XPos, YPos

from charts.spec import SCORE, Bars, Radar
from i18n import t
from presentation.story import PriorityCard
from presentation.words import source_citation
from questions.library import Library
from reports.drawing import draw_bars, draw_radar
from reports.pdf import MUTED, ReportPDF, rgb

WORST_BLOCKERS = 3
METHOD_KEYS = (
    "method_items",
    "method_dimensions",
    "method_stages",
    "method_index",
    "method_gap",
    "method_plan",
    "method_flags",
)


class Blocker(Protocol):
    """A scored blocker, from one person's result or from a group's medians."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def severity(self) -> float | None: ...


def cover(pdf: ReportPDF, logo: bytes | None, kicker: str, name: str, lines: Iterable[str]) -> None:
    """A new first page: the colour band, the logo top right, a kicker, the name large, then details."""
    pdf.add_page()
    pdf.set_fill_color(*rgb(SCORE))
    pdf.rect(0, 0, pdf.w, 10, style="F")
    if logo:
        pdf.image(io.BytesIO(logo), x=pdf.w - pdf.r_margin - 40, y=18, h=20, keep_aspect_ratio=True, w=40)
    pdf.set_y(70)
    pdf.paragraph(kicker, size=13, color=MUTED, align="L")
    pdf.paragraph(name, size=26, bold=True, gap=4, align="L")
    for line in lines:
        pdf.paragraph(line, size=11, color=MUTED, align="L")
    pdf.ln(14)


def figure_box(pdf: ReportPDF, figure: str, label: str, text: str) -> None:
    """A shaded box with one large figure, its label in bold and a sentence or two beside it."""
    top = pdf.get_y()
    pdf.set_fill_color(242, 245, 249)
    pdf.rect(pdf.l_margin, top, pdf.w - pdf.l_margin - pdf.r_margin, 34, style="F")
    pdf.set_xy(pdf.l_margin + 6, top + 5)
    pdf.style(30, bold=True, color=SCORE)
    pdf.cell(30, 14, pdf.clean(figure))
    pdf.set_xy(pdf.l_margin + 38, top + 5)
    pdf.style(11, bold=True)
    pdf.cell(0, 6, pdf.clean(label), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + 38)
    pdf.style(10)
    pdf.text_block(pdf.w - pdf.r_margin - pdf.l_margin - 44, 5, pdf.clean(text))


def cover_note(pdf: ReportPDF, text: str) -> None:
    """The small print at the foot of the cover."""
    pdf.set_y(pdf.h - 45)
    pdf.paragraph(text, size=8.5, color=MUTED)


def delivery_gap(pdf: ReportPDF, sentence: str | None, lang: str) -> None:
    """The delivery gap in one sentence, with the 80%/8% figure; nothing when there is no gap."""
    if sentence is None:
        return
    pdf.paragraph(f"{t('results.gap_title', language=lang)} {sentence} {t('story.gap_benchmark', language=lang)}")


def radar_block(pdf: ReportPDF, title: str, spec: Radar) -> None:
    """A titled radar with its legend, on one page (110 mm tall)."""
    pdf.keep_together(115)
    pdf.paragraph(title, size=12, bold=True)
    top = pdf.get_y()
    draw_radar(pdf, spec, pdf.w / 2, top + 50, 40)
    pdf.set_y(top + 110)


def priority(pdf: ReportPDF, rank: int, title: str, meta: str, text: str) -> None:
    """One ranked priority: "1. Title", where it stands, and what it leads to."""
    pdf.paragraph(f"{rank}. {title}", size=10.5, bold=True, gap=0.5)
    pdf.paragraph(meta, size=8.5, color=MUTED, gap=0.5)
    pdf.paragraph(text, size=9.5, gap=2.5)


def plan_actions(pdf: ReportPDF, card: PriorityCard) -> None:
    """The 30/60/90-day actions of a priority, the steps already in place and the KPI to watch."""
    pdf.labelled_bullets((a.days_text, a.title, a.detail) for a in card.actions)
    if card.in_place:
        pdf.paragraph(card.in_place, size=9, color=MUTED)
    pdf.paragraph(card.kpi, size=9, color=MUTED)


def blockers_page(
    pdf: ReportPDF,
    library: Library,
    blockers: Sequence[Blocker],
    bars: Bars,
    shorts: Mapping[str, str],
    lang: str,
    note: str | None = None,
    worded: Mapping[str, str] | None = None,
) -> None:
    """Severity bars for every blocker, then what the worst ones cost and what they undermine.

    ``worded`` gives each blocker's severity in the story's words (one person's report), so the
    page says it as the screen does.
    """
    if not blockers:
        return
    pdf.add_page()
    pdf.heading(t("results.blockers", language=lang))
    pdf.paragraph(t("report.blockers_intro", language=lang))
    if note:
        pdf.paragraph(note, size=9, color=MUTED)
    draw_bars(pdf, bars, t("results.no_score", language=lang))
    worst = [b for b in blockers if b.severity is not None][:WORST_BLOCKERS]
    if not worst:
        return
    pdf.paragraph(t("report.worst_blockers", language=lang), size=12, bold=True)
    for blocker in worst:
        dimension = library.dimensions[blocker.id][1]
        pdf.keep_together(30)
        severity = blocker.severity or 0.0
        words = (worded or {}).get(blocker.id) or t("report.severity", value=f"{severity:.0f}", language=lang)
        pdf.paragraph(f"{blocker.title} · {words}", bold=True, gap=0.5)
        pdf.paragraph(t("report.costs", why=dimension.why, language=lang), size=9.5, gap=0.5)
        undermines = [shorts[target] for target in library.undermines.get(blocker.id, ())]
        if undermines:
            pdf.paragraph(t("report.undermines", names=", ".join(undermines), language=lang), size=8.5, color=MUTED)
        pdf.ln(1.5)


def method_paragraphs(pdf: ReportPDF, library: Library, lang: str, keys: Sequence[str] = METHOD_KEYS) -> None:
    """How one assessment is scored, with the library's own settings filled in."""
    weights = ", ".join(
        f"{library.bank(b).title} {w:g}" for b, w in library.framework.index.weights.items() if library.has_bank(b)
    )
    for key in keys:
        pdf.paragraph(
            t(
                f"report.{key}",
                coverage=f"{library.framework.min_coverage:.0%}",
                weights=weights,
                margin=f"{library.framework.aligned_within.full:g}",
                margin_quick=f"{library.framework.aligned_within.quick:g}",
                target=f"{library.framework.default_target:g}",
                weakest=f"{library.framework.weakest_margin:g}",
                language=lang,
            ),
            size=9.5,
        )


def sources(pdf: ReportPDF, library: Library, lang: str, answered_under: Mapping[str, str] | None = None) -> None:
    """The sources the banks cite, as they can be cited, and the bank versions behind the figures."""
    pdf.paragraph(t("report.sources", language=lang), size=12, bold=True)
    pdf.bullets(source_citation(key, source, lang) for key, source in sorted(library.sources.items()))
    versions = ", ".join(f"{bank.id} {bank.version}" for bank in library.banks)
    pdf.paragraph(t("report.versions", versions=versions, language=lang), size=8.5, color=MUTED)
    if answered_under and dict(answered_under) != library.versions:
        under = ", ".join(f"{bank} {version}" for bank, version in sorted(answered_under.items()))
        pdf.paragraph(t("report.answered_under", versions=under, language=lang), size=8.5, color=MUTED)
