"""RSS 2.0 feeds, written with feedgen as generated files: feed.xml for all posts, and
tags/<slug>/feed.xml for everything that carries a tag."""

from __future__ import annotations

import datetime as dt
import html

from feedgen.feed import FeedGenerator
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from blogpost.model import Entry, Model
from blogpost.text import absolute_url

SITE_FEED = "feed.xml"


def add_feeds(files: Files, config: MkDocsConfig, model: Model, *, items: int) -> None:
    # A feed's date is its newest item's, not the clock's: two builds of one commit agree.
    newest = model.newest
    files.append(_feed_file(config, SITE_FEED, config.site_name, config.site_description,
                            model.posts[:items], newest))
    for tag in model.vocabulary.values():
        title = f"#{tag.name} on {config.site_name}"
        files.append(_feed_file(config, tag.feed_uri, title, tag.description, model.tagged(tag)[:items], newest))


def _feed_file(
    config: MkDocsConfig, uri: str, title: str, description: str, items: list[Entry], newest: dt.datetime | None
) -> File:
    feed = FeedGenerator()
    feed.title(title)
    feed.description(description or title)
    # feedgen makes the last link the channel's <link>: the site, not the feed.
    feed.link(href=absolute_url(config, uri), rel="self")
    feed.link(href=config.site_url, rel="alternate")
    feed.language(config.theme.get("language") or "en")
    feed.generator(config.site_name)
    if config.copyright:
        feed.copyright(config.copyright.replace("&copy;", "©"))
    last = max((e.updated or e.date for e in items), default=newest)
    if last:
        feed.lastBuildDate(last)
    for entry in items:
        url = absolute_url(config, entry.file.url)
        item = feed.add_entry(order="append")
        item.title(entry.title)
        item.link(href=url)
        item.guid(url, permalink=True)
        item.pubDate(entry.date)
        # Readers render an item's description as HTML: escape it so it reads as the author wrote it.
        item.description(html.escape(entry.description or entry.title, quote=False))
        for name in entry.tags:
            item.category(term=name)
    return File.generated(config, uri, content=feed.rss_str(pretty=True))
