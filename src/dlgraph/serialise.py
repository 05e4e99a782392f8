"""The whole graph written out (Turtle, N-Triples, JSON-LD) in one stable order, by Oxigraph.

``dlgraph.store.save_graph`` writes ``graph.ttl`` with :func:`serialise` and
``dlgraph.export.export_graph`` answers with the same function (or, for a saved graph, with
that very file), so the export of a graph is the same bytes however it was opened.

The order is a total one over rdflib terms (subject, predicate, object text, then the
object's kind, language and datatype: ``"attention"@en`` and ``"attention"@fr`` tie on their
text). The triples are converted once per distinct term: a graph names the same pages,
people and types over and over, and hashing an rdflib term costs a Python call.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD}
# Characters an IRI may not hold unescaped (RFC 3987); a damaged link can carry them.
_NOT_IRI = re.compile(r"[\s<>\"{}|\\^`\[\]]")


class Converted:
    """``triples`` as Oxigraph terms in export order, and what writing them needs to know.

    ``terms``: rows of three Oxigraph terms, sorted; ``raw``: row index → the rdflib triple,
    for the rows whose IRIs had to be percent-encoded to be written (what is written is then
    not what is stored, term for term); ``iris``: every IRI written (as written).
    """

    def __init__(self, triples: Iterable[tuple]):
        nodes: dict = {}  # rdflib term → (Oxigraph term, its text, whether it was escaped)
        objects: dict = {}  # rdflib object → (Oxigraph term, its sort key, escaped)
        self.iris: set[str] = set()

        def node(term):
            found = nodes.get(term)
            if found is None:
                found = nodes[term] = self._node(term)
            return found

        def obj(term):
            # Literals are looked up by their written form: rdflib holds "…+00:00" and "…Z"
            # (one dateTime) equal, and each must keep its own text.
            lookup = ((str(term), term.language, term.datatype) if isinstance(term, Literal)
                      else term)
            found = objects.get(lookup)
            if found is None:
                if isinstance(term, Literal):
                    lit, escaped = self._literal(term, node)
                    key = (str(term), "Literal", term.language or "", str(term.datatype or ""))
                    found = (lit, key, escaped)
                else:
                    ox_term, text, escaped = node(term)
                    found = (ox_term, (text, type(term).__name__, "", ""), escaped)
                objects[lookup] = found
            return found

        rows = []
        add = rows.append
        get_node, get_obj = nodes.get, objects.get
        for s, p, o in triples:
            # The cache lookups inline: this loop runs once per triple of the graph.
            s_ox, s_key, s_esc = get_node(s) or node(s)
            p_ox, p_key, p_esc = get_node(p) or node(p)
            o_ox, o_key, o_esc = (obj(o) if isinstance(o, Literal) else get_obj(o) or obj(o))
            raw = (s, p, o) if s_esc or p_esc or o_esc else None
            add(((s_key, p_key, o_key), (s_ox, p_ox, o_ox), raw))
        rows.sort(key=lambda row: row[0])
        self.terms = [row[1] for row in rows]
        self.raw = {n: row[2] for n, row in enumerate(rows) if row[2] is not None}
        self._quads = None

    @property
    def quads(self) -> list:
        """The rows as Oxigraph quads in the default graph (what a store and the writer take)."""
        if self._quads is None:
            default = ox.DefaultGraph()
            self._quads = [ox.Quad(s, p, o, default) for s, p, o in self.terms]
        return self._quads

    def _node(self, term) -> tuple:
        """(Oxigraph term, the rdflib term's text, whether it was percent-encoded)."""
        text = str(term)
        if isinstance(term, URIRef):
            written = _NOT_IRI.sub(lambda m: quote(m.group(), safe=""), text)
            self.iris.add(written)
            return ox.NamedNode(written), text, written != text
        if isinstance(term, BNode):
            return ox.BlankNode(text), text, False
        raise TypeError(f"not a subject or predicate: {term!r}")

    @staticmethod
    def _literal(term: Literal, node) -> tuple:
        if term.language:
            return ox.Literal(str(term), language=term.language), False
        if term.datatype:
            dt, _, escaped = node(term.datatype)
            return ox.Literal(str(term), datatype=dt), escaped
        return ox.Literal(str(term)), False


def serialise(converted: Converted, fmt: str, namespaces: Iterable[tuple[str, str]]) -> str:
    """The converted triples as ``fmt``; Turtle declares the prefixes (of ``namespaces``)
    that some written IRI starts with, as rdflib's own Turtle writer does."""
    prefixes = None
    if fmt == "turtle":
        iris = sorted(converted.iris)
        prefixes = {p: str(ns) for p, ns in namespaces if p and _starts_some(iris, str(ns))}
    return ox.serialize(converted.quads, format=FORMATS[fmt], prefixes=prefixes).decode("utf-8")


def _starts_some(sorted_texts: list[str], prefix: str) -> bool:
    """Whether some text of ``sorted_texts`` starts with ``prefix`` (the first one not below it
    does, if any does)."""
    at = bisect.bisect_left(sorted_texts, prefix)
    return at < len(sorted_texts) and sorted_texts[at].startswith(prefix)


__all__ = ["FORMATS", "Converted", "serialise"]
