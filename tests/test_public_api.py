"""The package's public names resolve to the functions the modules define."""

import importlib

import pytest

import dlgraph


@pytest.mark.parametrize("name", [n for n in dlgraph.__all__ if n != "__version__"])
def test_exported_members_resolve(name):
    value = getattr(dlgraph, name)
    where = dlgraph._EXPORTS[name]
    module, attr = where if isinstance(where, tuple) else (where, name)
    module = importlib.import_module(module)
    assert value is (module if attr is None else getattr(module, attr))
    assert callable(value)
    assert value.__doc__, f"{name} has no docstring"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dlgraph.nope  # noqa: B018


def test_dir_lists_the_public_names():
    assert set(dir(dlgraph)) == set(dlgraph.__all__)


def test_no_public_name_is_a_submodule():
    """A submodule of the same name would replace the function once anything imports it,
    unless the public name is that submodule itself (``dlgraph.search``, a callable package)."""
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(dlgraph.__path__)}
    itself = {n for n, w in dlgraph._EXPORTS.items() if isinstance(w, tuple) and w[1] is None}
    assert not submodules & (set(dlgraph.__all__) - itself)


def test_search_is_callable_whichever_is_imported_first(tmp_path):
    """``dlgraph.search(ix, q)`` searches both before and after ``dlgraph.search.x`` is imported."""
    import subprocess
    import sys

    code = ("import dlgraph; f = dlgraph.search; import dlgraph.search.engine as e; "
            "import dlgraph.search as m; assert dlgraph.search is m; "
            "assert m.search is e.search; "
            "assert callable(f) and callable(dlgraph.search); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
