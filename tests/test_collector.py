"""The garbage collector around a build: off inside, back on after, left off at a CLI's end."""

from __future__ import annotations

import gc

import pytest

from dlgraph import collector


@pytest.fixture
def process_ending(monkeypatch):
    monkeypatch.setattr(collector, "_ends_with_command", False)
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_a_library_caller_gets_the_collector_back():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    collector.at_exit()  # not a process ending with a command: nothing frozen
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_process_ending_with_its_command_leaves_its_heap_alone(process_ending):
    collector.process_ends_with_command()
    with collector.paused():
        pass
    assert not gc.isenabled()  # the build's garbage is not walked again before the end
    garbage = [[]]
    garbage[0].append(garbage)
    collector.at_exit()
    assert gc.get_freeze_count() > 0  # the interpreter's last collection skips what is left
    assert not gc.isenabled()


def test_the_console_entry_point_says_the_process_ends(monkeypatch, process_ending):
    import signal

    from dlgraph.cli import root

    monkeypatch.setattr(signal, "signal", lambda *args: None)  # pytest keeps its Ctrl-C
    monkeypatch.setattr(root, "cli", lambda standalone_mode: None)
    root.main()
    assert collector._ends_with_command and gc.get_freeze_count() > 0
