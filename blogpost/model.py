"""The site's model, computed once per build: the tag vocabulary (docs/.tags.yml) and the published
entries (posts and guide pages that carry tags), newest first, with the lookups every feature reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data

from blogpost.content.vocabularies import read_tags
from blogpost.layout import Layout


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    description: str
    src_uri: str  # its generated page, tags/<slug>.md
    feed_uri: str  # its RSS feed, tags/<slug>/feed.xml
    atom_uri: str  # its Atom feed, tags/<slug>/atom.xml

    @property
    def url(self) -> str:
        return self.src_uri.removesuffix(".md") + "/"


def load_vocabulary(docs_dir: str, layout: Layout = Layout()) -> dict[str, Tag]:
    """The tags of docs/.tags.yml by name, in the file's order.

    Read as content/vocabularies.py checks it (no alias expansion, no unusual YAML), so it never
    blows up on a bad file; a tag with a problem is left out. The build reports those problems
    with check_vocabularies() before it relies on this."""
    tags, _ = read_tags(docs_dir)
    return {
        item["name"]: Tag(**item, src_uri=f"{layout.tags_dir}{item['slug']}.md",
                          feed_uri=f"{layout.tags_dir}{item['slug']}/feed.xml",
                          atom_uri=f"{layout.tags_dir}{item['slug']}/atom.xml")
        for item in tags
    }


@dataclass(frozen=True)
class Entry:
    """A published page that carries tags: a blog post or a guide page."""

    title: str
    description: str
    date: dt.datetime
    updated: dt.datetime | None
    tags: tuple[str, ...]
    file: File
    is_post: bool
    pinned: bool = False  # a post with `pin: true`: first in the lists of latest posts


def to_datetime(value: object, tz: ZoneInfo) -> dt.datetime | None:
    """A front-matter date as an aware datetime: a bare date is midnight in the site's timezone."""
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=tz)
    return None


@dataclass
class Model:
    vocabulary: dict[str, Tag]
    entries: list[Entry]  # newest first
    posts: list[Entry] = field(init=False)  # entries without guides
    by_uri: dict[str, Entry] = field(init=False)
    post_position: dict[str, int] = field(init=False)  # where each post stands in `posts`
    tag_pages: dict[str, Tag] = field(init=False)  # each tag by the src_uri of its generated page
    # What features make once per build from the model, by name (the tag chips of listings.chips).
    made: dict[str, object] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.posts = [entry for entry in self.entries if entry.is_post]
        self.by_uri = {entry.file.src_uri: entry for entry in self.entries}
        self.post_position = {entry.file.src_uri: at for at, entry in enumerate(self.posts)}
        self.tag_pages = {tag.src_uri: tag for tag in self.vocabulary.values()}

    def latest(self, n: int) -> list[Entry]:
        """The n posts `<!-- latest-posts -->` lists: pinned ones first, each group newest first,
        as on the blog index (Material's blog plugin sorts by `pin`, then date)."""
        pinned = [e for e in self.posts if e.pinned]
        return (pinned + [e for e in self.posts if not e.pinned])[:n] if pinned else self.posts[:n]

    def tagged(self, tag: Tag) -> list[Entry]:
        """The entries carrying the tag, newest first (found once per build: a tag page asks
        for them for its list, its sitemap date and its JSON-LD)."""
        key = f"tagged:{tag.name}"
        if key not in self.made:
            self.made[key] = tuple(entry for entry in self.entries if tag.name in entry.tags)
        return list(self.made[key])

    @property
    def newest(self) -> dt.datetime | None:
        """The newest date (or update) of any entry: a generated file's date, never the clock's."""
        return max((e.updated or e.date for e in self.entries), default=None)


def read_entries(files: Files, layout: Layout, tz: ZoneInfo) -> list[Entry]:
    """Every published page with tags, newest first.

    Read after the blog plugin has resolved its posts (their URLs). Drafts and scheduled
    pages are not in `files` by then: the content stage removed them first (they stay in
    `mkdocs serve`, marked).
    """
    found = []
    # Posts are all "excluded" from the navigation by the blog plugin, so ask for every page.
    for file in files.documentation_pages(inclusion=lambda _: True):
        is_post = file.src_uri.startswith(layout.posts_dir)
        if file.generated_by or (file.inclusion.is_excluded() and not is_post):
            continue
        _, meta = get_data(file.content_string)
        if not meta.get("tags"):
            continue
        found.append(Entry(
            title=str(meta.get("title") or file.name),
            description=str(meta.get("description") or ""),
            date=to_datetime(meta.get("date"), tz) or dt.datetime.min.replace(tzinfo=tz),
            updated=to_datetime(meta.get("updated"), tz),
            tags=tuple(meta["tags"]),
            file=file,
            is_post=is_post,
            pinned=is_post and meta.get("pin") is True,
        ))
    # Newest first; a stable sort keeps pages of one date in file order, so a
    # guide's chapters dated together stay in reading order.
    found.sort(key=lambda e: e.date, reverse=True)
    return found
