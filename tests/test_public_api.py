"""The package's public names resolve to the functions the modules define."""

import importlib

import pytest

import dlgraph


@pytest.mark.parametrize("name", [n for n in dlgraph.__all__ if n != "__version__"])
def test_exported_members_resolve(name):
    value = getattr(dlgraph, name)
    module = importlib.import_module(dlgraph._EXPORTS[name])
    assert value is getattr(module, name)
    assert value.__doc__, f"{name} has no docstring"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dlgraph.nope  # noqa: B018


def test_dir_lists_the_public_names():
    assert set(dir(dlgraph)) == set(dlgraph.__all__)
