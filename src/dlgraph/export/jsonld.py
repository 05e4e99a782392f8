"""Rows as a schema.org JSON-LD document, its context inline so it parses offline."""

from __future__ import annotations

import json

from dlgraph.export.rows import keywords, named_authors, row_doi
from dlgraph.names import split_name
from dlgraph.vocab import edition_iri

#: schema.org as the vocabulary, inline so the file parses offline.
JSONLD_CONTEXT = {"@vocab": "https://schema.org/", "url": {"@type": "@id"},
                  "sameAs": {"@type": "@id"}}
_SCHEMA_TYPES = {"paper": "ScholarlyArticle", "book": "Book", "slides": "PresentationDigitalDocument",
                 "notebook": "SoftwareSourceCode"}


def _jsonld_entry(row: dict) -> dict:
    node = {"@id": row["iri"], "@type": _SCHEMA_TYPES.get(row["kind"], "CreativeWork"),
            "name": row["title"], "identifier": row["key"], "keywords": keywords(row)}
    names, _ = named_authors(row)
    if names:
        node["author"] = [_jsonld_person(a) for a in names]
    if row.get("year"):
        node["datePublished"] = str(row["year"])
    if row["url"]:
        node["url"] = row["url"]
    same = [f"https://arxiv.org/abs/{row['arxiv']}"] if row["arxiv"] else []
    doi = row_doi(row)
    same += [f"https://doi.org/{doi}"] if doi else []
    if doi:
        node["identifier"] = [row["key"], {"@type": "PropertyValue", "propertyID": "DOI",
                                           "value": doi}]
    if same:
        node["sameAs"] = same
    if row["isbn"]:
        node["isbn"] = row["isbn"]
    if row["note"]:
        node["description"] = row["note"]
    # schema:citation points from the citing work to the cited one: the lectures citing a
    # reading are its reverse citations. An edition (a CourseInstance, an Event) features
    # the reading and the lecture (schema:workFeatured); schema:isPartOf would need a
    # CreativeWork at both ends.
    citing = [{"@id": x["iri"], "@type": "LearningResource", "name": x["title"],
               "@reverse": {"workFeatured": _edition_ref(x["edition"])}}
              for x in row["lectures"]]
    reverse = {}
    if citing:
        reverse["citation"] = citing
    if row["editions"]:
        reverse["workFeatured"] = [_edition_ref(e) for e in row["editions"]]
    if reverse:
        node["@reverse"] = reverse
    return node


def _jsonld_person(name: str) -> dict:
    parts = split_name(name)
    person = {"@type": "Person", "name": name, "familyName": parts.family}
    if parts.given:
        person["givenName"] = parts.given
    if parts.suffix:
        person["honorificSuffix"] = parts.suffix
    return person


def _edition_ref(code: str) -> dict:
    # The graph's own edition node, so an imported file joins the full graph on it.
    return {"@id": str(edition_iri(code)), "@type": "CourseInstance", "identifier": code}


def to_jsonld(rows: list[dict]) -> str:
    """A JSON-LD document (schema.org vocabulary): one node per reading in ``@graph``."""
    doc = {"@context": JSONLD_CONTEXT, "@graph": [_jsonld_entry(r) for r in rows]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
