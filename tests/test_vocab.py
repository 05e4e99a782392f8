"""The vocabulary module: closed namespaces and deterministic, readable IRIs."""

import pytest

from dlgraph.vocab import (
    DLG,
    clip_iri,
    iri,
    lecture_iri,
    person_iri,
    resource_iri,
    section_iri,
    slug,
)


def test_dlg_is_closed():
    with pytest.raises(AttributeError):
        DLG.sameRecordinAs  # noqa: B018 - the typo must raise


def test_dlg_known_term():
    assert str(DLG.sameRecordingAs) == "https://w3id.org/dlgraph/ns#sameRecordingAs"


def test_slug_folds_accents_and_case():
    assert slug("Chloé  Exemple") == "chloe-exemple"


def test_iris_are_deterministic():
    assert lecture_iri("SP20", "02-1") == lecture_iri("SP20", "02-1")
    assert str(lecture_iri("SP20", "02-1")).endswith("/edition/SP20/lecture/02-1")


def test_person_iri_uses_slug():
    assert str(person_iri("yann lecun")).endswith("/person/yann-lecun")


def test_resource_iri_by_kind():
    assert str(resource_iri("video", "abcDEF12345")).endswith("/video/abcDEF12345")
    assert str(resource_iri("slides", "drive:XYZ")).endswith("/slides/drive/XYZ")
    nb = resource_iri("notebook", "github:Atcold/NYU-DLSP20/04-x.ipynb")
    assert str(nb).endswith("/notebook/github/Atcold/NYU-DLSP20/04-x.ipynb")


def test_clip_and_section_iris():
    assert str(clip_iri("abc", 217)).endswith("/video/abc/t/217")
    s = section_iri("https://atcold.github.io/NYU-DLSP20/en/week02/02-1/", "chain-rule")
    assert str(s) == "https://atcold.github.io/NYU-DLSP20/en/week02/02-1/#chain-rule"


def test_iri_quotes_unsafe_parts():
    assert " " not in str(iri("reading", "book", "a b"))
