"""What a feed reader or an RSS-to-newsletter service gets: each page's full text with absolute
links and nothing that runs, its update date, an Atom feed beside every RSS feed, and both held to
their format's rules (RFC 4287 for Atom, the RSS 2.0 specification)."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime
from types import SimpleNamespace

import feedparser
import lxml.etree
import lxml.html
import pytest
from mkdocs.structure.files import File

from blogpost.features.feeds import SITE_ATOM, SITE_FEED, full_text
from blogpost.model import Entry

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DCTERMS = "{http://purl.org/dc/terms/}"
DC = "{http://purl.org/dc/elements/1.1/}"
# RFC 3339 (Atom's dates; W3C-DTF for dcterms) with the offset it must carry.
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
# RFC 822 as RSS 2.0 writes it: "Mon, 02 Nov 2026 00:00:00 +0000".
RFC822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}")
RSS_CHANNEL = {"title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
               "pubDate", "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image",
               "rating", "textInput", "skipHours", "skipDays", "item"}
RSS_ITEM = {"title", "link", "description", "author", "category", "comments", "enclosure", "guid",
            "pubDate", "source"}
# What the plugin adds around a post's text on its page, and the page's own furniture.
NOT_THE_TEXT = "nav.md-tags, h1, .post-byline, .page-reviewed, .post-related, .post-nav, a.headerlink"
SITES = ["site", "sample_site"]


@pytest.fixture(params=SITES)
def any_site(request):
    return request.getfixturevalue(request.param)


def _pairs(built) -> list[tuple[str, str]]:
    """Every (RSS, Atom) pair of feeds the site publishes."""
    rss = sorted(p.relative_to(built.root).as_posix() for p in built.root.rglob("feed.xml"))
    assert SITE_FEED in rss and len(rss) > 1, rss
    return [(feed, feed.removesuffix("feed.xml") + "atom.xml") for feed in rss]


def _xml(built, feed: str):
    return lxml.etree.parse(str(built.root / feed)).getroot()


def _folded(text: str) -> str:
    return " ".join(text.split())


def _article_text(built, url: str) -> str:
    """The text of a built page's article, without what the plugin and theme put around it."""
    article = lxml.html.fromstring(lxml.html.tostring(built.page(url).cssselect("article")[0]))
    for node in article.cssselect(NOT_THE_TEXT):
        node.drop_tree()
    return _folded(article.text_content())


def _items(built, feed: str, atom: str) -> list[tuple[lxml.etree._Element, lxml.etree._Element]]:
    """Each RSS item with the Atom entry at the same place."""
    items = _xml(built, feed).find("channel").findall("item")
    entries = _xml(built, atom).findall(f"{ATOM}entry")
    assert len(items) == len(entries) > 0, (feed, atom)
    return list(zip(items, entries))


def test_every_rss_feed_has_an_atom_twin_carrying_the_same_entries(any_site):
    for feed, atom in _pairs(any_site):
        rss, twin = (feedparser.parse((any_site.root / name).read_bytes()) for name in (feed, atom))
        assert not rss.bozo and not twin.bozo, (rss.get("bozo_exception"), twin.get("bozo_exception"))
        assert (rss.version, twin.version) == ("rss20", "atom10")
        assert [e.link for e in twin.entries] == [e.link for e in rss.entries], atom
        assert [e.id for e in twin.entries] == [e.id for e in rss.entries], atom
        assert [e.title for e in twin.entries] == [e.title for e in rss.entries], atom
        assert twin.feed.link == rss.feed.link and twin.feed.title == rss.feed.title


def test_each_item_carries_the_pages_full_text_in_both_formats(any_site):
    checked = 0
    for feed, atom in _pairs(any_site):
        for item, entry in _items(any_site, feed, atom):
            url = item.findtext("link")[len(any_site.url):]
            expected = _article_text(any_site, url)
            assert len(expected) > len(item.findtext("description")), url  # more than the summary
            assert entry.find(f"{ATOM}content").get("type") == "html"
            for html in (item.findtext(CONTENT), entry.findtext(f"{ATOM}content")):
                assert _folded(lxml.html.fragment_fromstring(html, create_parent="div").text_content()) == expected, (feed, url)
                checked += 1
    assert checked


def test_item_content_links_absolutely_and_holds_nothing_that_runs(any_site):
    links = 0
    for feed, atom in _pairs(any_site):
        for item, entry in _items(any_site, feed, atom):
            for html in (item.findtext(CONTENT), entry.findtext(f"{ATOM}content")):
                tree = lxml.html.fragment_fromstring(html, create_parent="div")
                assert not tree.cssselect("script, style, iframe, object, embed, a.headerlink"), feed
                assert "<!--" not in html, feed
                for element in tree.iter():
                    assert not [a for a in element.attrib if a.lower().startswith("on")], feed
                    for name in ("href", "src", "cite"):
                        value = element.get(name)
                        if value is not None:
                            assert value.startswith(("https://", "http://", "mailto:")), (feed, value)
                            links += 1
    assert links, "no link in any item: the check above checked nothing"


def test_full_text_resolves_every_url_against_the_page_and_drops_what_is_not_text():
    file = File("blog/posts/x.md", "/docs", "/site", use_directory_urls=True)
    file.url = "blog/2026/01/02/x/"
    file.page = SimpleNamespace(content=(
        '<h1 id="x">Title<a class="headerlink" href="#x">¶</a></h1><p>Text <a href="../../03/y/">y</a>'
        '<img src="../../../../../assets/p.png" alt="p"> <a href="#note">n</a> <a href="mailto:a@b.c">m</a>'
        ' <a href="https://other.example/z">z</a></p>\n<!-- more -->\n<blockquote cite="q/">Q</blockquote>\n'
        "<script>alert(1)</script><style>p{}</style>\n<h2>Later <em>heading</em></h2>"))
    entry = Entry("Title", "", dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc), None, ("AI",), file, True)
    html = full_text(entry, SimpleNamespace(site_url="https://example.org/blog-post/"))
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [a.get("href") for a in tree.iter("a")] == [
        "https://example.org/blog-post/blog/2026/01/03/y/",
        "https://example.org/blog-post/blog/2026/01/02/x/#note", "mailto:a@b.c", "https://other.example/z"]
    assert tree.find(".//img").get("src") == "https://example.org/blog-post/assets/p.png"
    assert tree.find(".//blockquote").get("cite") == "https://example.org/blog-post/blog/2026/01/02/x/q/"
    assert tree.find(".//h1") is None and tree.find(".//script") is None and tree.find(".//style") is None
    assert "<!--" not in html and "¶" not in html
    assert _folded(tree.text_content()) == "Text y n m z Q Later heading"


def test_ids_are_unique_absolute_and_the_pages_own_address(any_site):
    feed_ids = set()
    for feed, atom in _pairs(any_site):
        root = _xml(any_site, atom)
        feed_ids.add(root.findtext(f"{ATOM}id"))
        ids = []
        for item, entry in _items(any_site, feed, atom):
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
            alternate = [l.get("href") for l in entry.findall(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"]
            assert entry.findtext(f"{ATOM}id") == guid.text == alternate[0]
            assert any_site.file_for(guid.text[len(any_site.url):]).is_file(), guid.text
            ids.append(guid.text)
        assert len(ids) == len(set(ids)), f"{feed}: an id is repeated"
    assert len(feed_ids) == len(_pairs(any_site)), "two feeds share an id"


def test_updated_reaches_both_feeds_where_a_post_has_it(sample_site):
    """Sample three is dated 2001-01-03 and updated 2001-02-01 (tests/conftest.py)."""
    checked = 0
    for feed, atom in [(SITE_FEED, SITE_ATOM), ("tags/samplea/feed.xml", "tags/samplea/atom.xml")]:
        for item, entry in _items(sample_site, feed, atom):
            updated = entry.findtext(f"{ATOM}updated")
            published = entry.findtext(f"{ATOM}published")
            modified = item.findtext(f"{DCTERMS}modified")
            if item.findtext("title") == "Sample three":
                assert dt.datetime.fromisoformat(published) == dt.datetime(2001, 1, 3, tzinfo=dt.timezone.utc)
                assert dt.datetime.fromisoformat(updated) == dt.datetime(2001, 2, 1, tzinfo=dt.timezone.utc)
                assert dt.datetime.fromisoformat(modified) == dt.datetime(2001, 2, 1, tzinfo=dt.timezone.utc)
                assert parsedate_to_datetime(item.findtext("pubDate")).date() == dt.date(2001, 1, 3)
                checked += 1
            else:  # never updated: Atom's required <updated> is the date; RSS says nothing
                assert updated == published and modified is None, item.findtext("title")
        # A reader sees it too: feedparser reads dcterms:modified as the item's update.
        three = next(e for e in feedparser.parse((sample_site.root / feed).read_bytes()).entries
                     if e.title == "Sample three")
        assert three.updated_parsed[:3] == (2001, 2, 1) and three.published_parsed[:3] == (2001, 1, 3)
    assert checked == 2


def test_post_entries_name_their_authors(sample_site):
    for feed, atom in _pairs(sample_site):
        for item, entry in _items(sample_site, feed, atom):
            if "/blog/" in item.findtext("link"):
                assert [n.text for n in entry.iterfind(f"{ATOM}author/{ATOM}name")] == ["Blog Post editors"]
                assert [n.text for n in item.iterfind(f"{DC}creator")] == ["Blog Post editors"]


def test_atom_feeds_follow_rfc_4287(any_site):
    for _, atom in _pairs(any_site):
        root = _xml(any_site, atom)
        assert root.tag == f"{ATOM}feed", atom
        for name in ("id", "title", "updated"):  # 4.1.1: exactly one of each
            assert len(root.findall(f"{ATOM}{name}")) == 1, (atom, name)
        assert root.findtext(f"{ATOM}id").startswith(any_site.url)
        assert RFC3339.fullmatch(root.findtext(f"{ATOM}updated")), atom
        links = root.findall(f"{ATOM}link")
        assert [(l.get("href"), l.get("type")) for l in links if l.get("rel") == "self"] == [
            (any_site.url + atom, "application/atom+xml")]
        alternates = [l for l in links if l.get("rel", "alternate") == "alternate"]
        assert len({(l.get("type"), l.get("hreflang")) for l in alternates}) == len(alternates), atom
        feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
        entries = root.findall(f"{ATOM}entry")
        assert entries, atom
        for entry in entries:
            for name in ("id", "title", "updated"):  # 4.1.2: exactly one of each
                assert len(entry.findall(f"{ATOM}{name}")) == 1, (atom, name)
            for name in ("content", "summary", "published"):  # at most one of each
                assert len(entry.findall(f"{ATOM}{name}")) <= 1, (atom, name)
            assert feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None, atom
            assert [l for l in entry.findall(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"], atom
            for name in ("updated", "published"):
                assert RFC3339.fullmatch(entry.findtext(f"{ATOM}{name}")), (atom, name)
            assert entry.findtext(f"{ATOM}published") <= entry.findtext(f"{ATOM}updated")
            assert entry.find(f"{ATOM}summary").get("type") in (None, "text")
        newest = max(dt.datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in entries)
        assert dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == newest, atom


def test_rss_feeds_follow_the_rss_2_0_specification(any_site):
    for feed, _ in _pairs(any_site):
        root = _xml(any_site, feed)
        assert root.tag == "rss" and root.get("version") == "2.0"
        channels = root.findall("channel")
        assert len(channels) == 1, feed
        channel = channels[0]
        for name in ("title", "link", "description"):  # required, once
            assert len(channel.findall(name)) == 1 and channel.findtext(name).strip(), (feed, name)
        # Elements not in the specification must be in a namespace of their own.
        for element in channel:
            assert element.tag in RSS_CHANNEL or element.tag.startswith("{"), (feed, element.tag)
        assert RFC822.fullmatch(channel.findtext("lastBuildDate")), feed
        for item in channel.findall("item"):
            assert item.findtext("title") or item.findtext("description"), feed
            for element in item:
                assert element.tag in RSS_ITEM or element.tag.startswith("{"), (feed, element.tag)
            assert RFC822.fullmatch(item.findtext("pubDate")), feed
            assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
            modified = item.findtext(f"{DCTERMS}modified")
            assert modified is None or RFC3339.fullmatch(modified), feed
            assert len(item.findall(CONTENT)) == 1, feed
            assert item.findtext("link").startswith(any_site.url)
