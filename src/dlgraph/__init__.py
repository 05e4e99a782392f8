"""dlgraph: one RDF graph of the NYU Deep Learning course (DS-GA 1008) across its editions.

The public API, in the order the data flows::

    records = ingest.pipeline.ingest(...)          # sites → records (package ``ingest``)
    g = dlgraph.build_graph(records)                     # records → graph
    dlgraph.save_graph(g, data_dir); g = dlgraph.load_graph(data_dir)
    dlgraph.build_index(g, index_dir); dlgraph.search(dlgraph.open_index(index_dir), "attention")
    dlgraph.compare_editions(g, "SP21", "FL22"); dlgraph.export_readings(g, fmt="bibtex")
    dlgraph.run_query(g, "SELECT …")               # read-only SPARQL with a time limit

Names are imported on first use, so ``import dlgraph`` stays cheap for the command line.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

#: public name → the module that defines it (or module and name there, where the plain name is a
#: submodule's: importing ``dlgraph.build`` rebinds ``dlgraph.build`` to that module; name
#: ``None``: the module itself)
_EXPORTS: dict[str, str | tuple[str, str]] = {
    "build_graph": ("dlgraph.pipeline", "build"),
    "after_ingest": "dlgraph.pipeline",
    "save_records": "dlgraph.store",
    "load_records": "dlgraph.store",
    "save_graph": "dlgraph.store",
    "load_graph": "dlgraph.store",
    "graph_exists": "dlgraph.store",
    "build_index": "dlgraph.search",
    "open_index": "dlgraph.search",
    "index_path": "dlgraph.search",
    # the package itself, callable as its function: importing it rebinds ``dlgraph.search``
    "search": ("dlgraph.search", None),
    "SearchError": "dlgraph.search",
    "compare_editions": "dlgraph.compare",
    "timeline": "dlgraph.compare",
    "readings_table": "dlgraph.bibliography",
    "export_readings": "dlgraph.export",
    "export_graph": "dlgraph.export",
    "run_query": "dlgraph.sparql",
    "graph_stats": "dlgraph.stats",
    "validate_graph": ("dlgraph.validate", "validate"),
    "lecture_view": "dlgraph.lecture",
    "people_roles": "dlgraph.analyses",
    "learning_path": "dlgraph.analyses",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        module, attr = _EXPORTS[name] if isinstance(_EXPORTS[name], tuple) else (_EXPORTS[name], name)
        value = import_module(module) if attr is None else getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dlgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
