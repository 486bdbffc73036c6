"""The one contract between the plugin and the templates: what the plugin prepares for a page,
kept under the page's meta key "blogpost" (authors cannot set it; it is replaced on every page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup
from mkdocs.structure.pages import Page

from blogpost.model import Entry

KEY = "blogpost"


@dataclass(frozen=True)
class Chip:
    name: str
    url: str  # site-relative, for the template's `url` filter; in a Card, relative to its page


@dataclass(frozen=True)
class Card:
    """One post or guide page in a list: home, the blog's views and tag pages show the same card.
    It holds all the card shows, its links relative to the page that shows it: equal cards, equal
    HTML (listings.CardMarkup)."""

    title: str
    url: str  # relative to the page that shows the card
    date: dt.datetime
    date_text: str
    description: str
    tags: tuple[Chip, ...] = ()  # each chip's url relative to the page that shows the card, as url
    readtime: int | None = None  # minutes, posts only (Material's blog computes it)
    label: str | None = None  # what a guide page belongs to: "Guide: <its guide>"
    pinned: bool = False
    draft: bool = False  # shown only by `mkdocs serve`
    # The date's UTC offset, so that equal cards are equal HTML: equal instants at other offsets
    # compare equal as dates, yet the card writes its date with its offset (isoformat()).
    offset: dt.timedelta | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "offset", self.date.utcoffset() if isinstance(self.date, dt.datetime) else None)


@dataclass
class PostLinks:
    entry: Entry
    newer: Entry | None
    older: Entry | None
    related: list[Entry] = field(default_factory=list)


@dataclass
class PageData:
    tags: list[Chip] = field(default_factory=list)  # the page's tag chips
    feed: str | None = None  # a tag page's own RSS feed (site-relative)
    atom_feed: str | None = None  # a tag page's own Atom feed (site-relative)
    social: list[tuple[str, str, str]] = field(default_factory=list)  # (attribute, key, value) <meta> tags
    json_ld: Markup | None = None
    post: PostLinks | None = None
    end: str | None = None  # a post's related posts and older/newer links, as HTML (post_page.end)
    lastmod: str | None = None  # the page's date for sitemap.xml (YYYY-MM-DD), None when it has none
    cards: dict[str, Card] = field(default_factory=dict)  # a blog view's posts, by src_uri
    lists: dict[str, tuple] = field(default_factory=dict)  # what each card-list marker shows (listings.list_cards)


def fresh(page: Page) -> PageData:
    """A new, empty PageData for the page, replacing whatever its front matter held under the key."""
    page.meta[KEY] = PageData()
    return page.meta[KEY]


def data_of(page) -> PageData | None:
    """The page's PageData when it has one; never makes one (the preview only reads it)."""
    meta = getattr(page, "meta", None)
    found = meta.get(KEY) if isinstance(meta, dict) else None
    return found if isinstance(found, PageData) else None


def data(page: Page) -> PageData:
    found = page.meta.get(KEY)
    return found if isinstance(found, PageData) else fresh(page)
