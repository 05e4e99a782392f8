"""The neighbourhood of any entity: the small node-link picture around a lecture, topic or
person that the app's Graph page draws (:func:`neighbourhood`, :func:`layout`), and what it
can centre on (:func:`focus_options`). Pure graph queries returning plain dicts."""

from __future__ import annotations

import functools
from collections import deque

from rdflib import Graph, Literal, URIRef

from dlgraph.lecture import lecture_list
from dlgraph.node_values import edition_code, text_of, url_of
from dlgraph.vocab import BIBO, DCTERMS, DLG, PROV, RDF, SDO, SKOS, TOPICS

#: Node kinds, by the rdf:type that makes an entity one (first match wins).
KINDS = (
    (SDO.LearningResource, "lecture"),
    (DLG.NotesPage, "notes page"),
    (DLG.WeekPage, "notes page"),
    (SDO.VideoObject, "video"),
    (SDO.PresentationDigitalDocument, "slides"),
    (SDO.SoftwareSourceCode, "notebook"),
    (SDO.Person, "person"),
    (BIBO.Document, "reading"),
    (SDO.CourseInstance, "edition"),
)

#: Predicates that say nothing a learner follows (types, provenance, addresses, …).
#: ``isPartOf`` repeats ``dlg:edition``, ``notesPage`` repeats ``about``, ``instructor`` a role.
SKIP = {RDF.type, PROV.wasDerivedFrom, SDO.url, DLG.tag, DLG.reading, DLG.citedIn,
        PROV.wasRevisionOf, SDO.translationOfWork, SDO.isPartOf, SDO.hasPart, DLG.notesPage,
        SDO.instructor}

#: Hubs: linked to everything of an edition, so never walked through (only shown).
HUBS = {"edition"}

#: Which neighbours are kept first when a neighbourhood is larger than ``max_nodes``.
PRIORITY = ("edition", "lecture", "topic", "theme", "video", "slides", "notebook", "reading",
            "person", "document", "notes page")


def node_kind(g: Graph, node) -> str | None:
    """The kind a node is drawn as, or ``None`` when it is not drawn on its own."""
    if not isinstance(node, URIRef):
        return None
    for cls, kind in KINDS:
        if (node, RDF.type, cls) in g:
            return kind
    if (node, RDF.type, SKOS.Concept) in g:
        return "topic" if str(node).startswith(str(TOPICS)) else "theme"
    if (node, DLG.documentKind, None) in g or (node, RDF.type, SDO.DigitalDocument) in g:
        return "document"
    return None


def _is_page(g: Graph, node) -> bool:
    return (node, RDF.type, DLG.NotesPage) in g or (node, RDF.type, DLG.WeekPage) in g


def _fold(g: Graph, node):
    """The drawn node standing for ``node``.

    A video moment is its video; a section is its page; a translation is the page it
    translates; a notes page about one lecture item is that item. A learner thinks of "the
    lecture", not of its sixteen translated pages, and the picture stays readable.
    """
    if not isinstance(node, URIRef):
        return None
    if (node, RDF.type, SDO.Clip) in g:
        return g.value(node, SDO.isPartOf)
    if (node, DLG.headingLevel, None) in g:
        node = g.value(node, SDO.isPartOf)
        if node is None:
            return None
    original = g.value(node, SDO.translationOfWork)
    if original is not None and _is_page(g, original):
        node = original
    if _is_page(g, node):
        items = [i for i in g.objects(node, SDO.about) if (i, RDF.type, SDO.LearningResource) in g]
        if len(items) == 1:
            return items[0]
    return node


def _members(g: Graph, node, fold=None) -> list:
    """Everything :func:`_fold` maps onto ``node`` (its pages, translations, sections, clips)."""
    pages = {p for p in g.subjects(SDO.about, node) if _is_page(g, p)}
    if _is_page(g, node):
        pages.add(node)
    pages |= {t for p in list(pages) for t in g.objects(p, SDO.workTranslation)}
    found = {node} | pages
    found |= {s for p in pages for s in g.objects(p, SDO.hasPart)}
    found |= {c for c in g.subjects(SDO.isPartOf, node) if (c, RDF.type, SDO.Clip) in g}
    fold = fold or (lambda n: _fold(g, n))
    return [m for m in found if m == node or fold(m) == node]


def _node_label(g: Graph, node, kind: str) -> str:
    if kind == "lecture":
        return f"{text_of(g, node, SDO.name)} ({edition_code(g, g.value(node, DLG.edition))})"
    if kind == "notes page":
        lang = str(g.value(node, SDO.inLanguage) or "en")
        return f"{text_of(g, node, SDO.name, lang=lang)} [{lang}]"
    if kind in ("video", "slides", "notebook"):
        # A YouTube or Drive ID says nothing to a person: name the resource after the oldest
        # lecture item linking it ("slides: Training LV-EBMs").
        shows = sorted((str(g.value(g.value(s, DLG.edition), DLG.year) or ""),
                        text_of(g, s, SDO.name))
                       for s, _ in g.subject_predicates(node)
                       if (s, RDF.type, SDO.LearningResource) in g)
        key = str(g.value(node, SDO.identifier) or "")
        # A file in a repository has a name worth showing (one lecture has two notebooks).
        file = key.rsplit("/", 1)[-1] if kind != "video" and "/drive/" not in str(node) else ""
        if shows and shows[0][1]:
            return f"{kind}: {shows[0][1]}" + (f" ({file})" if file else "")
        return f"{kind} {file}" if file else text_of(g, node, SDO.name) or f"{kind} (unlinked)"
    if kind == "edition":
        return edition_code(g, node) or str(node)
    if kind in ("topic", "theme"):
        return text_of(g, node, SKOS.prefLabel) or str(node)
    if kind == "reading":
        return text_of(g, node, DCTERMS.title, SDO.name) or str(node)
    return text_of(g, node, SDO.name) or str(node).rsplit("/", 1)[-1]


def _edges_of(g: Graph, node, fold) -> list[tuple]:
    """``(source, label, target)`` between drawn nodes, for every triple touching ``node``."""
    out = []
    for m in _members(g, node, fold):
        for p, o in g.predicate_objects(m):
            if p not in SKIP:
                out.append((node, p, fold(o)))
        for s, p in g.subject_predicates(m):
            if p not in SKIP:
                out.append((fold(s), p, node))
    # A role is a node of its own in the model; the picture says "person —role→ edition".
    for role in g.subjects(DLG.person, node):
        name = g.value(role, SDO.roleName)
        ed = g.value(role, DLG.edition)
        if name is not None and ed is not None:
            out.append((node, Literal(str(name)), ed))
    return out


def _pred_label(p) -> str:
    if isinstance(p, Literal):
        return str(p)
    text = str(p)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def neighbourhood(g: Graph, iri: str | URIRef, depth: int = 1, max_nodes: int = 60) -> dict:
    """The drawn nodes within ``depth`` links of ``iri``, and the links between them.

    Pages, their translations and sections fold into the lecture item they are about (see
    :func:`_fold`), video moments into their video; roles become ``person —lecturer→
    edition`` links; editions are shown but never walked through (every item of an edition
    links to it). When ``max_nodes`` is reached, nearer nodes win, then the kinds of
    :data:`PRIORITY`.

    Returns
    -------
    dict
        ``{"center", "nodes": [{id, label, kind, depth, url}], "edges": [{source, target,
        label}], "truncated": bool}``.
    """
    center = URIRef(str(iri))
    fold = functools.lru_cache(maxsize=None)(lambda n: _fold(g, n))
    edges_of = functools.lru_cache(maxsize=None)(lambda n: _edges_of(g, n, fold))
    kind = node_kind(g, center)
    if kind is None:
        return {"center": str(center), "nodes": [], "edges": [], "truncated": False}
    seen = {center: 0}
    kinds = {center: kind}
    edges: set[tuple[str, str, str]] = set()
    queue = deque([center])
    truncated = False
    while queue:
        node = queue.popleft()
        d = seen[node]
        if d >= depth or (kinds[node] in HUBS and node != center):
            continue
        found = []
        for s, p, o in edges_of(node):
            other = o if s == node else s
            if other is None or other == node:
                continue
            if other not in seen:
                k = kinds.get(other) or node_kind(g, other)
                if k is None:
                    continue
                kinds[other] = k
            found.append((s, p, o, other))
        # Nearer first (BFS), then the kinds a learner reads the picture by.
        found.sort(key=lambda t: (PRIORITY.index(kinds[t[3]]) if kinds[t[3]] in PRIORITY
                                  else len(PRIORITY), str(t[3])))
        for s, p, o, other in found:
            if other not in seen:
                if len(seen) >= max_nodes:
                    truncated = True
                    continue
                seen[other] = d + 1
                queue.append(other)
            edges.add((str(s), _pred_label(p), str(o)))
    # Links between two nodes that are both drawn but were reached separately.
    for node in seen:
        if kinds[node] in HUBS:
            continue
        for s, p, o in edges_of(node):
            if s in seen and o in seen and s != o:
                edges.add((str(s), _pred_label(p), str(o)))
    nodes = [
        {
            "id": str(n),
            "label": _node_label(g, n, kinds[n]),
            "kind": kinds[n],
            "depth": d,
            "url": url_of(g, n) if kinds[n] != "lecture" else None,
        }
        for n, d in sorted(seen.items(), key=lambda kv: (kv[1], str(kv[0])))
    ]
    # One line per pair of nodes, whatever the direction, naming every link it stands for.
    pairs: dict[tuple, dict] = {}
    for s, label, o in sorted(edges):
        edge = pairs.setdefault((min(s, o), max(s, o)), {"source": s, "target": o, "labels": []})
        if label not in edge["labels"]:
            edge["labels"].append(label)
    out = [{"source": e["source"], "target": e["target"], "label": ", ".join(e["labels"])}
           for e in pairs.values()]
    return {"center": str(center), "nodes": nodes, "edges": out, "truncated": truncated}


def layout(view: dict, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions of a :func:`neighbourhood` view (spring layout, centre fixed)."""
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(n["id"] for n in view["nodes"])
    G.add_edges_from((e["source"], e["target"]) for e in view["edges"])
    if not G:
        return {}
    center = view["center"]
    fixed = {center: (0.0, 0.0)} if center in G else {}
    pos = nx.spring_layout(G, seed=seed, pos=fixed or None, fixed=list(fixed) or None,
                           k=1.2 / max(len(G), 1) ** 0.5, iterations=80)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def focus_options(g: Graph) -> list[dict]:
    """What the Graph page can centre on: lectures, topics and people (``iri, label, kind``)."""
    out = [{"iri": r["iri"], "label": f"{r['title']} ({r['edition']})", "kind": "lecture"}
           for r in lecture_list(g)]
    topics = [t for t in g.subjects(RDF.type, SKOS.Concept) if str(t).startswith(str(TOPICS))]
    out += sorted(({"iri": str(t), "label": text_of(g, t, SKOS.prefLabel) or str(t),
                    "kind": "topic"} for t in topics), key=lambda d: d["label"].lower())
    out += sorted(({"iri": str(p), "label": text_of(g, p, SDO.name) or str(p), "kind": "person"}
                   for p in set(g.subjects(RDF.type, SDO.Person))),
                  key=lambda d: d["label"].lower())
    return out


__all__ = ["HUBS", "KINDS", "PRIORITY", "SKIP", "focus_options", "layout", "neighbourhood",
           "node_kind"]
