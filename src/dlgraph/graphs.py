"""Graph helpers shared by lineage, analyses and compare: editions, their items, videos.

``lineage`` pairs items with :func:`maximum_matching` and groups them with
:func:`components`; ``analyses`` and ``compare`` read items with :func:`edition_items` and
:func:`item_dict`. They live here so neither of those modules imports the other.

networkx is used through :func:`to_networkx` only: the RDF graph is first projected to plain
weighted edges, then converted in one place. It is imported when first needed, so commands
that never match items do not load it (:func:`components` is a plain union-find).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.vocab import DLG, RDF, SDO

_TERM_ORDER = {"Spring": 0, "Summer": 1, "Fall": 2}


# -- editions and their items --------------------------------------------------------------


def editions(g: Graph) -> list[str]:
    """Edition codes in chronological order (year, then Spring before Fall)."""

    def key(ed: URIRef) -> tuple:
        year = g.value(ed, DLG.year)
        term = str(g.value(ed, DLG.term) or "")
        return (int(str(year)) if year is not None else 9999, _TERM_ORDER.get(term, 9), str(ed))

    eds = sorted(g.subjects(RDF.type, SDO.CourseInstance), key=key)
    return [str(g.value(ed, SDO.identifier)) for ed in eds if g.value(ed, SDO.identifier)]


def edition_list(g: Graph) -> list[dict]:
    """What the graph holds of each edition, oldest first: ``code``, ``title``, ``course``
    (its course code), ``course_title``, ``term``, ``year``."""
    out = []
    for code in editions(g):
        ed = _edition(g, code)
        course = next(iter(sorted(g.subjects(SDO.hasCourseInstance, ed))), None)
        year = g.value(ed, DLG.year)
        out.append({
            "code": code,
            "title": str(g.value(ed, SDO.name) or code),
            "course": str(g.value(course, SDO.courseCode) or "") if course is not None else "",
            "course_title": str(g.value(course, SDO.name) or "") if course is not None else "",
            "term": str(g.value(ed, DLG.term) or ""),
            "year": int(str(year)) if year is not None else None,
        })
    return out


def edition_items(g: Graph, code: str) -> list[URIRef]:
    """The lecture items (``schema:LearningResource``) of edition ``code``, in page order."""
    ed = _edition(g, code)
    if ed is None:
        return []
    # From the items to their edition, not from the edition's members: an edition has
    # thousands (transcript passages, notebook cells), each a look-up in the store.
    items = [i for i in g.subjects(RDF.type, SDO.LearningResource) if (i, DLG.edition, ed) in g]
    return sorted(items, key=lambda i: (int(g.value(i, SDO.position) or 0), str(i)))


def _edition(g: Graph, code: str) -> URIRef | None:
    for ed in g.subjects(RDF.type, SDO.CourseInstance):
        if str(g.value(ed, SDO.identifier)) == code:
            return ed
    return None


def videos(g: Graph, item: URIRef) -> set[URIRef]:
    """The whole videos an item links to (a clip counts as the video it is part of)."""
    out = set()
    for node in g.objects(item, SDO.video):
        if (node, RDF.type, SDO.Clip) in g:
            node = g.value(node, SDO.isPartOf) or node
        out.add(node)
    return out


def _video_url(g: Graph, item: URIRef) -> str | None:
    whole = sorted(v for v in g.objects(item, SDO.video) if (v, RDF.type, SDO.Clip) not in g)
    nodes = whole or sorted(g.objects(item, SDO.video))
    if not nodes:
        return None
    url = g.value(nodes[0], SDO.url)
    return str(url) if url is not None else None


def item_dict(g: Graph, item: URIRef, all_topics: dict | None = None) -> dict:
    """An item as plain data: ``iri``, ``title``, ``video`` (watch URL or ``None``) and more."""
    all_topics = all_topics if all_topics is not None else topics_mod.topics_of(g)
    ed = g.value(item, DLG.edition)
    subjects = topics_mod.subjects_of(g, item)
    return {
        "iri": str(item),
        "title": str(g.value(item, SDO.name) or ""),
        "video": _video_url(g, item),
        "videos": sorted(str(g.value(v, SDO.url) or v) for v in videos(g, item)),
        "edition": str(g.value(ed, SDO.identifier)) if ed is not None else None,
        "position": int(g.value(item, SDO.position) or 0),
        "format": str(g.value(item, SDO.learningResourceType) or ""),
        "reused": bool((item, DLG.reused, None) in g and g.value(item, DLG.reused).toPython()),
        "topics": [all_topics[t].slug for t in subjects if t in all_topics],
    }


# -- the one networkx conversion ---------------------------------------------------------


def to_networkx(edges: Iterable[tuple], nodes: Iterable[Hashable] = ()):
    """An undirected networkx graph from ``(u, v)`` or ``(u, v, weight)`` tuples.

    Every analysis projects the RDF graph to plain edges first and converts here, so this is
    the only place that knows about networkx's data model.
    """
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(nodes)
    for edge in edges:
        u, v, *rest = edge
        w = rest[0] if rest else 1
        if G.has_edge(u, v):
            G[u][v]["weight"] += w
        else:
            G.add_edge(u, v, weight=w)
    return G


def maximum_matching(weights: dict[tuple[Hashable, Hashable], float]) -> list[tuple]:
    """A one-to-one pairing of left and right nodes with the largest total weight.

    ``weights`` maps ``(left, right)`` to a positive weight; the two sides are kept apart even
    when a node appears on both. Returns the chosen ``(left, right)`` pairs, sorted by ``str``.
    """
    import networkx as nx

    G = to_networkx((("L", u), ("R", v), w) for (u, v), w in weights.items())
    pairs = []
    for x, y in nx.max_weight_matching(G):
        (_, u), (_, v) = (x, y) if x[0] == "L" else (y, x)
        pairs.append((u, v))
    return sorted(pairs, key=str)


def components(edges: Iterable[tuple]) -> list[set]:
    """Connected groups of the nodes named by ``edges``, largest first (ties: stable).

    A union-find over the edges, not networkx: ``compare`` and ``path`` need nothing else of
    it, and importing networkx costs them a fifth of a second. The groups (and so the
    answer) are the same whatever finds them.
    """
    parent: dict = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # halve the path: later finds are shorter
            x = parent[x]
        return x

    for edge in edges:
        u, v = edge[0], edge[1]
        ru, rv = root(u), root(v)
        if ru != rv:
            parent[ru] = rv
    groups: dict = {}
    for x in parent:
        groups.setdefault(root(x), set()).add(x)
    return sorted(groups.values(), key=lambda c: (-len(c), sorted(map(str, c))))


__all__ = ["components", "edition_items", "edition_list", "editions", "item_dict", "maximum_matching",
           "to_networkx", "videos"]
