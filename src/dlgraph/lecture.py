"""One lecture as a learner sees it, and the neighbourhood of any entity, read from the graph.

:func:`lecture_view` gathers everything the graph knows about one lecture item: edition,
theme, resources, notes pages with their timestamped sections, people, readings, topics,
and the same lecture in other editions and languages. :func:`neighbourhood` is the small
node-link picture around a lecture, topic or person that the app's Graph page draws.
Both are pure graph queries returning plain dicts (no rdflib terms), ready for JSON.
"""

from __future__ import annotations

import functools
from collections import deque

from rdflib import Graph, Literal, URIRef

from dlgraph.bibliography import reading_authors
from dlgraph.vocab import BIBO, DCTERMS, DLG, PROV, RDF, SDO, SKOS, TOPICS

#: Resource predicates of a lecture item, in the order a learner wants them.
RESOURCES = (
    ("video", SDO.video),
    ("slides", DLG.slides),
    ("notebook", DLG.notebook),
    ("notes", DLG.notes),
    ("homework", DLG.homework),
    ("other", SDO.associatedMedia),
)

#: Cross-edition links of a lecture item, with how to say them from the item's side.
RELATIONS = (
    (DLG.sameRecordingAs, False, "same recording"),
    (DLG.reRecordingOf, False, "re-records"),
    (DLG.reRecordingOf, True, "re-recorded as"),
    (DLG.sameSlidesAs, False, "same slides"),
    (DLG.sameNotebookAs, False, "same notebook"),
)


# -- small readers -----------------------------------------------------------------------


def _label(g: Graph, node, *preds, lang: str = "en") -> str | None:
    """The first value of ``preds``, preferring the ``lang`` tag, then untagged, then any."""
    for pred in preds:
        values = list(g.objects(node, pred))
        if not values:
            continue
        for want in (lang, None):
            for v in values:
                if isinstance(v, Literal) and v.language == want:
                    return str(v)
        return str(values[0])
    return None


def _int(g: Graph, node, pred) -> int | None:
    value = g.value(node, pred)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _code(g: Graph, edition) -> str | None:
    if edition is None:
        return None
    return str(g.value(edition, SDO.identifier) or str(edition).rsplit("/", 1)[-1])


def _edition_key(g: Graph, edition) -> tuple:
    year = g.value(edition, DLG.year) if edition is not None else None
    term = str(g.value(edition, DLG.term) or "") if edition is not None else ""
    return (str(year or "9999"), {"Spring": 0, "Summer": 1, "Fall": 2}.get(term, 9))


def _person(g: Graph, p) -> dict:
    return {"iri": str(p), "name": _label(g, p, SDO.name) or str(p).rsplit("/", 1)[-1]}


def _people(g: Graph, nodes, pred) -> list[dict]:
    found = {p for n in nodes for p in g.objects(n, pred)}
    return sorted((_person(g, p) for p in found), key=lambda d: d["name"].lower())


def _url(g: Graph, node) -> str | None:
    url = g.value(node, SDO.url)
    return str(url) if url is not None else None


def as_lecture(g: Graph, node: str | URIRef) -> URIRef | None:
    """The lecture item ``node`` is, or that a notes page or one of its sections is about."""
    node = URIRef(str(node))
    if (node, RDF.type, SDO.LearningResource) in g:
        return node
    page = g.value(node, SDO.isPartOf) if (node, SDO.hasPart, None) not in g else node
    for candidate in (node, page):
        if candidate is None:
            continue
        for item in g.objects(candidate, SDO.about):
            if (item, RDF.type, SDO.LearningResource) in g:
                return item
    return None


# -- lecture list ------------------------------------------------------------------------


def lecture_list(g: Graph, edition: str | None = None) -> list[dict]:
    """Every lecture item (``iri``, ``title``, ``edition``, ``format``, ``position``).

    Ordered oldest edition first, then by position on the edition's home page.
    """
    rows = []
    for item in set(g.subjects(RDF.type, SDO.LearningResource)):
        ed = g.value(item, DLG.edition)
        code = _code(g, ed)
        if edition and code != edition:
            continue
        rows.append(
            (
                _edition_key(g, ed),
                _int(g, item, SDO.position) or 0,
                {
                    "iri": str(item),
                    "title": _label(g, item, SDO.name) or str(item),
                    "edition": code,
                    "format": str(g.value(item, SDO.learningResourceType) or "other"),
                    "position": _int(g, item, SDO.position),
                },
            )
        )
    return [row for *_key, row in sorted(rows, key=lambda r: (r[0], r[1], r[2]["iri"]))]


# -- one lecture -------------------------------------------------------------------------


def _resources(g: Graph, item: URIRef) -> list[dict]:
    out = []
    for kind, pred in RESOURCES:
        for node in sorted(g.objects(item, pred)):
            start = _int(g, node, SDO.startOffset)
            out.append(
                {
                    "kind": kind,
                    "iri": str(node),
                    "url": _url(g, node),
                    "identifier": str(g.value(node, SDO.identifier) or "") or None,
                    "start": start,
                }
            )
    return out


def _code_blocks(g: Graph, s) -> list[str]:
    """A section's code blocks, verbatim, in the order its text holds them."""
    text = str(g.value(s, SDO.text) or "")
    return sorted((str(c) for c in g.objects(s, DLG.code)), key=lambda c: (text.find(c), c))


def _section(g: Graph, s) -> dict:
    clip = next(iter(sorted(g.objects(s, SDO.video))), None)
    return {
        "iri": str(s),
        "heading": _label(g, s, SDO.name) or "",
        "level": _int(g, s, DLG.headingLevel) or 2,
        "position": _int(g, s, SDO.position) or 0,
        "video_url": _url(g, clip) if clip is not None else None,
        "start": _int(g, clip, SDO.startOffset) if clip is not None else None,
        "code": _code_blocks(g, s),
    }


def _page(g: Graph, page) -> dict:
    sections = sorted((_section(g, s) for s in g.objects(page, SDO.hasPart)),
                      key=lambda s: s["position"])
    date = g.value(page, SDO.dateCreated)
    original = g.value(page, SDO.translationOfWork)
    return {
        "url": str(page),
        "title": _label(g, page, SDO.name, lang=str(g.value(page, SDO.inLanguage) or "en")),
        "language": str(g.value(page, SDO.inLanguage) or "en"),
        "kind": "week" if (page, RDF.type, DLG.WeekPage) in g else "notes",
        "date": str(date) if date is not None else None,
        "translation_of": str(original) if original is not None else None,
        "authors": _people(g, [page], SDO.author),
        "translators": _people(g, [page], SDO.translator),
        "lecturers": _people(g, [page], DLG.lecturer),
        "sections": sections,
    }


def _readings(g: Graph, citing: list) -> list[dict]:
    works = {w for c in citing for w in g.objects(c, SDO.citation)}
    out = []
    for w in works:
        out.append(
            {
                "iri": str(w),
                "title": _label(g, w, DCTERMS.title, SDO.name) or str(w),
                "url": _url(g, w),
                "creators": sorted(reading_authors(g, w)),
                "kind": "book" if (w, RDF.type, BIBO.Book) in g
                else "paper" if (w, RDF.type, BIBO.AcademicArticle) in g else "other",
            }
        )
    return sorted(out, key=lambda r: r["title"].lower())


def _topics(g: Graph, nodes: list) -> list[dict]:
    found = {t for n in nodes for t in g.objects(n, DCTERMS.subject)}
    return sorted(
        ({"iri": str(t), "label": _label(g, t, SKOS.prefLabel) or str(t)} for t in found),
        key=lambda t: t["label"].lower(),
    )


def _related(g: Graph, item: URIRef) -> list[dict]:
    out, seen = [], set()
    for pred, inverse, relation in RELATIONS:
        others = g.subjects(pred, item) if inverse else g.objects(item, pred)
        for other in others:
            if other == item or (other, relation) in seen:
                continue
            seen.add((other, relation))
            ed = g.value(other, DLG.edition)
            out.append(
                {
                    "iri": str(other),
                    "title": _label(g, other, SDO.name) or str(other),
                    "edition": _code(g, ed),
                    "relation": relation,
                    "_key": _edition_key(g, ed),
                }
            )
    out.sort(key=lambda r: (r.pop("_key"), r["title"]))
    return out


def lecture_view(g: Graph, iri: str | URIRef) -> dict | None:
    """Everything about one lecture item, or ``None`` when ``iri`` is not (about) a lecture.

    Parameters
    ----------
    g
        The complete graph.
    iri
        A lecture item, or a notes page / section about one.

    Returns
    -------
    dict or None
        ``iri``, ``title``, ``edition``, ``edition_name``, ``edition_url``, ``format``,
        ``position``, ``week``, ``number``, ``reused``, ``footnotes``, ``theme``
        (``{iri, label, number}`` or ``None``), ``resources`` (``[{kind, iri, url,
        identifier, start}]``), ``broken_links``, ``lecturers``, ``notes_authors``,
        ``translators``, ``pages`` (English first, then the translations: ``{url, title,
        language, kind, date, translation_of, authors, translators, lecturers,
        sections: [{iri, heading, level, position, video_url, start}]}``), ``languages``,
        ``readings`` (``{iri, title, url, creators, kind}``), ``topics`` (``{iri, label}``)
        and ``other_editions`` (``{iri, title, edition, relation}``).
    """
    item = as_lecture(g, iri)
    if item is None:
        return None
    ed = g.value(item, DLG.edition)
    theme = g.value(item, DLG.theme)
    pages = set(g.subjects(SDO.about, item)) | set(g.objects(item, DLG.notesPage))
    for page in list(pages):
        pages.update(g.objects(page, SDO.workTranslation))
    page_views = sorted(
        (_page(g, p) for p in pages if (p, RDF.type, DLG.NotesPage) in g
         or (p, RDF.type, DLG.WeekPage) in g),
        key=lambda p: (p["language"] != "en", p["language"], p["kind"], p["url"]),
    )
    sections = [s for p in pages for s in g.objects(p, SDO.hasPart)]
    lecturers = _people(g, [item, *pages], DLG.lecturer)
    return {
        "iri": str(item),
        "title": _label(g, item, SDO.name) or str(item),
        "edition": _code(g, ed),
        "edition_name": _label(g, ed, SDO.name) if ed is not None else None,
        "edition_url": _url(g, ed) if ed is not None else None,
        "format": str(g.value(item, SDO.learningResourceType) or "other"),
        "position": _int(g, item, SDO.position),
        "week": _int(g, item, DLG.week),
        "number": _int(g, item, DLG.itemNumber),
        "reused": bool(g.value(item, DLG.reused)),
        "source": str(g.value(item, PROV.wasDerivedFrom) or "") or None,
        "footnotes": sorted(str(f) for f in g.objects(item, DLG.footnote)),
        "theme": None if theme is None else {
            "iri": str(theme),
            "label": _label(g, theme, SKOS.prefLabel),
            "number": _int(g, theme, SKOS.notation),
        },
        "resources": _resources(g, item),
        "broken_links": sorted(str(u) for u in g.objects(item, DLG.brokenLink)),
        "lecturers": lecturers,
        "notes_authors": _people(g, pages, SDO.author),
        "translators": _people(g, pages, SDO.translator),
        "pages": page_views,
        "languages": sorted({p["language"] for p in page_views},
                            key=lambda lang: (lang != "en", lang)),
        "readings": _readings(g, [item, *pages, *sections]),
        "topics": _topics(g, [item, *pages]),
        "other_editions": _related(g, item),
    }


# -- neighbourhood -----------------------------------------------------------------------

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
        return f"{_label(g, node, SDO.name)} ({_code(g, g.value(node, DLG.edition))})"
    if kind == "notes page":
        lang = str(g.value(node, SDO.inLanguage) or "en")
        return f"{_label(g, node, SDO.name, lang=lang)} [{lang}]"
    if kind in ("video", "slides", "notebook"):
        # A YouTube or Drive ID says nothing to a person: name the resource after the oldest
        # lecture item linking it ("slides: Training LV-EBMs").
        shows = sorted((str(g.value(g.value(s, DLG.edition), DLG.year) or ""),
                        _label(g, s, SDO.name))
                       for s, _ in g.subject_predicates(node)
                       if (s, RDF.type, SDO.LearningResource) in g)
        key = str(g.value(node, SDO.identifier) or "")
        # A file in a repository has a name worth showing (one lecture has two notebooks).
        file = key.rsplit("/", 1)[-1] if kind != "video" and "/drive/" not in str(node) else ""
        if shows and shows[0][1]:
            return f"{kind}: {shows[0][1]}" + (f" ({file})" if file else "")
        return f"{kind} {file}" if file else _label(g, node, SDO.name) or f"{kind} (unlinked)"
    if kind == "edition":
        return _code(g, node) or str(node)
    if kind in ("topic", "theme"):
        return _label(g, node, SKOS.prefLabel) or str(node)
    if kind == "reading":
        return _label(g, node, DCTERMS.title, SDO.name) or str(node)
    return _label(g, node, SDO.name) or str(node).rsplit("/", 1)[-1]


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
            "url": _url(g, n) if kinds[n] != "lecture" else None,
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
    out += sorted(({"iri": str(t), "label": _label(g, t, SKOS.prefLabel) or str(t),
                    "kind": "topic"} for t in topics), key=lambda d: d["label"].lower())
    out += sorted(({"iri": str(p), "label": _label(g, p, SDO.name) or str(p), "kind": "person"}
                   for p in set(g.subjects(RDF.type, SDO.Person))),
                  key=lambda d: d["label"].lower())
    return out


__all__ = [
    "as_lecture",
    "focus_options",
    "layout",
    "lecture_list",
    "lecture_view",
    "neighbourhood",
    "node_kind",
]
