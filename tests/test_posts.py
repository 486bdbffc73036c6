"""Around each built post: a byline under the title (author, dates, reading time), related
posts by shared tags (no section when none), and links to the older and newer post."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import SAMPLE_POSTS
from page_meta import built_posts, json_ld, links, meta

SITES = ["site", "sample_site"]


@pytest.fixture(params=SITES)
def any_site(request):
    return request.getfixturevalue(request.param)


def _posts(built):
    posts = built_posts(built)
    assert posts, "the build has no posts"
    return posts


def _expected_related(post, posts):
    shared = [(len(set(post.tags) & set(o.tags)), o) for o in posts if o.url != post.url]
    shared = [(n, o) for n, o in shared if n]
    shared.sort(key=lambda s: (-s[0], -s[1].published.timestamp(), s[1].title))
    return [o.url for _, o in shared[:3]]


def test_byline_sits_under_the_title_with_author_dates_and_reading_time(any_site):
    for post in _posts(any_site):
        h1 = post.tree.cssselect("article h1")[0]
        byline = h1.getnext()
        assert byline is not None and byline.get("class") == "post-byline", post.url
        text = " ".join(byline.text_content().split())
        [posting] = [d for d in json_ld(post.tree) if d["@type"] == "BlogPosting"]
        assert f"By {', '.join(a['name'] for a in posting['author'])}" in text, post.url
        times = byline.cssselect("time")
        assert dt.datetime.fromisoformat(times[0].get("datetime")) == post.published
        modified = meta(post.tree, "article:modified_time")
        if modified:
            assert "Updated" in text and times[1].get("datetime") == modified[0]
        else:
            assert "Updated" not in text and len(times) == 1
        minutes = re.search(r"(\d+) min read", text)
        sidebar = " ".join(post.tree.cssselect(".md-sidebar--post")[0].text_content().split())
        assert minutes and f"{minutes.group(1)} min read" in sidebar, post.url


def test_material_sidebar_shows_the_updated_date(sample_site):
    [post] = [p for p in _posts(sample_site) if p.title == "Sample three"]
    stamps = [t.get("datetime") for t in post.tree.cssselect(".md-sidebar--post time")]
    assert [dt.date.fromisoformat(s[:10]) for s in stamps] == [dt.date(2001, 1, 3), dt.date(2001, 2, 1)]


def test_older_and_newer_links_follow_the_publication_order(any_site):
    posts = _posts(any_site)
    for i, post in enumerate(posts):
        older = posts[i + 1] if i + 1 < len(posts) else None
        newer = posts[i - 1] if i > 0 else None
        navs = post.tree.cssselect("article nav.post-nav")
        if not (older or newer):
            assert navs == [], post.url
            continue
        for rel, expected in (("prev", older), ("next", newer)):
            found = links(any_site, post.tree, f"article nav.post-nav a[rel={rel}]", post.url)
            assert found == ([expected.url] if expected else []), (post.url, rel)
            # Material's own <link rel> in <head> agrees.
            head = links(any_site, post.tree, f"head link[rel={rel}]", post.url)
            assert head == found, (post.url, rel)
            if expected:
                anchor = post.tree.cssselect(f"article nav.post-nav a[rel={rel}]")[0]
                assert expected.title in anchor.text_content()
        # Material's footer would repeat them: it is hidden on posts.
        footer = post.tree.cssselect("nav.md-footer__inner")
        assert all(nav.get("hidden") is not None for nav in footer)


def test_sample_posts_have_older_and_newer_links(sample_site):
    posts = {p.title: p for p in _posts(sample_site)}
    three = posts["Sample three"]
    assert links(sample_site, three.tree, "a[rel=prev].post-nav__link", three.url) == [posts["Sample two"].url]
    assert links(sample_site, three.tree, "a[rel=next].post-nav__link", three.url) == [posts["Sample four"].url]
    one = posts["Sample one"]
    assert links(sample_site, one.tree, "a[rel=prev].post-nav__link", one.url) == []


def test_related_posts_are_those_sharing_most_tags_then_newest(any_site):
    posts = _posts(any_site)
    for post in posts:
        expected = _expected_related(post, posts)
        sections = post.tree.cssselect("article section.post-related")
        if not expected:
            assert sections == [], f"{post.url}: a related section with nothing related"
            continue
        found = links(any_site, sections[0], "a.post-related__link", post.url)
        assert found == expected, post.url


@pytest.mark.parametrize("title,expected", [
    ("Sample one", ["Sample six", "Sample five", "Sample three"]),
    ("Sample two", ["Sample six", "Sample three", "Sample one"]),
    ("Sample three", ["Sample six", "Sample one", "Sample five"]),
    ("Sample four", ["Sample five", "Sample one"]),
    (SAMPLE_POSTS["2001-01-07-alone"][0], []),
])
def test_sample_related_posts(sample_site, title, expected):
    [post] = [p for p in _posts(sample_site) if p.title == title]
    shown = [a.text_content() for a in post.tree.cssselect("section.post-related a.post-related__link")]
    assert shown == expected
    if not expected:
        assert "Related posts" not in post.tree.cssselect("article")[0].text_content()


def test_drafts_and_scheduled_posts_are_nowhere(sample_site):
    hidden = [title for title, date, _, extra in SAMPLE_POSTS.values() if "draft" in extra or date > "2100"]
    assert len(hidden) == 2
    for path in sample_site.root.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8")
            for title in hidden:
                assert title not in text, f"{title!r} in {path.relative_to(sample_site.root)}"


def test_byline_and_links_are_not_indexed_as_the_post_s_text(sample_site):
    import json

    index = json.loads((sample_site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["text"] for doc in index["docs"] if doc["location"].startswith("blog/2001/")]
    assert texts
    for text in texts:
        assert "Related posts" not in text and "min read" not in text and "Older post" not in text
