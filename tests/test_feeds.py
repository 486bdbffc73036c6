"""RSS feeds parse as a feed reader would, and every page advertises the site's feeds (RSS and Atom)."""

import re
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from conftest import SEED_URL, DOCS
from blogpost.model import load_vocabulary

FEEDS = ["feed.xml"] + [t.feed_uri for t in load_vocabulary(str(DOCS)).values()]


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_is_valid_rss_with_absolute_links_and_zoned_dates(site, feed):
    raw = (site.root / feed).read_text(encoding="utf-8")
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    channel = parsed.feed
    # The channel links to the page the feed follows: the site, or the tag's page.
    assert channel.title and channel.link == site.url + feed.removesuffix("feed.xml") and channel.description
    assert ">None<" not in raw
    assert parsed.entries, f"{feed} has no items"
    for item in parsed.entries:
        assert item.title and item.description
        assert item.link.startswith(site.url)
        assert site.file_for(item.link[len(site.url):]).is_file(), item.link
        stamp = re.search(r"<pubDate>(.*?)</pubDate>", raw).group(1)
        assert parsedate_to_datetime(stamp).tzinfo is not None


def test_site_feed_lists_the_seed_post(site):
    parsed = feedparser.parse((site.root / "feed.xml").read_bytes())
    assert site.url + SEED_URL in [e.link for e in parsed.entries]
    item = next(e for e in parsed.entries if e.link == site.url + SEED_URL)
    assert {t.term for t in item.tags} == {"AI", "CyberSecurity", "Learning"}


def test_site_feed_lists_posts_only_newest_first(site):
    parsed = feedparser.parse((site.root / "feed.xml").read_bytes())
    for item in parsed.entries:
        assert item.link[len(site.url):].startswith("blog/20")
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)


FEED_TYPES = {"application/rss+xml": "feed.xml", "application/atom+xml": "atom.xml"}


def _advertised(site, tree, base: str) -> set[tuple[str, str]]:
    """(type, site-relative target) of each feed a page's <head> names."""
    found = set()
    for link in tree.cssselect('head link[rel~="alternate"]'):
        if link.get("type") in FEED_TYPES:
            found.add((link.get("type"), site.to_site_path(link.get("href"), base)[0]))
    return found


def test_every_page_advertises_the_site_feeds(site):
    for path in site.html_files:
        base = site.url_of(path) if path.name != "404.html" else ""
        assert set(FEED_TYPES.items()) <= _advertised(site, site.tree(path), base), path.relative_to(site.root)


@pytest.mark.parametrize("feed", FEEDS[1:])
def test_tag_page_advertises_its_own_feeds(site, feed):
    url = feed.removesuffix("feed.xml")
    own = {(kind, url + name) for kind, name in FEED_TYPES.items()}
    assert own <= _advertised(site, site.page(url), url)
    assert (site.root / url / "atom.xml").is_file()
