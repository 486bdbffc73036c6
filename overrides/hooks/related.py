"""Related posts: for each post, up to three other posts ranked by shared tags, then
recency (on_page_content), kept in page.meta["related"] for posts.py to lay out."""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from entries import Entry, entries

LIMIT = 3


def related(entry: Entry, candidates: Iterable[Entry], limit: int = LIMIT) -> list[Entry]:
    """Other posts sharing at least one tag with `entry`: most shared tags first, then newest
    (then by title, so that equal dates give one stable order)."""
    mine = set(entry.tags)
    scored = [
        (len(mine.intersection(other.tags)), other)
        for other in candidates
        if other.is_post and other.file.src_uri != entry.file.src_uri
    ]
    scored = [(shared, other) for shared, other in scored if shared]
    scored.sort(key=lambda item: (-item[0], -item[1].date.timestamp(), item[1].title))
    return [other for _, other in scored[:limit]]


@event_priority(-100)  # posts only exist once the blog plugin has read them
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    published = entries(files, config)
    entry = next((e for e in published if e.is_post and e.file is page.file), None)
    if entry is not None:
        page.meta["related"] = related(entry, published)
    return html
