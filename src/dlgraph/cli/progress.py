"""How commands show progress: bars on a terminal, one line per stage elsewhere.

The library reports ``(label, done, total)`` to a callback; drawing is the CLI's job."""

from __future__ import annotations

import sys
import time

import click


class _Lines:
    """One line on stderr per stage and edition, as each ends: what a log or CI shows
    instead of a bar (a bar off a terminal prints nothing for minutes)."""

    def __init__(self):
        self.label: str | None = None
        self.done = self.total = 0
        self.started = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self.label:
            self.close()
            self.label, self.started = label, time.perf_counter()
        self.done, self.total = done, total

    def close(self) -> None:
        if self.label is None:
            return
        took = f"{time.perf_counter() - self.started:.1f} s"
        if self.label == "graph":
            line = f"graph: built in {took}"
        elif self.label == "index":
            line = f"index: {self.done:,} documents in {took}"
        elif self.label.startswith("repository "):  # ingest.media: its files, read and parsed
            line = f"{self.label}: {self.done:,} transcripts, notebooks and decks read in {took}"
        else:  # an edition's crawl (every link followed, 404s too), then parsing its pages
            line = f"{self.label}: {self.done:,} links crawled and their pages parsed in {took}"
        click.echo(line, err=True)
        self.label = None


class _Bars:
    """tqdm bars on stderr, one per label, shown only on a terminal."""

    def __init__(self):
        self.bars = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(label)
        if bar is None:
            self.close()  # one stage at a time: finish the previous bar first
            bar = self.bars[label] = tqdm(desc=label, total=total, unit="page", file=sys.stderr,
                                          disable=None, leave=True)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        while self.bars:
            self.bars.popitem()[1].close()


def progress_display():
    """Bars on a terminal; plain lines when output goes to a file, a pipe or CI."""
    return _Bars() if sys.stdout.isatty() and sys.stderr.isatty() else _Lines()
