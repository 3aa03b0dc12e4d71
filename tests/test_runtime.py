"""The collector pause restores the interpreter as it found it."""

from __future__ import annotations

import gc

import pytest

from newsfuse.runtime import collector_paused


def test_collector_is_paused_inside_and_restored_after_errors() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failing batch")
    assert gc.isenabled()


def test_a_caller_who_disabled_the_collector_keeps_it_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
