"""Math in snippets and headings reads as text (issue 15): hand-written LaTeX in the notes'
style, with the sites' own macros."""

from __future__ import annotations

import pytest

from dlgraph.search.latex import readable
from dlgraph.search.snippets import _snippet

MATH = (r"Some words first. \[\begin{aligned} \text{energy} &= \frac{1}{2} \Vert \vy - "
        r"\vect{\tilde{y}} \Vert^2 \end{aligned}\] so the energy of $\vz$ stays small.")


@pytest.mark.parametrize("tex,text", [
    (r"Discussion on sampling $\boldsymbol{z}$ (a trick)", "Discussion on sampling z (a trick)"),
    (r"Latent variable EBM example: $K$-means", "Latent variable EBM example: K-means"),
    (r"Locality $\Rightarrow$ sparsity", "Locality ⇒ sparsity"),
    (r"the site's macros: $\vx$, $\vect{h}$, $\red{y}$", "the site's macros: x, h, y"),
    ("no math at all, 5 $ only", "no math at all, 5 $ only"),
])
def test_headings_read_as_text(tex, text):
    assert readable(tex) == text


def test_a_snippet_shows_math_as_text_and_marks_outside_latex():
    snippet = _snippet(MATH, frozenset({"energi"}), "en")
    assert "[[energy]]" in snippet
    for markup in ("\\", "$", "begin", "{"):
        assert markup not in snippet, snippet


def test_a_snippet_without_terms_shows_math_as_text():
    snippet = _snippet(MATH, frozenset(), "en")
    assert "\\" not in snippet and "$" not in snippet
    assert "1/2" in snippet
