"""Consistency of the shipped banks: the content keeps the promises the product makes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questions.library import Library
from questions.loader import DEFAULT_ROOT
from questions.schemas import SCHEMA_DIR, SCHEMAS, render

SOURCES = {"000", "001", "002", "003", "004"}


def test_shipped_banks_are_valid(shipped: Library) -> None:
    assert [bank.id for bank in shipped.banks] == ["strategic", "blockers", "practices", "perception"]


def test_ten_strategic_questions_in_order(shipped: Library) -> None:
    bank = shipped.bank("strategic")
    assert [d.code for d in bank.dimensions] == [f"S{n:02d}" for n in range(1, 11)]
    assert all(3 <= len(d.items) <= 5 for d in bank.dimensions)
    assert sum(len(d.items) for d in bank.dimensions) >= 35
    for dimension in bank.dimensions:
        assert any(shipped.scales[i.scale].type == "anchored" for i in dimension.items), dimension.id
    # The source's own dilemma at the moment of truth, with two sound poles.
    moment = shipped.items["S01-moment-of-truth"].item
    assert moment.poles is not None and moment.poles.low and moment.poles.high


def test_nine_blockers_lower_health_when_present(shipped: Library) -> None:
    bank = shipped.bank("blockers")
    assert bank.kind == "blocker"
    assert [d.code for d in bank.dimensions] == [f"B{n:02d}" for n in range(1, 10)]
    for dimension in bank.dimensions:
        assert 3 <= len(dimension.items) <= 5
    # Blocker 2's own condition, little or no customer data, is asked in the quick scan.
    cadence = shipped.items["B02-data-cadence"]
    assert cadence.item.core and cadence.item.scale == "cadence5" and not cadence.item.reverse


def test_frequency_scales_are_kept_for_things_that_recur(shipped: Library) -> None:
    """Items on the never..always scale describe events ("when X happens, Y"), not states."""
    for ref in shipped.items.values():
        if ref.item.scale == "describes5":
            assert re.match(r"^(When|Whenever|If|After|How often)\b", ref.item.text), ref.item.id


def test_practices_cover_the_required_topics(shipped: Library) -> None:
    titles = " ".join(d.id for d in shipped.bank("practices").dimensions)
    for topic in (
        "feedback",
        "closeness",
        "everyone-serves",
        "advocacy",
        "price",
        "ownership",
        "empathy",
        "profiles",
        "complaints",
        "paradigm",
    ):
        assert topic in titles


def test_self_image_items_feed_the_delivery_gap(shipped: Library) -> None:
    items = [i for d in shipped.bank("perception").dimensions for i in d.items]
    assert [i.kind for i in items] == ["self_rating", "self_estimate"] and all(i.core for i in items)
    assert shipped.scales[items[0].scale].values == tuple(range(11))  # the 0-10 self-rating: × 10 on 0-100


def test_quick_scan_size(shipped: Library) -> None:
    assert 40 <= shipped.count("quick") <= 56
    for bank in shipped.banks:
        if bank.kind == "perception":
            continue
        for dimension in bank.dimensions:
            core = sum(i.core for i in dimension.items)
            assert core == 0 or core >= shipped.framework.min_answers_for_stage, dimension.id
    # Every strategic question and every blocker is staged by the quick scan.
    for bank_id in ("strategic", "blockers"):
        assert all(any(i.core for i in d.items) for d in shipped.bank(bank_id).dimensions), bank_id


def test_every_dimension_has_a_plan_for_every_stage(shipped: Library) -> None:
    for bank in shipped.banks:
        if bank.kind == "perception":
            continue
        for dimension in bank.dimensions:
            assert dimension.kpi, dimension.id
            assert sorted(r.stage for r in dimension.recommendations) == [1, 2, 3, 4, 5], dimension.id
            for rec in dimension.recommendations:
                assert {a.days for a in rec.actions} == {30, 60, 90}, (dimension.id, rec.stage)
                assert rec.kpi_target, (dimension.id, rec.stage)


def test_every_item_is_addressed_by_some_action(shipped: Library) -> None:
    for bank in shipped.banks:
        for dimension in bank.dimensions:
            addressed = {i for r in dimension.recommendations for a in r.actions for i in a.addresses}
            if bank.kind != "perception":
                assert {i.id for i in dimension.items} <= addressed, dimension.id


def test_stage_five_plans_are_not_all_about_partners(shipped: Library) -> None:
    plans = [r for b in shipped.banks for d in b.dimensions for r in d.recommendations if r.stage == 5]
    partners = [r.title for r in plans if "partner" in (r.title + r.next).lower()]
    assert len(partners) <= len(plans) // 4, partners


def test_retired_ids_are_never_reused(shipped: Library) -> None:
    assert shipped.retired and not set(shipped.retired) & set(shipped.items)
    for bank_id in ("strategic", "blockers", "practices", "perception"):
        assert shipped.bank(bank_id).version == "2.0.0"


def test_the_five_sources_are_described(shipped: Library) -> None:
    assert set(shipped.sources) == SOURCES


def test_items_are_complete_and_cite_their_source(shipped: Library) -> None:
    for ref in shipped.items.values():
        item = ref.item
        assert item.source in SOURCES
        assert item.help, item.id
        if item.kind == "rating":
            assert item.evidence, item.id
        if item.benchmark:
            assert item.benchmark.source in SOURCES


def test_benchmark_figures_from_the_sources_are_shown(shipped: Library) -> None:
    figures = {ref.item.benchmark.figure for ref in shipped.items.values() if ref.item.benchmark}
    for figure in ("32%", "42%", "60%", "46%", "37%", "80% vs 8%", "1 in 26", "85/15"):
        assert figure in figures
    for ref in shipped.items.values():
        benchmark = ref.item.benchmark
        if benchmark is not None:
            assert benchmark.by and benchmark.kind in ("survey", "rule_of_thumb"), ref.item.id
    rules = {
        ref.item.benchmark.figure
        for ref in shipped.items.values()
        if ref.item.benchmark and ref.item.benchmark.kind == "rule_of_thumb"
    }
    assert rules == {"85/15", "1 in 26"}


def test_bains_eight_percent_is_a_share_of_companies(shipped: Library) -> None:
    """The source: 80% of companies believe they deliver superior service; 8% of companies do."""
    bain = next(
        r.item.benchmark for r in shipped.items.values() if r.item.benchmark and "8%" in r.item.benchmark.figure
    )
    assert "8% of companies" in " ".join(bain.text.split())
    assert "customers agree" not in bain.text
    everywhere = (DEFAULT_ROOT.parent / "README.md").read_text(encoding="utf-8") + (
        DEFAULT_ROOT / "sources.yaml"
    ).read_text(encoding="utf-8")
    assert "of their customers agree" not in everywhere


def test_every_strategic_question_is_undermined_by_some_blocker(shipped: Library) -> None:
    for dimension in shipped.bank("strategic").dimensions:
        assert shipped.undermined_by(dimension.id), dimension.id


def test_contradiction_pairs_are_true_opposites(shipped: Library) -> None:
    """A pair is flagged when its keyed answers are far apart: only items on one construct, in
    one dimension and worded in opposite directions, can contradict each other."""
    assert shipped.pairs
    for first, second in shipped.pairs:
        a, b = shipped.items[first], shipped.items[second]
        assert a.dimension.id == b.dimension.id and a.item.reverse != b.item.reverse, (first, second)


@pytest.mark.parametrize("path", sorted((DEFAULT_ROOT / "banks").glob("*.yaml")), ids=lambda p: p.name)
def test_bank_files_carry_the_schema_header(path: Path) -> None:
    assert (
        path.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=../schema/bank.schema.json"
    )


@pytest.mark.parametrize("name", ["scales", "framework", "crossmap", "sources"])
def test_top_files_carry_the_schema_header(name: str) -> None:
    first = (DEFAULT_ROOT / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=schema/{name}.schema.json"


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_json_schemas_are_up_to_date(name: str) -> None:
    stored = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    assert stored == render(name), "run: python -m questions.schemas"


def test_item_texts_are_single_statements(shipped: Library) -> None:
    for ref in shipped.items.values():
        assert len(ref.item.text.split()) <= 30, ref.item.id
        assert not re.search(r"!\s*$", ref.item.text), ref.item.id
