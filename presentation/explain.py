"""How each number was reached, in words: the maths one click away and in the method appendix.

The engine keeps every term of its formulas; these functions put the terms into sentences in
the reader's language.
"""

from __future__ import annotations

from i18n import number, signed, t
from questions.library import Library
from scoring.results import DeliveryGap, DimensionScore, Flag, IndexWithheld, RecommendationResult, Result


def _n(value: float, lang: str, digits: int = 0) -> str:
    return number(value, lang, digits)


def dimension_maths(library: Library, dimension: DimensionScore, lang: str) -> str:
    """How a dimension's score (and a blocker's severity) was computed."""
    framework = library.framework
    text = t(
        "maths.dimension",
        score=_n(dimension.score, lang) if dimension.score is not None else "–",
        count=dimension.answered,
        asked=dimension.asked,
        required=dimension.required,
        staged=framework.min_answers_for_stage,
        language=lang,
    )
    if dimension.kind == "blocker" and dimension.severity is not None:
        text += " " + t("maths.severity", severity=_n(dimension.severity, lang), language=lang)
    return text


def index_maths(library: Library, result: Result, lang: str) -> str:
    """The index as the weighted mean of its bank scores, with the terms filled in."""
    counted = [b for b in result.banks if b.weight > 0 and b.score is not None]
    if not counted or result.index is None:
        return t("maths.index_none", language=lang)
    terms = " + ".join(
        t("maths.index_term", bank=b.title, score=_n(b.score or 0, lang), weight=_n(b.weight, lang, 1), language=lang)
        for b in counted
    )
    total = _n(sum(b.weight for b in counted), lang, 1)
    return t("maths.index", index=_n(result.index, lang), terms=terms, total=total, language=lang)


def priority_maths(recommendation: RecommendationResult, lang: str) -> str:
    """priority = gap × (1 + severity / 100), with its terms and what the severity is."""
    basis = t(f"maths.basis_{recommendation.severity_basis}", language=lang)
    text = t(
        "maths.priority",
        priority=_n(recommendation.priority, lang, 1),
        gap=_n(recommendation.gap, lang),
        target=_n(recommendation.target, lang),
        score=_n(recommendation.score, lang),
        severity=_n(recommendation.severity, lang),
        basis=basis,
        language=lang,
    )
    if recommendation.weakest_first:
        text += " " + t("maths.weakest_first", language=lang)
    return text


def gap_maths(gap: DeliveryGap, mode: str, lang: str) -> str:
    """self-image − index, and why the band is as wide as it is."""
    if gap.self_rating is None or gap.evidence is None or gap.gap is None:
        return t("maths.gap_none", language=lang)
    return t(
        "maths.gap",
        self=_n(gap.self_rating, lang),
        evidence=_n(gap.evidence, lang),
        gap=signed(gap.gap, lang),
        band=_n(gap.band, lang),
        mode=t(f"report.mode_{mode}", language=lang).lower(),
        language=lang,
    )


def withheld_text(withheld: IndexWithheld, lang: str) -> str:
    """Why there is no index, and how to get one."""
    return t(f"story.withheld_{withheld.kind}", count=withheld.count, of=withheld.of, language=lang)


def flag_text(library: Library, flag: Flag, lang: str) -> str:
    """A flag said gently: what was noticed and why it is worth a second look."""
    if flag.kind == "identical_section" and flag.dimension is not None:
        title = library.dimensions[flag.dimension][1].title
        if flag.mixed:
            return t("flags.identical_mixed", count=flag.count or 0, dimension=title, language=lang)
        return t("flags.identical_same", count=flag.count or 0, dimension=title, language=lang)
    if flag.kind == "contradiction" and len(flag.items) == 2:
        first, second = (library.items[item].item.text for item in flag.items)
        return t("flags.contradiction", first=first, second=second, language=lang)
    return t(f"story.withheld_{flag.kind}", count=flag.count or 0, of=flag.of or 0, language=lang)
