"""When Python's cyclic garbage collector runs: not during a build, not at a process's end.

A build (records → graph → index) holds a few hundred thousand long-lived objects and
allocates millions more; every full collection walks them all again for nothing to free
(with the course repositories, about a tenth of the ingest's CPU), so :func:`paused` stops
the collector while it runs. What the build leaves behind is one big cycle (the rdflib graph
and its store refer to each other): in a library caller it is collected as usual once the
collector is back on. A ``dlgraph`` process, though, ends when its command does, and the
operating system takes its memory back at once: :func:`process_ends_with_command` (called by
the console entry point) keeps the collector off after a build and has :func:`at_exit`
freeze what is left, so the interpreter's last collection does not walk it all (about 2 s
of an ingest with the repositories).
"""

from __future__ import annotations

import contextlib
import gc

_ends_with_command = False


def process_ends_with_command() -> None:
    """Tell the library that this process ends with the command it runs (the CLI)."""
    global _ends_with_command
    _ends_with_command = True


@contextlib.contextmanager
def paused():
    """No automatic collection inside; back on after, unless the process is about to end.

    A caller that had disabled the collector keeps it disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and not _ends_with_command:
            gc.enable()


def at_exit() -> None:
    """In a process ending with its command: what is alive is left to the operating system."""
    if _ends_with_command:
        gc.disable()
        gc.freeze()
