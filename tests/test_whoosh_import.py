"""dlgraph.search imports Whoosh without urllib.request and asyncio (dlgraph/search/whoosh_import.py),
and leaves both importable as themselves. Each case runs in a fresh interpreter: this one
has imported everything already."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_search_package_imports_neither():
    out = _run("import sys, dlgraph.search\n"
               "print(sorted(m for m in ('urllib.request', 'asyncio', 'cached_property', "
               "'http.client', 'email.parser') if m in sys.modules))")
    assert out == "[]"


@pytest.mark.parametrize("module, attr", [("urllib.request", "urlopen"),
                                          ("cached_property", "threaded_cached_property")])
def test_the_real_modules_are_imported_after_it(module, attr):
    out = _run(f"import dlgraph.search, importlib\n"
               f"m = importlib.import_module({module!r})\n"
               f"print(callable(getattr(m, {attr!r})), m.__spec__ is not None)")
    assert out == "True True"


def test_a_module_imported_before_is_the_one_whoosh_gets():
    out = _run("import urllib.request, cached_property, dlgraph.search, whoosh.compat, "
               "whoosh.reading\n"
               "print(whoosh.compat.urlretrieve is urllib.request.urlretrieve, "
               "whoosh.reading.cached_property is cached_property.cached_property)")
    assert out == "True True"


def test_whooshs_cached_property_still_caches(tmp_path):
    # SegmentReader.deleted_docs_set is whoosh.reading's one cached property
    out = _run(f"""
import dlgraph.search
from whoosh import fields, index
ix = index.create_in({str(tmp_path)!r}, fields.Schema(k=fields.ID(stored=True)))
with ix.writer() as w:
    for k in "abc":
        w.add_document(k=k)
with ix.writer() as w:
    w.delete_by_term("k", "b")
with ix.reader() as r:
    first = r.deleted_docs_set
    print(sorted(first), r.deleted_docs_set is first)
""")
    assert out == "[1] True"


def test_whooshs_urlretrieve_is_the_real_one_when_called(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("fetched", encoding="utf-8")
    out = _run(f"""
import dlgraph.search, whoosh.compat
path, _ = whoosh.compat.urlretrieve({source.as_uri()!r}, {str(tmp_path / "b.txt")!r})
print(open(path, encoding="utf-8").read())
""")
    assert out == "fetched"
