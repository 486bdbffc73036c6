"""The search index of a build as the tests read it: Pagefind's chunks under pagefind/ are
gzip files that start with a signature; a page's fragment is JSON (url, content, meta such as
title and date, filters such as tag); the other chunks are CBOR (words, filters, sort orders)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2

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


def contents(root: Path) -> dict:
    """Everything the index holds, its page numbers replaced by the pages' URLs.

    Pagefind numbers pages in the order it meets them, so two indexes of the same pages differ
    in their numbers (and chunk bytes) alone; in these terms they are equal. Sort orders stay
    lists: pages with equal sort values may come in either order.
    """
    found = chunks(root)
    [meta_name] = [name for name in found if name.endswith(".pf_meta")]
    version, page_list, _word_chunks, _filter_chunks, sorts, meta_fields = cbor2.loads(found[meta_name])
    fragments = {page["url"]: page for page in pages(root)}
    urls = [json.loads(found[f"pagefind/fragment/{hash}.pf_fragment"])["url"] for hash, _ in page_list]
    words, filters = {}, {}
    for name, data in found.items():
        if name.endswith(".pf_index"):
            [entries] = cbor2.loads(data)
            for word, occurrences, *rest in entries:
                number, where = 0, {}
                for step, *locations in occurrences:  # each page number is a step from the last
                    number += step
                    where[urls[number]] = locations
                words[word] = (where, rest)
        elif name.endswith(".pf_filter"):
            filter_name, values = cbor2.loads(data)
            filters[filter_name] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    return {
        "version": version,
        "pages": {urls[n]: (fragments[urls[n]], word_count) for n, (_, word_count) in enumerate(page_list)},
        "words": words,
        "filters": filters,
        "sorts": {name: [urls[n] for n in numbers] for name, numbers in sorts},
        "meta fields": meta_fields,
    }
