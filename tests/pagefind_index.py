"""The search index of a build as the tests read it: Pagefind's chunks under pagefind/ are
gzip files that start with a signature; a page's fragment is JSON (url, content, meta such as
title and date, filters such as tag)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def chunks(root: Path) -> dict[str, bytes]:
    """Every chunk of the index (pages, words, filters, metadata), decompressed, by path."""
    found = {}
    for path in sorted((root / "pagefind").rglob("*.pf_*")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), f"{path}: not a Pagefind chunk"
        found[path.relative_to(root).as_posix()] = data[len(SIGNATURE):]
    assert found, f"no search index in {root}"
    return found


def pages(root: Path) -> list[dict]:
    """The indexed pages; each url is site-relative with a leading slash ('/blog/…/')."""
    return [json.loads(data) for name, data in chunks(root).items() if name.endswith(".pf_fragment")]
