"""Feeds, written with feedgen: RSS 2.0 (feed.xml) and Atom (atom.xml) for all posts, and both
under tags/<slug>/ for everything that carries a tag; each item carries the page's full text."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from blogpost.content.allowlist import body_of
from blogpost.model import Entry, Model
from blogpost.text import absolute_url, text_of

SITE_FEED = "feed.xml"
SITE_ATOM = "atom.xml"
DCTERMS = "http://purl.org/dc/terms/"
# Attributes that hold a URL in the HTML the allow-list lets a page render to (content/allowlist.py).
URL_ATTRIBUTES = ("href", "src", "cite")
# Never part of an item's text: permalink anchors (the reader links the item), and anything that runs.
NOT_CONTENT = "a.headerlink, script, style"


@dataclass(frozen=True)
class Feed:
    rss_uri: str
    atom_uri: str
    page_url: str  # the HTML page the feed follows, site-relative
    title: str
    description: str
    entries: list[Entry]  # every entry it may carry, newest first


def feeds_of(config: MkDocsConfig, model: Model) -> list[Feed]:
    """The site's feed (posts only) and one per tag (posts and guide pages)."""
    found = [Feed(SITE_FEED, SITE_ATOM, "", config.site_name, config.site_description or config.site_name,
                  model.posts)]
    for tag in model.vocabulary.values():
        title = f"#{tag.name} on {config.site_name}"
        found.append(Feed(tag.feed_uri, tag.atom_uri, tag.url, title, tag.description or title, model.tagged(tag)))
    return found


def add_feeds(files: Files, config: MkDocsConfig, model: Model) -> None:
    """Each feed as a generated file, so that links to it resolve; written by fill_feeds() once
    every page is rendered (on_env), before MkDocs writes generated files."""
    for feed in feeds_of(config, model):
        files.append(File.generated(config, feed.rss_uri, content=b""))
        files.append(File.generated(config, feed.atom_uri, content=b""))


def fill_feeds(files: Files, config: MkDocsConfig, model: Model, *, items: int) -> dict[str, str | None]:
    """Every feed's XML, from the pages' rendered HTML (held to the allow-list, none of the
    byline or links the plugin adds around a post later). Returns each item's text, by src_uri
    (for refill)."""
    contents: dict[str, str | None] = {}
    for feed in feeds_of(config, model):
        _fill(files, config, model, feed, feed.entries[:items], contents)
    return contents


def refill(files: Files, config: MkDocsConfig, model: Model, *, items: int, contents: dict[str, str | None],
           changed: set[str]) -> list[File]:
    """After the pages `changed` (src_uris) were rendered again, all else as when fill_feeds
    returned `contents`: the feeds that carry one of them, made again (the preview's quick
    rebuild). Returns their files."""
    found = []
    for uri in changed:
        contents.pop(uri, None)
    for feed in feeds_of(config, model):
        entries = feed.entries[:items]
        if any(entry.file.src_uri in changed for entry in entries):
            _fill(files, config, model, feed, entries, contents)
            found += [_file(files, feed.rss_uri), _file(files, feed.atom_uri)]
    return found


def _fill(files: Files, config: MkDocsConfig, model: Model, feed: Feed, entries: list[Entry],
          contents: dict[str, str | None]) -> None:
    for entry in entries:
        if entry.file.src_uri not in contents:
            contents[entry.file.src_uri] = full_text(entry, config)
    # A feed's date is its newest item's, not the clock's: two builds agree.
    rss, atom = _render(config, feed, entries, contents, model.newest)
    _file(files, feed.rss_uri).content_bytes = rss
    _file(files, feed.atom_uri).content_bytes = atom


def full_text(entry: Entry, config: MkDocsConfig) -> str | None:
    """The page's HTML as a feed carries it: links and images absolute, without the title heading
    (readers show the item's title), permalink anchors, comments, scripts or styles.

    Parsed as a browser reads it (Lexbor, as content/allowlist.py checks it)."""
    source = getattr(entry.file.page, "content", None)
    if not source:
        return None
    base = absolute_url(config, entry.file.url)
    body = body_of(source)
    if body is None:
        return None
    for node in body.css(NOT_CONTENT):
        node.decompose()
    first = next((n for n in body.iter() if n.tag != "-comment"), None)
    if first is not None and first.tag == "h1":
        first.decompose()
    for node in list(body.traverse(include_text=False)):
        if node.tag == "-comment":
            node.decompose()
            continue
        for name in URL_ATTRIBUTES:
            value = node.attributes.get(name)
            if value is not None:
                node.attrs[name] = urljoin(base, value.strip())
    return body.inner_html.strip()


def _render(config: MkDocsConfig, feed: Feed, entries: list[Entry], contents: dict[str, str | None],
            newest: dt.datetime | None) -> tuple[bytes, bytes]:
    gen = FeedGenerator()
    gen.register_extension("dcterms", _DctermsFeed, _Modified, atom=False, rss=True)
    gen.load_extension("dc", atom=False, rss=True)
    page = absolute_url(config, feed.page_url)
    gen.title(feed.title)
    gen.description(feed.description)  # RSS <description>, Atom <subtitle>
    gen.author({"name": config.site_author or config.site_name})  # Atom: for entries without authors
    gen.language(config.theme.get("language") or "en")
    gen.generator(config.site_name)
    if config.copyright:
        gen.copyright(config.copyright.replace("&copy;", "©"))
    last = max((e.updated or e.date for e in entries), default=newest)
    if last:
        gen.updated(last)  # RSS <lastBuildDate>, Atom <updated>
    for entry in entries:
        _add_item(gen, config, entry, contents[entry.file.src_uri])
    # feedgen makes the last alternate link the channel's <link>: the page, not the feed.
    gen.link(href=absolute_url(config, feed.rss_uri), rel="self", type="application/rss+xml")
    gen.link(href=page, rel="alternate")
    rss = gen.rss_str(pretty=True)
    own = absolute_url(config, feed.atom_uri)
    gen.id(own)
    gen.link([{"href": own, "rel": "self", "type": "application/atom+xml"},
              {"href": page, "rel": "alternate", "type": "text/html"}], replace=True)
    return rss, gen.atom_str(pretty=True)


def _add_item(gen: FeedGenerator, config: MkDocsConfig, entry: Entry, content: str | None) -> None:
    url = absolute_url(config, entry.file.url)
    item = gen.add_entry(order="append")
    item.id(url)
    item.guid(url, permalink=True)
    item.title(entry.title)
    item.link(href=url, rel="alternate", type="text/html")
    item.published(entry.date)  # RSS <pubDate>, Atom <published>
    item.updated(entry.updated or entry.date)
    if entry.updated:
        item.dcterms.modified = entry.updated
    # Atom's <summary> is text; an RSS <description> is read as HTML: escaped, it reads as written.
    item.summary(entry.description or entry.title)
    item.description(html.escape(entry.description or entry.title, quote=False))
    if content:
        item.content(content, type="html")  # Atom <content type="html">, RSS <content:encoded>
    names = [text_of(author.name) for author in getattr(entry.file.page, "authors", [])]
    if names:
        item.author([{"name": name} for name in names])
        item.dc.dc_creator(names)  # RSS's <author> is an email address; readers take dc:creator
    for name in entry.tags:
        item.category(term=name)


class _DctermsFeed(BaseExtension):
    def extend_ns(self) -> dict[str, str]:
        return {"dcterms": DCTERMS}


class _Modified(_DctermsFeed, BaseEntryExtension):
    """An item's `updated` in RSS, which has no element of its own for it: dcterms:modified
    (Dublin Core, a W3C date-time), which feed readers such as feedparser read as the update."""

    def __init__(self) -> None:
        self.modified: dt.datetime | None = None

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if self.modified is not None:
            etree.SubElement(item, f"{{{DCTERMS}}}modified").text = self.modified.isoformat()
        return item


def _file(files: Files, uri: str) -> File:
    found = files.get_file_from_path(uri)
    if found is None:
        raise PluginError(f"blogpost: {uri}: the feed was not added in on_files (a plugin removed it?)")
    return found
