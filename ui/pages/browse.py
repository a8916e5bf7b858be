"""Browse the question banks: dimensions, items, scales, recommendations, sources."""

from __future__ import annotations

from functools import partial

import streamlit as st

from presentation.words import sentence_part
from questions.library import ItemRef, Library, option_labels
from questions.model import Bank, Dimension
from ui import routes
from ui.data import library as load
from ui.lang import t
from ui.text import plain


def render() -> None:
    token = routes.current_token()
    if token:  # opened from an assessment: the way back stays in sight
        st.page_link(
            routes.assess(),
            label=t("browse.back"),
            icon=":material/arrow_back:",
            query_params={routes.TOKEN_PARAM: token},
        )
    st.title(t("browse.title"))
    st.caption(t("browse.intro"))
    loaded = load()
    if loaded.problems:
        st.warning(t("browse.problems", count=len(loaded.problems)))
        with st.expander(t("browse.problems_detail")):
            st.code("\n".join(str(p) for p in loaded.problems), language=None, wrap_lines=True)
    if loaded.library is None or not loaded.library.banks:
        st.error(t("browse.no_library"))
        return
    library = loaded.library
    _summary(library)
    banks_tab, scales_tab, map_tab, sources_tab = st.tabs(
        [t("browse.tab_banks"), t("browse.tab_scales"), t("browse.tab_crossmap"), t("browse.tab_sources")]
    )
    with banks_tab:
        _banks(library)
    with scales_tab:
        _scales(library)
    with map_tab:
        _crossmap(library)
    with sources_tab:
        _sources(library)


def _summary(library: Library) -> None:
    columns = st.columns(4)
    columns[0].metric(t("browse.metric_banks"), len(library.banks))
    columns[1].metric(t("browse.metric_dimensions"), len(library.dimensions))
    columns[2].metric(t("browse.metric_items"), len(library.items))
    columns[3].metric(t("browse.metric_quick"), library.count("quick"))


def _banks(library: Library) -> None:
    titles = {bank.id: bank.title for bank in library.banks}
    chosen = st.segmented_control(
        t("browse.bank"),
        list(titles),
        format_func=partial(_label, titles),
        default=library.banks[0].id,
        key="browse_bank",
    )
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    search = left.text_input(t("browse.search"), placeholder=t("browse.search_hint"), key="browse_search")
    quick_only = right.toggle(t("browse.quick_only"), key="browse_quick")
    bank = library.bank(chosen or library.banks[0].id)
    st.write(plain(bank.description))
    if bank.stages:
        st.caption(t("browse.stages") + " · ".join(f"{s.level} {plain(s.name)} (≥ {s.min:g})" for s in bank.stages))
    needle = search.strip().lower()
    shown = 0
    for dimension in bank.dimensions:
        refs = [
            library.items[item.id]
            for item in dimension.items
            if (not quick_only or item.core) and (not needle or needle in _haystack(dimension, library.items[item.id]))
        ]
        if refs:
            shown += 1
            _dimension(library, bank, dimension, refs)
    if not shown:
        st.info(t("browse.nothing_found"))


def _label(labels: dict[str, str], key: str) -> str:
    # A module-level function (with functools.partial) rather than a lambda: widget settings
    # must survive pickling, since session state is enforced to be serialisable.
    return plain(labels[key])


def _haystack(dimension: Dimension, ref: ItemRef) -> str:
    return " ".join([dimension.id, dimension.title, ref.item.id, ref.item.text, ref.item.help or ""]).lower()


def _dimension(library: Library, bank: Bank, dimension: Dimension, refs: list[ItemRef]) -> None:
    label = f"{plain(dimension.title)} · {t('browse.items_count', count=len(refs))}"
    with st.expander(label):
        if dimension.question:
            st.markdown(f"*{plain(dimension.question)}*")
        st.write(plain(dimension.why))
        st.caption(t("browse.dimension_meta", id=dimension.id, tier=dimension.tier, source=dimension.source))
        for ref in refs:
            _item(ref)
        if dimension.recommendations:
            st.markdown(f"**{t('browse.recommendations')}**")
            stages = {s.level: s for s in library.stages_of(bank)}
            tabs = st.tabs([f"{r.stage} · {plain(stages[r.stage].name)}" for r in dimension.recommendations])
            for tab, rec in zip(tabs, dimension.recommendations, strict=True):
                with tab:
                    st.markdown(f"**{plain(rec.title)}**")
                    st.write(plain(rec.next))
                    for action in rec.actions:
                        st.markdown(
                            f"- **{t('browse.days', days=action.days)}** {plain(action.title)}: {plain(action.detail)}"
                        )
                    st.caption(
                        t(
                            "browse.kpi",
                            kpi=plain(sentence_part(dimension.kpi or "")),
                            target=plain(sentence_part(rec.kpi_target)),
                        )
                    )


def _item(ref: ItemRef) -> None:
    item = ref.item
    with st.container(border=True):
        st.markdown(f"**{plain(item.text)}**")
        flags = [item.id, f"{item.scale}"]
        if item.core:
            flags.append(t("browse.flag_core"))
        if item.reverse:
            flags.append(t("browse.flag_reverse"))
        if ref.weight != 1:
            flags.append(t("browse.flag_weight", weight=f"{ref.weight:g}"))
        if item.kind != "rating":
            flags.append(item.kind)
        flags.append(t("browse.flag_source", source=item.source))
        st.caption(" · ".join(plain(flag) for flag in flags))
        options = option_labels(ref)
        if ref.scale.type in ("anchored", "bipolar"):
            st.markdown("\n".join(f"{value}. {plain(label)}" for value, label in options))
        else:
            st.caption(" · ".join(f"{value} {plain(label)}" for value, label in options))
        if item.help:
            st.markdown(f"{t('browse.why')} {plain(item.help)}")
        if item.evidence:
            st.markdown(f"{t('browse.evidence')} {plain(item.evidence)}")
        if item.benchmark:
            st.info(f"**{plain(item.benchmark.figure)}** · {plain(item.benchmark.text)}", icon=":material/insights:")


def _scales(library: Library) -> None:
    st.caption(t("browse.scales_intro"))
    rows = [
        {
            t("browse.col_scale"): name,
            t("browse.col_title"): scale.title,
            t("browse.col_type"): scale.type,
            t("browse.col_options"): " · ".join(f"{o.value} {o.label}" for o in scale.options),
        }
        for name, scale in library.scales.items()
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _crossmap(library: Library) -> None:
    st.caption(t("browse.crossmap_intro"))
    rows = [
        {
            t("browse.col_blocker"): library.dimensions[blocker][1].title,
            t("browse.col_undermines"): " · ".join(library.dimensions[target][1].title for target in targets),
        }
        for blocker, targets in library.undermines.items()
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _sources(library: Library) -> None:
    st.caption(t("browse.sources_intro"))
    for source_id, source in library.sources.items():
        cited = sum(1 for ref in library.items.values() if ref.item.source == source_id)
        st.markdown(f"**{source_id} · {plain(source.title)}** ({plain(source.language)})")
        st.write(plain(source.summary))
        st.caption(t("browse.cited", count=cited))
