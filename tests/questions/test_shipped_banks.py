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
    for dilemma in ("S01", "S02", "S07"):
        dimension = next(d for d in bank.dimensions if d.code == dilemma)
        assert any(shipped.scales[i.scale].type == "bipolar" for i in dimension.items), dilemma


def test_nine_blockers_lower_health_when_present(shipped: Library) -> None:
    bank = shipped.bank("blockers")
    assert bank.kind == "blocker"
    assert [d.code for d in bank.dimensions] == [f"B{n:02d}" for n in range(1, 10)]
    for dimension in bank.dimensions:
        assert 2 <= len(dimension.items) <= 4
        assert all(i.scale == "describes5" for i in dimension.items)
        assert sum(i.reverse for i in dimension.items) >= len(dimension.items) - 1, dimension.id


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
    assert items and all(i.kind == "self_rating" and i.core for i in items)


def test_quick_scan_size(shipped: Library) -> None:
    assert 35 <= shipped.count("quick") <= 50
    for bank in shipped.banks:
        for dimension in bank.dimensions:
            assert any(i.core for i in dimension.items), dimension.id


def test_every_dimension_has_a_plan_for_every_stage(shipped: Library) -> None:
    for bank in shipped.banks:
        if bank.kind == "perception":
            continue
        for dimension in bank.dimensions:
            assert sorted(r.stage for r in dimension.recommendations) == [1, 2, 3, 4, 5], dimension.id
            for rec in dimension.recommendations:
                assert {a.days for a in rec.actions} == {30, 60, 90}, (dimension.id, rec.stage)


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
    for figure in ("32%", "42%", "60%", "46%", "37%", "80% vs 8%", "1 in 26", "85%"):
        assert figure in figures


def test_every_strategic_question_is_undermined_by_some_blocker(shipped: Library) -> None:
    for dimension in shipped.bank("strategic").dimensions:
        assert shipped.undermined_by(dimension.id), dimension.id


def test_pairs_exist_for_consistency_flags(shipped: Library) -> None:
    assert len(shipped.pairs) >= 5


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
