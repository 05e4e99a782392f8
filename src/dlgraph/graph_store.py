"""The graph half of the data folder: ``graph.ttl`` (the Turtle export) and ``graph.oxigraph``
(a link to ``.graph-<token>/``: the same graph as an Oxigraph store, which :func:`load_graph`
opens in milliseconds instead of parsing; ``bench/graph.py`` has the figures), with the answers
saved beside it at build time. Every write goes through :func:`atomic_write`."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from dlgraph.atomic import atomic_write

# rdflib and pyoxigraph are imported where a graph is read or written: the app's first screen
# only asks graph_exists, and importing rdflib would delay it by a fifth of a second.
if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph


GRAPH_TTL = "graph.ttl"
#: A symbolic link to the current ``.graph-<token>/`` folder: ``store/`` (an Oxigraph store)
#: and ``meta.json``. Switching the link is atomic, so a reader opens the old store or the new.
GRAPH_STORE = "graph.oxigraph"
_GENERATION_PREFIX = ".graph-"
#: Earlier ``.graph-*`` folders kept after a save: a process that opened one a moment ago (the
#: app, a CLI command) can finish reading it.
_KEEP_PREVIOUS = 1
#: Written by earlier versions; removed on save (loading a pickle from a folder runs code).
_LEGACY_PICKLE = "graph.pickle"

#: Bumped whenever the store folder changes shape, so an old one is ignored, not misread.
_STORE_FORMAT = 2
#: Answers computed from the graph when it was built, beside its store (:func:`saved_summary`).
_SUMMARIES = "summaries.json"


def _digest(data: bytes) -> str:
    """Content digest of the Turtle a store mirrors: survives copies, changes with any edit."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def save_graph(g: Graph, data_dir: Path, built_from: int | None = None,
               summaries: dict | None = None) -> Path:
    """Write ``g`` as ``data_dir/graph.ttl`` and as an Oxigraph store; returns the Turtle path.

    The triples are copied term by term (blank nodes keep their labels, so exports of the
    loaded graph are those of the built one). ``graph.ttl`` is the graph's Turtle export
    (``dlgraph.serialise``, written by Oxigraph: a hundred times faster than rdflib), so
    exporting a saved graph as Turtle is reading that file. ``built_from`` is the records
    generation ``g`` was built from (``datadir.read_marker`` when the records were loaded;
    default: the current one). ``summaries`` (name → JSON value: answers computed from
    ``g``, e.g. ``{"stats": graph_stats(g)}``) are kept with the store, for this code only
    (:func:`saved_summary`).
    """
    import pyoxigraph as ox

    from dlgraph import datadir
    from dlgraph.fingerprint import package_digest

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    namespaces = [(prefix, str(ns)) for prefix, ns in g.namespaces()]
    converted = _converted(g)
    if converted is None:  # an IRI Oxigraph refuses even percent-encoded: its own dump
        quads, odd, iris = _ox_quads(g)
    else:
        quads = converted.quads
        if converted.raw:
            quads = [q for n, q in enumerate(quads) if n not in converted.raw]
        odd = list(converted.raw.values())
    generation = data_dir / f"{_GENERATION_PREFIX}{secrets.token_hex(6)}"
    try:
        generation.mkdir()
        st = ox.Store(str(generation / "store"))
        st.bulk_extend(quads)
        if odd:
            # IRIs Oxigraph's constructor refuses (a damaged link): its lenient parser keeps
            # them as they are, so the stored graph is still the built one.
            from rdflib import Graph

            rest = Graph()
            for triple in odd:
                rest.add(triple)
            st.bulk_load(rest.serialize(format="nt", encoding="utf-8"),
                         format=ox.RdfFormat.N_TRIPLES, lenient=True)
        st.flush()
        if converted is not None:
            from dlgraph.serialise import serialise

            ttl = serialise(converted, "turtle", namespaces).encode("utf-8")
        else:
            # Only the prefixes the graph uses, as rdflib's own Turtle writer does.
            used = {p: ns for p, ns in namespaces if p and any(i.startswith(ns) for i in iris)}
            ttl = st.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=used)
        del st  # closes the store: every file is on disk before the link points at it
        meta = {"format": _STORE_FORMAT, "ttl": _digest(ttl), "namespaces": namespaces,
                "export": converted is not None}
        (generation / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if summaries:
            (generation / _SUMMARIES).write_text(
                json.dumps({"code": package_digest(), **summaries}, ensure_ascii=False),
                encoding="utf-8")
        atomic_write(data_dir / GRAPH_TTL, ttl)
        _point_link(data_dir / GRAPH_STORE, generation.name)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    with contextlib.suppress(OSError):
        (data_dir / _LEGACY_PICKLE).unlink()
    _prune_generations(data_dir, generation.name)
    datadir.mark(data_dir, "graph", built_from)
    return data_dir / GRAPH_TTL


def _converted(g: Graph):
    """``g`` converted for Oxigraph in export order (``dlgraph.serialise.Converted``);
    ``None`` when some IRI cannot be written even percent-encoded."""
    from dlgraph.serialise import Converted

    try:
        return Converted(g)
    except ValueError:
        return None


def saved_turtle(g: Graph) -> str | None:
    """The Turtle export of ``g`` when ``g`` is a saved graph whose ``graph.ttl`` is it
    (written by :func:`save_graph` with ``dlgraph.serialise``, unchanged since it was
    opened); ``None`` otherwise."""
    origin = getattr(g.store, "origin", None)
    if origin is None or not origin["meta"].get("export"):
        return None
    try:
        data = origin["ttl"].read_bytes()
    except OSError:
        return None
    return data.decode("utf-8") if _digest(data) == origin["meta"].get("ttl") else None


def saved_summary(g: Graph, name: str):
    """The summary ``name`` saved with the graph ``g`` was loaded from (:func:`save_graph`),
    when this very code computed it; ``None`` otherwise (compute it)."""
    from dlgraph.fingerprint import package_digest

    origin = getattr(g.store, "origin", None)
    if origin is None:
        return None
    try:
        saved = json.loads((origin["folder"] / _SUMMARIES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("code") != package_digest():
        return None
    return saved.get(name)


def _ox_quads(g: Graph) -> tuple[list, list, set[str]]:
    """``g``'s triples as Oxigraph quads, the triples Oxigraph refuses, and the IRIs used."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    default = ox.DefaultGraph()
    terms: dict = {}
    iris: set[str] = set()

    def term(t):
        found = terms.get(t)
        if found is None:
            if isinstance(t, URIRef):
                found = ox.NamedNode(t)
                iris.add(str(t))
            elif isinstance(t, BNode):
                found = ox.BlankNode(t)
            elif t.language:
                found = ox.Literal(t, language=t.language)
            elif t.datatype is not None:
                found = ox.Literal(t, datatype=term(t.datatype))
            else:
                found = ox.Literal(t)
            terms[t] = found
        return found

    quads, odd = [], []
    for s, p, o in g:
        try:
            quads.append(ox.Quad(term(s), term(p), term(o), default))
        except ValueError:
            odd.append((s, p, o))
    return quads, odd, iris


def _point_link(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target``, replacing whatever it was, atomically."""
    tmp = link.with_name(f".{link.name}.{secrets.token_hex(4)}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _prune_generations(data_dir: Path, current: str) -> None:
    """Delete store folders older than the current one and the ``_KEEP_PREVIOUS`` before it."""
    older = [p for p in data_dir.glob(f"{_GENERATION_PREFIX}*") if p.is_dir() and p.name != current]
    older.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[_KEEP_PREVIOUS:]:
        shutil.rmtree(stale, ignore_errors=True)


def graph_exists(data_dir: Path) -> bool:
    """Whether a graph has been saved under ``data_dir``."""
    return (Path(data_dir) / GRAPH_TTL).is_file()


def graph_is_current(data_dir: Path) -> bool:
    """Whether ``graph.ttl`` and the saved store are both there and hold the same graph."""
    data_dir = Path(data_dir)
    try:
        ttl = (data_dir / GRAPH_TTL).read_bytes()
    except OSError:
        return False
    return _store_meta(data_dir / GRAPH_STORE, _digest(ttl)) is not None


def load_graph(data_dir: Path) -> Graph:
    """The graph saved under ``data_dir``, as an rdflib graph kept in Oxigraph.

    The saved store is opened (read-only) when it mirrors ``graph.ttl``; otherwise (a
    hand-edited Turtle, a folder from an older version) the Turtle is parsed into memory.
    Raises ``FileNotFoundError`` naming the commands that create the graph when there is none,
    or that rebuild it when it is older than the records (``datadir.DataOutOfDate``).
    """
    from dlgraph import datadir

    data_dir = Path(data_dir)
    ttl_path = data_dir / GRAPH_TTL
    if not ttl_path.is_file():
        raise FileNotFoundError(
            f"no graph in {data_dir}: run `dlgraph ingest` (or `dlgraph build` from saved records)"
        )
    datadir.check(data_dir, "graph")
    ttl = ttl_path.read_bytes()
    opened = _open_store(data_dir / GRAPH_STORE, _digest(ttl))
    if opened is not None:
        st, namespaces, folder, meta = opened
        g = _graph_on(st, namespaces)
        g.store.origin = {"folder": folder, "meta": meta, "ttl": ttl_path}
        return g
    try:
        return _graph_on(*_parse_turtle(ttl))
    except SyntaxError as exc:  # Oxigraph's error for bad Turtle names line and column
        raise datadir.DataDamaged(
            f"{ttl_path} is damaged ({type(exc).__name__}: {str(exc).splitlines()[0][:120]}): "
            "rebuild it from the records with `dlgraph build`") from None


def _open_store(link: Path, ttl_digest: str) -> tuple[pyoxigraph.Store, list, Path, dict] | None:
    """The saved store, its namespaces, folder and ``meta.json`` if it is ours, current and
    mirrors the Turtle."""
    import pyoxigraph as ox

    meta = _store_meta(link, ttl_digest)
    if meta is None:
        return None
    folder = link.resolve()
    try:
        # Read-only: any number of processes may open it at once, and none can change it.
        st = ox.Store.read_only(str(folder / "store"))
    except OSError:
        return None
    return st, [(str(p), str(ns)) for p, ns in meta.get("namespaces", [])], folder, meta


def _store_meta(link: Path, ttl_digest: str) -> dict | None:
    """The store's ``meta.json`` when it is ours, of this format and mirrors the Turtle."""
    try:
        meta = json.loads((link / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(meta, dict)
        or meta.get("format") != _STORE_FORMAT
        or meta.get("ttl") != ttl_digest
    ):
        return None
    return meta


def _parse_turtle(ttl: bytes) -> tuple[pyoxigraph.Store, list]:
    """``ttl`` parsed into an in-memory Oxigraph store, with its ``@prefix`` declarations."""
    import re

    import pyoxigraph as ox

    st = ox.Store()
    st.bulk_load(ttl, format=ox.RdfFormat.TURTLE, lenient=True)
    head = ttl[: ttl.find(b"\n\n") if b"\n\n" in ttl else len(ttl)].decode("utf-8", "replace")
    prefixes = re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", head)
    return st, prefixes


def _graph_on(st: pyoxigraph.Store, namespaces: list) -> Graph:
    """An rdflib :class:`Graph` over the Oxigraph store ``st``: every reader's rdflib API."""
    from rdflib import Graph

    from dlgraph.oxstore import ReadOnlyOxigraphStore

    g = Graph(store=ReadOnlyOxigraphStore(st))
    for prefix, ns in namespaces:
        g.bind(prefix, ns, override=True, replace=True)
    return g
