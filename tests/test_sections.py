"""Previous and next stay within a section on every built page: a post leads to posts, a guide
page to the pages of its own guide, every other page to nothing; guide pages say when they were
last reviewed; the phone's menu opens at the top outside the guides."""

from __future__ import annotations

import re

import pytest
from mkdocs.utils.meta import get_data

from blogpost.text import human_date
from blogpost.model import to_datetime
from conftest import DOCS
from page_meta import built_posts

# Every way a page links to its previous or next page: <head>, Material's footer, our post links.
NEIGHBOURS = "head link[rel=prev], head link[rel=next], a.md-footer__link, nav.post-nav a"
GUIDES = sorted((DOCS / "guides").rglob("*.md"))


def section(url: str) -> str | None:
    """A post's section is the blog's posts; a guide page's is its own guide; others have none."""
    if re.fullmatch(r"blog/\d{4}/\d{2}/\d{2}/[^/]+/", url):
        return "posts"
    found = re.fullmatch(r"guides/([^/]+)/(?:[^/]+/)?", url)
    return f"guide {found.group(1)}" if found else None


@pytest.mark.parametrize("which", ["site", "sample_site"])
def test_previous_and_next_links_stay_within_their_section(which, request):
    built = request.getfixturevalue(which)
    problems, checked = [], 0
    for path in built.html_files:
        url = built.url_of(path)
        for link in built.tree(path).cssselect(NEIGHBOURS):
            target = built.to_site_path(link.get("href"), url)
            checked += 1
            if target is None or section(url) is None or section(target[0]) != section(url):
                problems.append(f"{url or 'home'} -> {link.get('href')}")
    assert checked > 20, "too few previous/next links to check"
    assert not problems, "\n".join(problems)


def test_posts_lead_to_the_older_and_newer_post_and_chapters_to_their_neighbours(site):
    posts = built_posts(site)
    assert len(posts) > 2
    middle = posts[1]
    heads = {rel: [built[0] for built in (site.to_site_path(a.get("href"), middle.url) for a in
                                          middle.tree.cssselect(f"head link[rel={rel}]"))]
             for rel in ("prev", "next")}
    assert heads == {"prev": [posts[2].url], "next": [posts[0].url]}
    chapter = "guides/it-outsourcing/03-objectives-and-kpis/"
    footer = [site.to_site_path(a.get("href"), chapter)[0]
              for a in site.page(chapter).cssselect("nav.md-footer__inner a.md-footer__link")]
    assert footer == ["guides/it-outsourcing/02-selecting-a-partner/", "guides/it-outsourcing/04-communication/"]


@pytest.mark.parametrize("url", ["", "blog/", "guides/", "tags/", "tags/ai/", "blog/archive/2026/"])
def test_pages_outside_a_section_have_no_previous_or_next(site, url):
    assert site.page(url).cssselect(NEIGHBOURS) == [], url


def _url(path) -> str:
    return path.relative_to(DOCS).with_suffix("").as_posix().removesuffix("index").rstrip("/") + "/"


def test_guide_pages_show_previous_and_next_once(site):
    assert GUIDES
    for path in GUIDES:
        url = _url(path)
        page = site.page(url)
        assert len(page.cssselect("nav.md-footer__inner:not([hidden])")) == (url != "guides/"), url
        text = [" ".join(p.text_content().split()) for p in page.cssselect("article p")]
        assert not [t for t in text if re.match(r"(Previous|Next): ", t)], url


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_guide_page_shows_its_review_date_under_its_title(site, path):
    _, meta = get_data(path.read_text(encoding="utf-8"))
    reviewed = to_datetime(meta.get("updated") or meta["date"], None)
    url = _url(path)
    h1 = site.page(url).cssselect("article h1")[0]
    line = h1.getnext()
    assert line is not None and line.get("class") == "page-reviewed", url
    assert " ".join(line.text_content().split()) == f"Last reviewed {human_date(reviewed)}"
    assert line.cssselect("time")[0].get("datetime")[:10] == reviewed.date().isoformat()


def _top_level_toggles(site, url):
    return {t.get("id"): t.get("checked") is not None
            for t in site.page(url).cssselect("nav.md-nav--primary input.md-nav__toggle")
            if re.fullmatch(r"__nav_\d+", t.get("id") or "")}


@pytest.mark.parametrize("url", ["blog/", "blog/2026/11/02/it-outsourcing-pros-cons-and-best-practices/",
                                 "blog/archive/2026/", "tags/ai/"])
def test_the_phone_menu_opens_at_the_top_outside_the_guides(site, url):
    toggles = _top_level_toggles(site, url)
    assert toggles and not any(toggles.values()), (url, toggles)


def test_the_phone_menu_opens_at_the_guide_on_its_pages(site):
    assert any(_top_level_toggles(site, "guides/it-outsourcing/03-objectives-and-kpis/").values())
