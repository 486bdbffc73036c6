"""What each feed carries: exactly the entries its page lists, newest first, with zoned dates
and absolute links, and never a list page (home, blog index, archive, tag) as an item."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

import feedparser
import lxml.etree
import pytest

from blogpost.features.feeds import SITE_FEED
from page_meta import built_posts, links

LIST_PAGE = re.compile(r"^(|blog/|blog/page/\d+/|blog/archive/.*|tags/.*)$")
SITES = ["site", "sample_site"]


@pytest.fixture(params=SITES)
def any_site(request):
    return request.getfixturevalue(request.param)


def _feeds(built) -> list[str]:
    feeds = sorted(p.relative_to(built.root).as_posix() for p in built.root.rglob("feed.xml"))
    assert SITE_FEED in feeds and len(feeds) > 1, feeds
    return feeds


def _items(built, feed: str) -> list[str]:
    parsed = feedparser.parse((built.root / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [item.link[len(built.url):] for item in parsed.entries]


def test_every_date_in_every_feed_has_a_timezone(any_site):
    checked = 0
    for feed in _feeds(any_site):
        channel = lxml.etree.parse(str(any_site.root / feed)).getroot().find("channel")
        stamps = [e.text for e in channel.iter("pubDate", "lastBuildDate")]
        assert len(stamps) == len(channel.findall("item")) + 1, feed
        for stamp in stamps:
            assert parsedate_to_datetime(stamp).tzinfo is not None, (feed, stamp)
            checked += 1
    assert checked


def test_every_feed_names_itself_and_links_absolutely(any_site):
    atom = "{http://www.w3.org/2005/Atom}link"
    for feed in _feeds(any_site):
        channel = lxml.etree.parse(str(any_site.root / feed)).getroot().find("channel")
        # The page the feed follows: the site, or the tag's page.
        assert channel.findtext("link") == any_site.url + feed.removesuffix("feed.xml"), feed
        assert channel.findtext("description").strip(), feed
        selves = [link.get("href") for link in channel.iter(atom) if link.get("rel") == "self"]
        assert selves == [any_site.url + feed]
        for item in channel.findall("item"):
            assert item.findtext("link").startswith(any_site.url)
            assert item.findtext("guid") == item.findtext("link")


def test_no_feed_item_is_a_list_page(any_site):
    for feed in _feeds(any_site):
        for target in _items(any_site, feed):
            assert not LIST_PAGE.match(target), f"{feed}: {target or 'home'} is a list page"
            assert any_site.file_for(target).is_file(), f"{feed}: {target}"


def test_site_feed_carries_the_newest_posts_newest_first(any_site, config):
    items = config["plugins"]["blogpost"]["feed_items"]
    posts = [post.url for post in built_posts(any_site)]
    assert posts
    assert _items(any_site, SITE_FEED) == posts[:items]


def test_each_tag_feed_carries_exactly_what_its_tag_page_lists(any_site, config):
    items = config["plugins"]["blogpost"]["feed_items"]
    tag_feeds = [f for f in _feeds(any_site) if f != SITE_FEED]
    listed = 0
    for feed in tag_feeds:
        page_url = feed.removesuffix("feed.xml")
        on_page = links(any_site, any_site.page(page_url), "article .bp-card__title > a", page_url)
        assert _items(any_site, feed) == on_page[:items], feed
        listed += len(on_page)
    assert listed > 0
