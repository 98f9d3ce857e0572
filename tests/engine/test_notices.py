"""Notices kept as arrays read back as the notices they stand for, in the order recorded."""

from __future__ import annotations

import numpy as np

from esgledger.engine.lineage import Diagnostic
from esgledger.engine.notices import CellNotices, Notices


def block(indicator: str = "ghg.scope1_anode_co2") -> CellNotices:
    cells = (np.array(["F1", "F2"], dtype=object), np.array(["2024-01", "2024-03"], dtype=object))
    values = (np.array([3.5, 4.25]), np.array([0.1, 0.2]))
    return CellNotices(indicator, cells, values, lambda v, low: f"{v:g} is above {low:g}")


def test_a_block_reads_as_one_notice_per_cell_with_its_own_entity_period_and_values():
    assert list(block()) == [
        Diagnostic("ghg.scope1_anode_co2", "F1", "2024-01", "3.5 is above 0.1"),
        Diagnostic("ghg.scope1_anode_co2", "F2", "2024-03", "4.25 is above 0.2"),
    ]


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
    assert [d.message for d in notices.of("b")] == ["x", "3.5 is above 0.1", "4.25 is above 0.2"]
    joined = notices + Notices([Diagnostic("c", "F9", "2024", "y")])
    assert len(joined) == 6 and list(joined)[-1].entity == "F9"
    assert not Notices() and Notices([block()])
