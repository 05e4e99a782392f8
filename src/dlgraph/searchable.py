"""What is searchable: one :class:`SearchDoc` per thing a learner can land on.

The documents are read from the graph (never from the scraper), so the index reflects exactly
what ``docs/model.md`` describes: lecture items, notes-page sections (heading, text and video
moment), notes pages, week summaries, themes, readings, people, saved documents, and
(``dlgraph.searchable_media``) transcript passages, notebook cells and slide pages. This module
knows nothing about the search engine; ``dlgraph.search`` turns the documents into a Whoosh
index, and ``bench/search.py`` feeds the same documents to a second engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef

from dlgraph.bibliography import reading_authors
from dlgraph.node_values import preferred_text
from dlgraph.search_doc import KINDS, SearchDoc, edition_order, edition_sorted
from dlgraph.searchable_media import media_documents
from dlgraph.vocab import BIBO, DCTERMS, DLG, RDF, SDO, SKOS, TOPICS, slug, video_url

# KINDS, SearchDoc and edition_order live in dlgraph.search_doc; this module has always
# offered them beside the documents it makes.
__all__ = ["KINDS", "SearchDoc", "documents", "edition_order", "topic_labels"]


def documents(g: Graph) -> list[SearchDoc]:
    """Every searchable document of ``g``, in a deterministic order."""
    return list(_Reader(g).all())


def topic_labels(g: Graph) -> dict[str, tuple[str, ...]]:
    """Every label (preferred and alternative, any language) of each course topic, by key.

    The key is the topic IRI's last segment (``convolutional-nets``), as in
    :attr:`SearchDoc.topic_keys`.
    """
    out = {}
    for t in sorted(set(g.subjects(RDF.type, SKOS.Concept))):
        if not str(t).startswith(str(TOPICS)):
            continue
        labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in g.objects(t, p)}
        out[str(t)[len(str(TOPICS)) :]] = tuple(sorted(labels))
    return out


class _Reader:
    """Reads the graph once per kind; small caches keep repeated look-ups cheap."""

    def __init__(self, g: Graph):
        self.g = g
        self._names: dict[URIRef, str] = {}
        self._editions: dict[URIRef, str] = {}
        self._topics: dict[URIRef, tuple[str, str, tuple[str, ...]]] = {}

    def all(self) -> Iterator[SearchDoc]:
        yield from self.lectures()
        yield from self.pages()
        yield from self.themes()
        yield from self.readings()
        yield from self.people()
        yield from self.saved_documents()
        # what was said, coded and shown (transcripts, notebooks, slides): its own module
        for fields in media_documents(self):
            yield SearchDoc(**{**fields, "editions": edition_sorted(fields["editions"])})

    # -- small look-ups -------------------------------------------------------------------

    def text(self, s, p, lang: str | None = None) -> str:
        """The literal of ``s p``, preferring ``lang``, then English, then any."""
        return preferred_text([o for o in self.g.objects(s, p) if isinstance(o, Literal)], lang)

    def edition(self, node) -> str | None:
        ed = self.g.value(node, DLG.edition)
        if ed is None:
            return None
        if ed not in self._editions:
            self._editions[ed] = str(self.g.value(ed, SDO.identifier) or ed.rsplit("/", 1)[-1])
        return self._editions[ed]

    def name(self, person) -> str:
        if person not in self._names:
            self._names[person] = self.text(person, SDO.name) or str(person).rsplit("/", 1)[-1]
        return self._names[person]

    def people_of(self, node, *preds) -> tuple[str, ...]:
        found = {self.name(p) for pred in preds for p in self.g.objects(node, pred)}
        return tuple(sorted(found))

    def topic(self, t) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """(key, English label, every (label, language)) of a topic concept."""
        if t not in self._topics:
            tail = str(t)[len(str(TOPICS)) :] if str(t).startswith(str(TOPICS)) else slug(str(t))
            label = self.text(t, SKOS.prefLabel, "en") or tail
            # preferred labels only: the alternative ones are the tagger's matching rules
            labels = {(str(o), o.language or "") for o in self.g.objects(t, SKOS.prefLabel)}
            self._topics[t] = (tail, label, tuple(sorted(labels)))
        return self._topics[t]

    def topics_of(self, *nodes, lang: str | None = "en") -> dict:
        """Topic fields of whatever ``nodes`` are tagged with; labels in English and ``lang``."""
        nodes = [n for n in nodes if n is not None]
        found = {self.topic(t) for n in nodes for t in self.g.objects(n, DCTERMS.subject)}
        strength: dict[str, float] = defaultdict(float)
        for n in nodes:
            for tag in self.g.objects(n, DLG.tag):
                topic, score = self.g.value(tag, DLG.topic), self.g.value(tag, DLG.score)
                if topic is not None and score is not None:
                    strength[self.topic(topic)[0]] += float(score)
        ordered = sorted(found, key=lambda x: x[1].lower())
        keys = sorted({k for key, label, _ in ordered for k in (key, slug(label))})
        # the names a reader of this document would type
        langs = {"", "en", (lang or "en").split("-")[0]}
        labels = sorted({lab for *_, labs in ordered for lab, lg in labs if lg in langs})
        return {"topics": tuple(lab for _, lab, _ in ordered), "topic_keys": tuple(keys),
                "topic_labels": tuple(labels),
                "topic_strength": tuple(sorted((k, round(v, 2)) for k, v in strength.items()))}

    def video_of(self, node) -> tuple[str | None, int | None]:
        """YouTube ID and start second of ``node``'s video (or video moment), if any."""
        for v in sorted(self.g.objects(node, SDO.video)):
            start = self.g.value(v, SDO.startOffset)
            whole = self.g.value(v, SDO.isPartOf) if start is not None else v
            vid = self.g.value(whole, SDO.identifier)
            if vid is not None:
                return str(vid), (int(start) if start is not None else None)
        return None, None

    def video_ids(self, node) -> set[str]:
        """YouTube IDs of every video ``node`` links to (a clip counts as its whole video)."""
        ids = set()
        for v in self.g.objects(node, SDO.video):
            whole = self.g.value(v, SDO.isPartOf) or v
            vid = self.g.value(whole, SDO.identifier)
            if vid is not None:
                ids.add(str(vid))
        return ids

    def same_recordings(self, lectures) -> dict[URIRef, tuple[str, ...]]:
        """The other lecture items each item shares its recording with.

        ``dlg:sameRecordingAs`` (stored by :mod:`dlgraph.lineage`) links editions; a shared
        YouTube ID also counts within an edition when the titles agree (SP21 lists "Energy
        based models (V)" twice), but not for SP20's two parts of one week's video, whose
        titles and notes differ.
        """
        g = self.g
        same: dict[URIRef, set] = defaultdict(set)
        by_video: dict[str, set] = defaultdict(set)
        for lec in lectures:
            same[lec].update(g.objects(lec, DLG.sameRecordingAs))
            for vid in self.video_ids(lec):
                by_video[vid].add(lec)
        for items in by_video.values():
            for a in items:
                for b in items:
                    if a != b and self.edition(a) == self.edition(b) and (
                        self.text(a, SDO.name, "en").strip().lower()
                        == self.text(b, SDO.name, "en").strip().lower()
                    ):
                        same[a].add(b)
        return {lec: tuple(sorted(str(o) for o in others if o != lec))
                for lec, others in same.items()}

    def theme_label(self, node) -> str | None:
        t = self.g.value(node, DLG.theme)
        return self.text(t, SKOS.prefLabel, "en") if t is not None else None

    def site_url(self, node) -> str | None:
        ed = self.g.value(node, DLG.edition)
        url = self.g.value(ed, SDO.url) if ed is not None else None
        return str(url) if url is not None else None

    # -- lecture items --------------------------------------------------------------------

    def lectures(self) -> Iterator[SearchDoc]:
        g = self.g
        items = sorted(g.subjects(RDF.type, SDO.LearningResource))
        same = self.same_recordings(items)
        for lec in items:
            vid, start = self.video_of(lec)
            pages = sorted(g.objects(lec, DLG.notesPage))
            idents = []
            for pred in (DLG.notebook, DLG.slides):
                # sorted: the graph's iteration order differs between a built and a loaded graph
                for res in sorted(g.objects(lec, pred)):
                    key = str(g.value(res, SDO.identifier) or "")
                    if key.startswith("github:"):
                        name = key.rsplit("/", 1)[-1]
                        # the stem too: the tokenizer keeps "data.ipynb" whole, and a learner
                        # types "echo_data" or "09-echo_data" without the extension
                        stem = name.rsplit(".", 1)[0]
                        idents += [name, stem] if stem and stem != name else [name]
            fmt = str(g.value(lec, SDO.learningResourceType) or "lecture")
            week = g.value(lec, DLG.week)
            theme = self.theme_label(lec)
            # a readable line, since an item has no text of its own beyond footnotes
            summary = " · ".join(x for x in (
                fmt.capitalize(), f"week {week}" if week is not None else "",
                f"theme: {theme}" if theme else "",
                *(f"notes: {self.text(p, SDO.name, 'en')}" for p in pages),
                *(str(o) for o in g.objects(lec, DLG.footnote)),
            ) if x)
            first_page = str(pages[0]) if pages else None
            ed = self.edition(lec)
            yield SearchDoc(
                iri=str(lec), kind="lecture", title=self.text(lec, SDO.name, "en"),
                language="en", editions=edition_sorted([ed] if ed else []),
                text=summary, names=self.people_of(lec, DLG.lecturer), idents=tuple(idents),
                url=str(video_url(vid, start)) if vid else first_page or self.site_url(lec),
                page_url=first_page or self.site_url(lec), video=vid, start=start,
                lecture=str(lec), theme=theme, lecturers=self.people_of(lec, DLG.lecturer),
                group=str(lec), same_recording=same.get(lec, ()), **self.topics_of(lec),
            )

    # -- notes pages, week pages and their sections ---------------------------------------

    def page_group(self, page) -> tuple[str | None, str]:
        """(lecture, group) of a page: translations collapse with their original."""
        g = self.g
        lectures = sorted(g.objects(page, SDO.about))
        original = g.value(page, SDO.translationOfWork)
        if not lectures and original is not None:
            lectures = sorted(g.objects(original, SDO.about))
        if lectures:
            return str(lectures[0]), str(lectures[0])
        return None, str(original if original is not None else page)

    def pages(self) -> Iterator[SearchDoc]:
        g = self.g
        pages = set(g.subjects(RDF.type, DLG.NotesPage)) | set(g.subjects(RDF.type, DLG.WeekPage))
        for page in sorted(pages):
            kind = "notes" if (page, RDF.type, DLG.NotesPage) in g else "week"
            lang = str(g.value(page, SDO.inLanguage) or "en")
            title = self.text(page, SDO.name, lang)
            ed = self.edition(page)
            editions = edition_sorted([ed] if ed else [])
            lecture, group = self.page_group(page)
            lecturers = self.people_of(page, DLG.lecturer)
            names = self.people_of(page, DLG.lecturer, SDO.author, SDO.translator)
            lec_title = self.text(URIRef(lecture), SDO.name, "en") if lecture else ""
            theme = self.theme_label(URIRef(lecture)) if lecture else None
            page_vid, _ = (None, None)
            sections = sorted(g.objects(page, SDO.hasPart),
                              key=lambda s: int(g.value(s, SDO.position) or 0))
            bodies = []
            # (level, video, start) of the headings enclosing the current section
            above: list[tuple[int, str | None, int | None]] = []
            for sec in sections:
                heading = self.text(sec, SDO.name, lang)
                body = self.text(sec, SDO.text, lang)
                bodies.append((heading, body))
                vid, start = self.video_of(sec)
                level = int(g.value(sec, DLG.headingLevel) or 2)
                while above and above[-1][0] >= level:
                    above.pop()
                if vid is None and above:
                    # an untimed subsection is part of its section's stretch of the video
                    _, vid, start = above[-1]
                above.append((level, vid, start))
                page_vid = page_vid or vid
                yield SearchDoc(
                    iri=str(sec), kind="section", title=title, language=lang, editions=editions,
                    text=body, heading=heading, context=title,
                    url=str(video_url(vid, start)) if vid else str(sec), page_url=str(sec),
                    video=vid, start=start, lecture=lecture, theme=theme, lecturers=lecturers,
                    group=group, **self.topics_of(sec, lang=lang),
                )
            if page_vid is None and lecture:
                page_vid, _ = self.video_of(URIRef(lecture))
            headings = " · ".join(h for h, _ in bodies if h)
            full = "\n".join(f"{h}\n{b}" for h, b in bodies)
            yield SearchDoc(
                iri=str(page), kind=kind, title=title, language=lang, editions=editions,
                # a week page is its part summaries; a notes page shows its outline
                text=full if kind == "week" else headings,
                context=lec_title,
                names=names, url=str(page), page_url=str(page), video=page_vid,
                lecture=lecture, theme=theme, lecturers=lecturers, group=group,
                **self.topics_of(page, lang=lang),
            )

    # -- themes, readings, people, saved documents ----------------------------------------

    def themes(self) -> Iterator[SearchDoc]:
        g = self.g
        items = defaultdict(list)
        for lec, t in g.subject_objects(DLG.theme):
            items[t].append(self.text(lec, SDO.name, "en"))
        for t in sorted(g.subjects(RDF.type, SKOS.Concept)):
            if g.value(t, DLG.edition) is None:
                continue  # a course topic, not an edition theme
            ed = self.edition(t)
            yield SearchDoc(
                iri=str(t), kind="theme", title=self.text(t, SKOS.prefLabel, "en"),
                language="en", editions=edition_sorted([ed] if ed else []),
                text=" · ".join(sorted(items[t])), url=self.site_url(t), page_url=self.site_url(t),
                theme=self.text(t, SKOS.prefLabel, "en"), group=str(t), **self.topics_of(t),
            )

    def readings(self) -> Iterator[SearchDoc]:
        g = self.g
        cites = defaultdict(list)
        for c in g.subjects(RDF.type, DLG.Citation):
            r = g.value(c, DLG.reading)
            if r is not None:
                cites[r].append(c)
        for r in sorted(g.subjects(RDF.type, BIBO.Document)):
            editions = {self.edition(c) for c in cites[r]} - {None}
            contexts: dict[str, set[str]] = defaultdict(set)
            for c in cites[r]:
                for p in (DLG.context, DLG.readingFor):
                    for o in g.objects(c, p):
                        lang = (getattr(o, "language", None) or "en").lower()
                        contexts[lang].add(str(o))
            creators = tuple(sorted(reading_authors(g, r)))
            idents = [str(o) for p in (DLG.arxivId, BIBO.doi) for o in sorted(g.objects(r, p))]
            title = self.text(r, DCTERMS.title, "en") or self.text(r, SDO.name, "en")
            url = g.value(r, SDO.url)
            yield SearchDoc(
                iri=str(r), kind="reading", title=title, language="en", editions=edition_sorted(editions),
                text=" · ".join(sorted(contexts.pop("en", ()))),
                other_texts=tuple((lang, " · ".join(sorted(texts)))
                                  for lang, texts in sorted(contexts.items())),
                names=creators, idents=tuple(idents),
                url=str(url) if url is not None else None, page_url=None, group=str(r),
                **self.topics_of(r),
            )

    def people(self) -> Iterator[SearchDoc]:
        g = self.g
        roles = defaultdict(set)
        for role in g.subjects(RDF.type, SDO.Role):
            p = g.value(role, DLG.person)
            ed = self.edition(role)
            if p is not None:
                roles[p].add((str(g.value(role, SDO.roleName) or ""), ed or ""))
        rank = {c: i for i, c in enumerate(edition_order())}
        for d in g.subjects(DLG.documentKind, None):
            for p in g.objects(d, SDO.author):
                roles[p].add(("author", self.edition(d) or ""))
        for p in sorted(g.subjects(RDF.type, SDO.Person)):
            held = sorted(roles[p], key=lambda x: (rank.get(x[1], 99), x[1], x[0]))
            name = self.name(p)
            text = "; ".join(f"{role.replace('-', ' ')} {ed}".strip() for role, ed in held)
            # the languages of the pages naming them: a translator's name said only by the
            # Arabic pages reads as Arabic, and the person is found in Arabic too
            said = {str(lang).lower() for pred in (DLG.lecturer, SDO.author, SDO.translator)
                    for page in g.subjects(pred, p)
                    for lang in g.objects(page, SDO.inLanguage)} - {"en"}
            yield SearchDoc(
                iri=str(p), kind="person", title=name, language=None,
                editions=edition_sorted(ed for _, ed in held if ed), text=text,
                names=(name, str(g.value(p, DLG.personKey) or "")), group=str(p),
                other_texts=tuple((lang, f"{name}; {text}") for lang in sorted(said)),
            )

    def saved_documents(self) -> Iterator[SearchDoc]:
        g = self.g
        for d in sorted(set(g.subjects(DLG.documentKind, None))):
            ed = self.edition(d)
            url = g.value(d, SDO.url)
            yield SearchDoc(
                iri=str(d), kind="document", title=self.text(d, SDO.name), language="en",
                editions=edition_sorted([ed] if ed else []), text=self.text(d, SDO.text),
                context=str(g.value(d, DLG.documentKind) or ""),
                names=self.people_of(d, SDO.author, SDO.mentions),
                url=str(url) if url is not None else None,
                page_url=str(url) if url is not None else None, group=str(d),
                **self.topics_of(d),
            )

