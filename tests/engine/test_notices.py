"""Notices kept as arrays read back as the notices they stand for, in the order recorded."""

from __future__ import annotations

import numpy as np

from esgledger.engine.lineage import Diagnostic
from esgledger.engine.notices import CellNotices, Notices


def block(indicator: str = "ghg.scope1_anode_co2") -> CellNotices:
    cells = (np.array(["F1", "F2"], dtype=object), np.array(["2024-01", "2024-03"], dtype=object))
    values = {"count": np.array([3, 4]), "denominator": np.array(["a", "b"], dtype=object)}
    return CellNotices(indicator, cells, values, "engine_notice.no_denominator", {})


def said(count: int, denominator: str) -> str:
    return Diagnostic.coded(
        "x", "F", "2024", "engine_notice.no_denominator", count=count, denominator=denominator
    ).message


def test_a_block_reads_as_one_notice_per_cell_with_its_own_entity_period_and_values():
    first, second = list(block())
    assert (first.entity, first.period, first.message) == ("F1", "2024-01", said(3, "a"))
    assert (second.entity, second.period, second.message) == ("F2", "2024-03", said(4, "b"))
    assert first.text("zh").startswith("3 个单元格留空：a 为零或未报告")


def test_notices_keep_the_order_recorded_and_count_every_cell():
    first = Diagnostic("energy.total", "F1", "2024", "left empty")
    notices = Notices()
    notices.append(first)
    notices.extend(block())
    notices.extend([Diagnostic("energy.total", "F2", "2024", "substituted")])
    assert len(notices) == 4
    assert [d.entity for d in notices] == ["F1", "F1", "F2", "F2"]
    assert next(iter(notices)).message == "left empty"


def test_the_notices_of_one_indicator_skip_other_blocks_and_sums_join_both_sides():
    notices = Notices([block("a"), Diagnostic("b", "F1", "2024", "x"), block("b")])
    assert [d.message for d in notices.of("b")] == ["x", said(3, "a"), said(4, "b")]
    joined = notices + Notices([Diagnostic("c", "F9", "2024", "y")])
    assert len(joined) == 6 and list(joined)[-1].entity == "F9"
    assert not Notices() and Notices([block()])


def test_whom_a_notice_is_about_reads_in_the_readers_language():
    about_region = Diagnostic("energy.total", "region north", "2024", "m")
    assert about_region.who("zh") == "电网区域 north" and about_region.who("en") == "region north"
    assert Diagnostic("energy.total", "every entity", "2024", "m").who("zh") == "所有单位"
    assert Diagnostic("energy.total", "SMELT", "2024", "m").who("zh") == "SMELT"
    assert str(about_region) == "energy.total for region north 2024: m"
