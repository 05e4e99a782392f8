"""The package's public names resolve to the functions the modules define."""

import importlib

import pytest

import dlgraph


@pytest.mark.parametrize("name", [n for n in dlgraph.__all__ if n != "__version__"])
def test_exported_members_resolve(name):
    value = getattr(dlgraph, name)
    where = dlgraph._EXPORTS[name]
    module, attr = where if isinstance(where, tuple) else (where, name)
    assert value is getattr(importlib.import_module(module), attr)
    assert callable(value)
    assert value.__doc__, f"{name} has no docstring"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dlgraph.nope  # noqa: B018


def test_dir_lists_the_public_names():
    assert set(dir(dlgraph)) == set(dlgraph.__all__)


def test_no_public_name_is_a_submodule():
    """A submodule of the same name would replace the function once anything imports it."""
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(dlgraph.__path__)}
    assert not submodules & set(dlgraph.__all__)
