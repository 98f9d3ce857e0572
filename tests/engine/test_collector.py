"""The garbage collector is paused during a calculation and switched back on after it."""

from __future__ import annotations

import gc

import pytest

from esgledger.engine.arrays.collector import collector_paused


@pytest.fixture
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_restored_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_holders_restore_only_when_the_last_leaves(collector_on):
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(collector_on):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_restored_when_the_calculation_fails(collector_on):
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failing calculation")
    assert gc.isenabled()
