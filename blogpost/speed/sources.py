"""The preview's reads of docs/: a source file is read once while it does not change.

Every build reads every page's source more than once: the gate its bytes (content.source.
read_source), the model and MkDocs its text (File.content_string). Under `mkdocs serve`, a file
whose size, modification and change times and inode are those of its last read gives the same
bytes and text again, as the same objects: no read, no decoding, and the memos keyed by them
find them without hashing them anew (Python keeps a text's and a byte string's hash).
"""

from __future__ import annotations

import os

from mkdocs.structure.files import File

from blogpost.content import gate, source
from blogpost.speed.compat import Mismatch, Patches
from blogpost.speed.memo import Memo


class Sources:
    """Each file's contents by its path and the stat they were read at: from this build and the
    one before, so files no longer read are let go."""

    def __init__(self) -> None:
        self.read = Memo()
        self.now: dict[str, list] = {}  # each file as this build first read it, by path

    def read_bytes(self, path) -> bytes:
        return self._current(os.fspath(path))[0]

    def text(self, path: str, stock) -> str:
        """As open(path, encoding="utf-8-sig", errors="strict").read() gives it (`stock` reads it
        so, to raise what it raises)."""
        found = self._current(path)
        if found[1] is None:
            try:  # decode() reads a byte-order mark and line endings as that open() does
                found[1] = source.decode(found[0])
            except UnicodeDecodeError:
                return stock()
        return found[1]

    def next_build(self) -> None:
        self.read.next_build()
        self.now = {}

    def apply(self, patches: Patches) -> None:
        stock_read, stock_text = getattr(gate, "read_source", None), getattr(File, "content_string", None)
        if stock_read is not source.read_source:
            raise Mismatch("the gate no longer reads sources with content.source.read_source")
        if not isinstance(stock_text, property) or stock_text.fset is None:
            raise Mismatch("File.content_string is no longer a property with a setter")
        self.next_build()
        sources = self

        def content_string(file: File) -> str:
            if file._content is not None or not file.abs_src_path:
                return stock_text.fget(file)
            return sources.text(file.abs_src_path, lambda: stock_text.fget(file))

        patches.set(gate, "read_source", self.read_bytes)
        patches.set(File, "content_string", property(content_string, stock_text.fset, doc=stock_text.__doc__))

    def _current(self, path: str) -> list:
        """[the file's bytes, their text once asked for], read at its stat when this build first
        read it: every stage of one build reads the same contents (a save during the build is
        for the next one, which its change notice starts)."""
        found = self.now.get(path)
        if found is None:
            stat = os.stat(path)
            key = (path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            found = self.now[path] = self.read.get(key, lambda: [source.read_source(path), None])
        return found
