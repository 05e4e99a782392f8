"""YouTube watch URLs, spelled without rdflib: the search spells a caption's link at query
time, and a search process imports no rdflib (``dlgraph.vocab.video_url`` wraps this)."""

from __future__ import annotations


def watch_url(video_id: str, start: int | None = None) -> str:
    """The YouTube watch URL of a video, at ``start`` seconds when given."""
    base = f"https://www.youtube.com/watch?v={video_id}"
    return f"{base}&t={start}s" if start else base
