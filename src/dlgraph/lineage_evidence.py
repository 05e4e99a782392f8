"""What says one lecture item re-records another: shared slides or notebooks, and title
signatures (the topics, part number and content words a title names).

One rule serves both finding the links (:mod:`dlgraph.lineage`, which describes how units
are paired) and explaining a stored one (:func:`link_evidence`), so a reader is told what
the matcher used.

Evidence, strongest first:

1. **Shared material**: the two units link the same slide deck or notebook node, or the same
   notebook file in two editions' copies of the course repository (``NYU-DLSP20/11-VAE.ipynb``
   and ``NYU-DLSP21/11-VAE.ipynb``). With different videos, that is a new recording of the
   same lecture, whatever the titles say ("Predictive Control" / "The Truck Backer-Upper").
2. **Title**: the *title signatures* (below) have a Jaccard index of at least
   :data:`THRESHOLD`, the items share a topic (``dcterms:subject``), and the titles agree on
   more than one shared topic: two or more signature elements in common, or the same
   signature. One shared topic alone matched everything on it ("Energy based models (III)" /
   "SSL, EBM", "Backprop and contrastive learning" / "Contrastive methods").

A title signature is the set of topics the title names (each label match counts as one
element, so "LV-EBM" and "latent-variable EBMs" agree; course logistics such as "Q&A" or
"resources" is left out), its part number from II on ("Energy based models (III)" → ``#3``;
a part I continues an unnumbered title), and its remaining content words (stop words and
bracketed notes such as "[from last year]" dropped). Homework items have no recording, so they
are never re-recordings.
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef

from dlgraph.graphs import videos
from dlgraph.topics import Matcher, default_matcher, tokens
from dlgraph.vocab import DCTERMS, DLG, RDF, SDO, topic_iri

#: Smallest title similarity for a re-recording found by title (see the module docstring).
THRESHOLD = 0.5
#: Resource predicates whose shared nodes are evidence of the same lecture recorded again.
MATERIAL = (DLG.slides, DLG.notebook)

_STOP = frozenset(
    """a an and the of to for in on with from by at as or vs versus what are is how why
    part practicum lecture lectures introduction intro again any its it this that these""".split()
)
_ROMAN = {r: n for n, r in enumerate("i ii iii iv v vi vii viii ix x".split(), 1)}
#: Logistics (homework, Q&A, "Introduction to NYU-DLFL22") is not a subject two items can share.
NOT_A_SUBJECT = frozenset({topic_iri("course-organisation")})
_BRACKETS = re.compile(r"\[[^\]]*\]")


def material(g: Graph, item: URIRef) -> dict[object, str]:
    """Slides and notebooks of ``item`` as comparable keys → kind (``slides``/``notebook``).

    A notebook in one of the course repositories is keyed by its path, so each edition's copy
    of ``10-autoencoder.ipynb`` is the same notebook; anything else is keyed by its node.
    """
    out: dict[object, str] = {}
    repos = course_repositories(g)
    for pred in MATERIAL:
        kind = "slides" if pred == DLG.slides else "notebook"
        for node in g.objects(item, pred):
            scheme, _, key = str(g.value(node, SDO.identifier) or "").partition(":")
            owner, repo, path = (key.split("/", 2) + ["", ""])[:3]
            in_course = scheme == "github" and path and f"{owner}/{repo}".casefold() in repos
            out[("course-file", path) if in_course else node] = kind
    return out


def course_repositories(g: Graph) -> frozenset[str]:
    """``owner/name`` (case-folded) of every edition's course repository, of any course."""
    return frozenset(str(o).removeprefix("https://github.com/").strip("/").casefold()
                     for o in g.objects(None, DLG.courseRepository))


def signature(title: str, matcher: Matcher | None = None) -> frozenset[str]:
    """The title's topics, part number and remaining content words (see the module docstring)."""
    matcher = matcher or default_matcher()
    toks = tokens(_BRACKETS.sub(" ", title))
    out, covered = set(), set()
    for start, end, topic in matcher.spans(toks):
        if topic not in NOT_A_SUBJECT:
            out.add(f"<{topic}>")
        covered.update(range(start, end))
    for i, tok in enumerate(toks):
        if i in covered:
            continue
        if tok in _ROMAN:
            # Only a closing numeral is a part number ("GCNs III", "EBMs (II)"). Part I is how
            # an unnumbered lecture continues; II on is a different lecture of a series.
            if i == len(toks) - 1 and _ROMAN[tok] > 1:
                out.add(f"#{_ROMAN[tok]}")
        elif tok not in _STOP and not tok.isdigit() and len(tok) > 1:
            out.add(tok)
    return frozenset(out)


def similarity(a: str, b: str, matcher: Matcher | None = None) -> float:
    """Jaccard index of two titles' signatures, in [0, 1]."""
    sa, sb = signature(a, matcher), signature(b, matcher)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def title_match(a: str, b: str, matcher: Matcher | None = None) -> bool:
    """Whether two titles name the same lecture: similar, and alike beyond one shared topic."""
    sa, sb = signature(a, matcher), signature(b, matcher)
    if not sa or not sb:
        return False
    common = sa & sb
    return len(common) / len(sa | sb) >= THRESHOLD - 1e-9 and (len(common) >= 2 or sa == sb)


def recorded(g: Graph, item: URIRef) -> bool:
    return (item, RDF.type, DLG.Homework) not in g and bool(videos(g, item))


def evidence_kinds(a: tuple, b: tuple, matcher: Matcher) -> list[str]:
    """Why ``b`` may re-record ``a``, each given as ``(material, subjects, title)``.

    Shared material kinds (sorted), then ``title`` (:func:`title_match`) and ``named`` (``b``'s
    title names all of ``a``'s signature), the last two only for items sharing a subject.
    """
    (mat_a, subj_a, title_a), (mat_b, subj_b, title_b) = a, b
    kinds = sorted({mat_a[k] for k in mat_a.keys() & mat_b.keys()})
    if subj_a & subj_b:
        if title_match(title_a, title_b, matcher):
            kinds.append("title")
        sa = signature(title_a, matcher)
        if sa and sa <= signature(title_b, matcher):
            kinds.append("named")
    return kinds


def link_evidence(g: Graph, newer: URIRef, older: URIRef) -> list[str]:
    """What a re-recording link rests on.

    ``slides`` / ``notebook`` (shared material), ``title`` (similar titles, or the newer title
    naming the older one), ``part`` (another part of the same older recording has evidence)
    or ``chain`` (derived through a shared recording or another re-recording).
    """
    kinds = _direct_evidence(g, newer, older)
    if kinds:
        return kinds
    parts = _parts(g, older)
    if any(_direct_evidence(g, newer, p) for p in parts):
        return ["part"]
    return ["chain"]


def _direct_evidence(g: Graph, newer: URIRef, older: URIRef) -> list[str]:
    def facts(item):
        subjects = set(g.objects(item, DCTERMS.subject)) - NOT_A_SUBJECT
        return material(g, item), subjects, str(g.value(item, SDO.name) or "")

    kinds = evidence_kinds(facts(older), facts(newer), default_matcher())
    # Told apart while matching; to a reader both say the titles agree.
    titled = {"title", "named"} & set(kinds)
    return [k for k in kinds if k not in titled] + (["title"] if titled else [])


def _parts(g: Graph, item: URIRef) -> set[URIRef]:
    """The other items of ``item``'s edition sharing one of its videos."""
    ed, vids = g.value(item, DLG.edition), videos(g, item)
    return {
        x
        for v in vids
        for x in set(g.subjects(SDO.video, v))
        | {s for c in g.subjects(SDO.isPartOf, v) for s in g.subjects(SDO.video, c)}
        if x != item and g.value(x, DLG.edition) == ed
    }
