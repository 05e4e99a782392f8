"""Reading an index's files through memory maps instead of buffered file handles.

Whoosh reads its files by position (``get``: a seek, then a read). On a buffered file
each read that leaves the buffer is two system calls and an 8 KiB refill, and a search
makes thousands of them (term lookups, posting blocks, field lengths, stored fields):
about a tenth of a long question's time. A memory map makes each of them a slice. The bytes
read are the same, so are the answers.
"""

from __future__ import annotations

import mmap

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile


class _MappedFile(StructFile):
    """A :class:`StructFile` over a read-only memory map (``read``/``seek``/``tell`` are the
    map's own; ``get`` slices it without moving the position)."""

    def get(self, position, length):
        return self.file[position : position + length]


class MappedStorage(FileStorage):
    """A read-only :class:`FileStorage` whose files are memory-mapped.

    Each opened file is its own map with its own position, as each file handle was: a
    searcher still must not be shared between threads, and is not
    (:meth:`~dlgraph.search.index.SearchIndex.reading`).
    """

    def __init__(self, path: str):
        super().__init__(path, readonly=True)

    def open_file(self, name, **kwargs):
        with open(self._fpath(name), "rb") as f:
            try:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
        return _MappedFile(mapped, name=name, **kwargs)
