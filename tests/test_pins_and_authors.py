"""A post with `pin: true` comes first on the home page and on the blog index; each author has a
page listing every published post of theirs, which each post's byline and sidebar link to."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
import yaml
from mkdocs.utils.meta import get_data

from blogpost.content.schema import validate
from conftest import DOCS, Site, mkdocs_build
from page_meta import built_posts, json_ld
from project import copy_site
from test_html_valid import VNU, java  # noqa: F401 (java: the fixture, which marks the test)

AUTHORS = yaml.safe_load((DOCS / "blog" / ".authors.yml").read_text(encoding="utf-8"))["authors"]


@pytest.fixture(scope="module")
def pinned(tmp_path_factory, config) -> tuple[Site, str]:
    """A copy of the site whose oldest post is pinned, built; and that post's title."""
    project = copy_site(tmp_path_factory.mktemp("pinned") / "project")
    oldest = sorted((project / "docs" / "blog" / "posts").glob("*.md"))[0]  # named by date
    text = oldest.read_text(encoding="utf-8")
    oldest.write_text(text.replace("\n---\n", "\npin: true\n---\n", 1), encoding="utf-8")
    out = project.parent / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stderr
    return Site(out, config["site_url"].rstrip("/") + "/"), str(get_data(text)[1]["title"])


def _latest_posts(site) -> list[tuple[str, str]]:
    """(title, the line under it) of each card of the home page's latest posts."""
    cards = site.page("").cssselect("h2#latest-posts")[0].getnext().cssselect(".bp-card")
    return [(card.cssselect(".bp-card__title")[0].text_content(),
             " ".join(card.cssselect(".bp-card__meta")[0].text_content().split())) for card in cards]


def _blog_index(site) -> list:
    return site.page("blog/").cssselect("article.bp-card")


def test_a_pinned_post_comes_first_on_home_and_on_the_blog_index(pinned, site):
    built, title = pinned
    titles = [post.title for post in built_posts(built)]  # newest first
    assert titles[-1] == title, "the pinned post is the oldest"
    newest_first = [title, *titles[:-1]]
    home = _latest_posts(built)
    assert [name for name, _ in home] == newest_first[:len(home)]
    assert home[0][1].startswith("Pinned") and not any("Pinned" in line for _, line in home[1:])
    articles = _blog_index(built)
    assert [a.cssselect("h2")[0].text_content() for a in articles] == newest_first[:len(articles)]
    # Its mark is a word, which a screen reader reads too.
    assert articles[0].cssselect(".bp-card__flag")[0].text_content() == "Pinned"
    assert not any(a.cssselect(".bp-card__flag") for a in articles[1:])
    # Unpinned, the newest comes first.
    assert _latest_posts(site)[0][0] == built_posts(site)[0].title
    assert not site.page("blog/").cssselect(".bp-card__flag")


def test_pin_is_true_or_false_and_only_posts_take_it():
    front = {"title": "T", "date": dt.date(2026, 11, 20), "description": "D", "tags": ["AI"], "authors": ["editors"]}
    known = {"tags": ["AI"], "authors": ["editors"]}
    assert validate({**front, "pin": True}, path="p.md", **known) == []
    assert validate({**front, "pin": False}, path="p.md", **known) == []
    [wrong] = validate({**front, "pin": "yes"}, path="p.md", lines={"pin": 3}, **known)
    assert str(wrong) == "p.md:3: pin: is text, must be true or false (pin: true)"
    [guide] = validate({**front, "pin": True}, path="g.md", kind="guide", lines={"pin": 4}, **known)
    assert str(guide) == "g.md:4: pin: only posts can be pinned (remove it)"


def test_a_pinned_list_is_valid_html(pinned, java):  # noqa: F811
    built, _ = pinned
    pages = [str(built.file_for(url)) for url in ("", "blog/", "blog/archive/2026/")]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []


def _author_pages(site, key: str) -> list[str]:
    """The site-relative URLs of an author's page and its further pages."""
    folder = site.root / "blog" / "author" / (AUTHORS[key].get("slug") or key)
    return sorted(site.url_of(path) for path in folder.rglob("index.html"))


@pytest.mark.parametrize("which", ["site", "sample_site"])
def test_each_author_page_lists_every_published_post_of_theirs(which, request):
    built = request.getfixturevalue(which)
    by_author: dict[str, set[str]] = {}
    for post in built_posts(built):  # published posts only: drafts and scheduled ones are not built
        [posting] = [d for d in json_ld(post.tree) if d["@type"] == "BlogPosting"]
        for author in posting["author"]:
            by_author.setdefault(author["name"], set()).add(post.title)
    assert by_author
    for key, author in AUTHORS.items():
        expected = by_author.pop(author["name"], set())
        pages = _author_pages(built, key)
        assert bool(pages) == bool(expected), key
        listed = [h2.text_content() for url in pages for h2 in built.page(url).cssselect("article.bp-card h2")]
        assert sorted(listed) == sorted(expected), key
        for url in pages:
            page = built.page(url)
            assert page.findtext(".//title").startswith(author["name"]), url
            # A list of posts, like the blog index: not in the search index.
            assert not page.cssselect("[data-pagefind-body]"), url
    assert not by_author, f"posts by authors without a page: {by_author}"
    if which == "sample_site":
        assert len(_author_pages(built, "editors")) > 1, "the sample's posts fill more than one page"


def test_posts_link_to_their_author_s_page_from_byline_and_sidebar(site):
    pages = {AUTHORS[key]["name"]: _author_pages(site, key)[0] for key in AUTHORS if _author_pages(site, key)}
    assert pages
    for post in built_posts(site):
        [posting] = [d for d in json_ld(post.tree) if d["@type"] == "BlogPosting"]
        expected = [pages[author["name"]] for author in posting["author"]]
        for where in (".post-byline a", ".md-sidebar--post .md-profile a"):
            found = [site.to_site_path(a.get("href"), post.url)[0] for a in post.tree.cssselect(where)]
            assert found == expected, (post.url, where)
        assert [author.get("url") for author in posting["author"]] == [site.url + url for url in expected]
