"""Whoosh imported without two standard-library trees it imports and no search runs.

``whoosh.compat`` imports ``urllib.request`` (HTTP, e-mail parsing, SSL) for ``urlretrieve``,
which no Whoosh module calls, and ``whoosh.reading`` imports the ``cached_property`` backport,
which imports ``asyncio`` for coroutine properties Whoosh does not have: together about 30 ms
of the 75 ms that importing this package costs, in every ``dlgraph search`` process.

:func:`import_whoosh` imports those two Whoosh modules while both names resolve to small
stand-ins (when this module is imported: the package imports it before any module of its that
imports Whoosh), then takes the stand-ins out of ``sys.modules``: any later ``import urllib.request``
or ``import cached_property`` gets the real module. Where a real one is already imported (the
app: Streamlit imports both long before a search), it is the one Whoosh gets.
"""

from __future__ import annotations

import functools
import sys
import types


def _urlretrieve(*args, **kwargs):
    """``urllib.request.urlretrieve``, imported when called (Whoosh never calls it)."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _stand_in(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name, f"Stands in for {name} while Whoosh is imported.")
    module.__dict__.update(attrs)

    def __getattr__(attr):  # what another thread would ask of it in that instant
        raise AttributeError(f"{name}.{attr}: {name} is being imported; import it again")

    module.__getattr__ = __getattr__
    return module


def import_whoosh() -> None:
    """Import ``whoosh.compat`` and ``whoosh.reading`` (the modules that import the two),
    once; every other Whoosh module imports them from ``sys.modules``."""
    if "whoosh.reading" in sys.modules:
        return
    # functools.cached_property does what the backport does for a plain method: computes it
    # once and keeps it in the instance's __dict__ (whoosh.reading's one use)
    stand_ins = {"urllib.request": _stand_in("urllib.request", urlretrieve=_urlretrieve),
                 "cached_property": _stand_in("cached_property",
                                              cached_property=functools.cached_property)}
    placed = [name for name in stand_ins if name not in sys.modules]
    for name in placed:
        sys.modules[name] = stand_ins[name]
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name in placed:
            if sys.modules.get(name) is stand_ins[name]:
                del sys.modules[name]


import_whoosh()
