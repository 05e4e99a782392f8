"""A read-only rdflib store over an Oxigraph store's default graph: how a saved graph is read.

Every reader (CLI, app, analyses, exports) keeps rdflib's Graph API while the triples stay in
Oxigraph, which opens a saved store in milliseconds where rdflib needs seconds to parse or
unpickle one. oxrdflib does the same for any dataset, but importing it builds rdflib's whole
SPARQL parser (a third of a second of every command) and it hands simple literals back as
``Literal("x", datatype=xsd:string)``, which rdflib holds different from the plain
``Literal("x")`` the graph was built with. This store:

* answers triple patterns on the default graph (the only graph ``dlgraph.store`` saves);
* gives back plain literals, so the loaded graph is the built one term for term;
* converts terms through a cache: a graph names the same pages, people and types over and
  over, and rdflib parses a typed literal's value on every construction;
* counts with the store's own ``len``;
* refuses writes (the saved store is opened read-only; change the records and rebuild).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.store import Store

__all__ = ["ReadOnlyOxigraphStore", "from_ox", "to_ox"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_DEFAULT = ox.DefaultGraph()


@functools.lru_cache(maxsize=1 << 18)
def from_ox(term):
    """The rdflib term of an Oxigraph term (a simple literal is rdflib's plain literal)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return URIRef(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if kind is ox.BlankNode:
        return BNode(term.value)
    raise ValueError(f"unexpected Oxigraph term: {term!r}")


def to_ox(term):
    """The Oxigraph term of an rdflib term; ``None`` stays ``None`` (a wildcard)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(term, language=term.language)
        if term.datatype is not None:
            return ox.Literal(term, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term)
    raise TypeError(f"not an RDF term: {term!r}")


class ReadOnlyOxigraphStore(Store):
    """rdflib's view of the default graph of the Oxigraph store ``store``."""

    # pyshacl (dlgraph validate) wraps the data graph in a Dataset, which insists on a
    # context- and graph-aware store: the one context is the default graph.
    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, store: ox.Store):
        self._inner = store
        #: Where the store was saved (``dlgraph.store.load_graph`` sets it): ``folder``,
        #: ``meta`` and ``ttl`` (the Turtle export it mirrors); ``None`` for one made in memory.
        self.origin: dict | None = None
        self._namespaces: dict[str, URIRef] = {}
        self._prefixes: dict[URIRef, str] = {}
        super().__init__()
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, Graph

        self._contexts = (Graph(store=self, identifier=DATASET_DEFAULT_GRAPH_ID),)

    @property
    def oxigraph(self) -> ox.Store:
        """The Oxigraph store underneath (for native SPARQL and serialisation)."""
        return self._inner

    def __len__(self, context=None) -> int:
        # Only the default graph is ever saved, so the store's count is the graph's.
        return len(self._inner)

    def triples(self, triple_pattern, context=None) -> Iterator:
        s, p, o = triple_pattern
        try:
            quads = self._inner.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), _DEFAULT)
        except (TypeError, ValueError):  # a literal subject, an IRI Oxigraph refuses: no match
            return iter(())
        # Every triple is in the one graph there is.
        ctx = self._contexts
        return (((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), ctx) for q in quads)

    def contexts(self, triple=None) -> Iterator:
        return iter(self._contexts)

    def add(self, triple, context, quoted=False) -> None:
        raise PermissionError("the saved graph is read-only: change the records and rebuild")

    def addN(self, quads) -> None:  # noqa: N802 (rdflib's name)
        raise PermissionError("the saved graph is read-only: change the records and rebuild")

    def remove(self, triple, context=None) -> None:
        raise PermissionError("the saved graph is read-only: change the records and rebuild")

    def add_graph(self, graph) -> None:
        if graph.identifier != self._contexts[0].identifier:
            raise PermissionError("the saved graph is read-only: it has no named graphs")

    def remove_graph(self, graph) -> None:
        raise PermissionError("the saved graph is read-only: change the records and rebuild")

    # -- prefixes (kept in Python: they are the saved graph's bindings) -----------------------

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        namespace = URIRef(namespace)
        if not override and (prefix in self._namespaces or namespace in self._prefixes):
            return
        old_ns = self._namespaces.pop(prefix, None)
        if old_ns is not None:
            self._prefixes.pop(old_ns, None)
        old_prefix = self._prefixes.pop(namespace, None)
        if old_prefix is not None:
            self._namespaces.pop(old_prefix, None)
        self._namespaces[prefix] = namespace
        self._prefixes[namespace] = prefix

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespaces.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefixes.get(URIRef(namespace))

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._namespaces.items())
