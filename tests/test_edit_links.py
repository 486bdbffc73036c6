"""Posts and guide pages link to their source file on GitHub for editing, and no other page does;
the repository's link in the header is a plain link that makes the browser fetch nothing."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from mkdocs.utils.meta import get_data

from blogpost.content.publication import publication
from conftest import DOCS


def _published(config) -> set[str]:
    """The source of every published post and guide page, relative to docs/."""
    tz = ZoneInfo(config["plugins"]["blogpost"]["timezone"])
    now = dt.datetime.now(tz)
    found = set()
    for folder in ("blog/posts", "guides"):
        for path in (DOCS / folder).rglob("*.md"):
            _, meta = get_data(path.read_text(encoding="utf-8"))
            if publication(meta, now, tz) is None:
                found.add(path.relative_to(DOCS).as_posix())
    assert found
    return found


def _edit_links(site) -> dict[str, list[str]]:
    """{page's site-relative URL: the href of each of its edit links}, for pages that have one."""
    found = {}
    for path in site.html_files:
        hrefs = [a.get("href") for a in site.tree(path).cssselect('a[rel="edit"]')]
        if hrefs:
            found[site.url_of(path)] = hrefs
    return found


def _h1(site, url: str) -> str:
    heading = site.page(url).cssselect("article h1")[0]
    text = heading.text_content()
    for permalink in heading.cssselect("a.headerlink"):  # the ¶ after the heading's text
        text = text.replace(permalink.text_content(), "")
    return " ".join(text.split())


def test_every_post_and_guide_page_links_to_its_own_source_on_github(site, config):
    prefix = config["repo_url"].rstrip("/") + "/" + config["edit_uri"]
    assert prefix == "https://github.com/blog-post/blog-post/edit/main/docs/"
    sources = {}
    for url, hrefs in _edit_links(site).items():
        assert len(hrefs) == 1, f"{url}: {hrefs}"
        assert hrefs[0].startswith(prefix), f"{url}: {hrefs[0]}"
        source = hrefs[0].removeprefix(prefix)
        assert (DOCS / source).is_file(), f"{url} links to {source}, which is not in docs/"
        # The page is the one built from that file: its heading is the file's title.
        _, meta = get_data((DOCS / source).read_text(encoding="utf-8"))
        assert _h1(site, url) == meta["title"], f"{url} links to the source of {meta['title']!r}"
        sources[source] = url
    assert set(sources) == _published(config)


def test_lists_tags_home_and_author_pages_have_no_edit_link(site):
    lists = re.compile(r"(|blog/|blog/(page|archive|author)/.*|tags/.*|404\.html)")
    seen = {site.url_of(path) for path in site.html_files if lists.fullmatch(site.url_of(path))}
    assert {"", "blog/", "tags/", "tags/ai/", "blog/archive/2026/", "blog/author/editors/", "404.html"} <= seen
    with_links = set(_edit_links(site))
    assert not seen & with_links, sorted(seen & with_links)


def test_the_repository_link_is_plain_and_fetches_nothing(site, config):
    # Material's own partial is marked data-md-component="source", and its script then asks
    # api.github.com for stars and forks: a request to another host, blocked by the policy.
    for path in site.html_files:
        tree = site.tree(path)
        assert not tree.cssselect('[data-md-component="source"]'), path
        assert "api.github.com" not in path.read_text(encoding="utf-8"), path
    header = site.page("").cssselect(".md-header__source a.md-source")
    assert [a.get("href") for a in header] == [config["repo_url"]]
    assert "blog-post/blog-post" in header[0].text_content()


def test_the_repository_is_the_one_that_publishes_site_url(config):
    # Set together when forking: https://<owner>.github.io/<repository>/ is published from
    # https://github.com/<owner>/<repository>, where the edit links point.
    owner, repository = re.fullmatch(r"https://([^./]+)\.github\.io/([^/]+)/?", config["site_url"]).groups()
    assert config["repo_url"].rstrip("/") == f"https://github.com/{owner}/{repository}"
    assert config["repo_name"] == f"{owner}/{repository}"
    assert config["edit_uri"] == "edit/main/docs/"
    assert "content.action.edit" in config["theme"]["features"]
