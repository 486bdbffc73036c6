"""The search index: Pagefind's files in the build, the pages it covers (posts, guides and
authored pages; never listings or 404), and what it answers, asked in Chromium as the search
box asks it."""

import json
import re
from collections import Counter

import pytest

from browser import page_type
from conftest import SEED_URL

INDEXED_TYPES = {"post", "guide index", "guide page"}  # and any other authored page ("page ...")
NOT_INDEXED_TYPES = {"home", "blog index", "archive", "category", "author page", "tag index", "tag page",
                     "404"}


def indexed(site, path) -> bool:
    return bool(site.tree(path).cssselect("article[data-pagefind-body]"))


def test_material_search_index_is_gone_and_pagefind_is_there(site):
    assert not (site.root / "search" / "search_index.json").exists()
    for name in ("pagefind.js", "pagefind-entry.json", "pagefind-worker.js", "wasm.en.pagefind"):
        assert (site.root / "pagefind" / name).is_file(), name
    assert list((site.root / "pagefind" / "index").glob("*.pf_index"))
    assert list((site.root / "pagefind" / "fragment").glob("*.pf_fragment"))


def test_only_posts_guides_and_pages_are_indexed(site):
    wrong, kinds = [], Counter()
    for path in site.html_files:
        url = site.url_of(path)
        kind = page_type(url)
        if path.parent.name == "pagefind":
            continue
        expected = kind in INDEXED_TYPES or kind.startswith("page ")
        assert expected or kind in NOT_INDEXED_TYPES, f"{url}: unknown page type {kind!r}"
        kinds[kind, expected] += 1
        if indexed(site, path) != expected:
            wrong.append(f"{url} ({kind}): {'not ' if expected else ''}indexed")
    assert not wrong, "\n".join(wrong)
    assert kinds["post", True] and kinds["guide page", True] and kinds["tag page", False], kinds


def test_pagefind_indexed_every_marked_page_and_no_other(site):
    entry = json.loads((site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    counted = sum(language["page_count"] for language in entry["languages"].values())
    marked = sum(indexed(site, path) for path in site.html_files)
    assert marked > 0 and counted == marked


def test_each_indexed_post_carries_its_date_and_tags(site):
    posts = [p for p in site.html_files if page_type(site.url_of(p)) == "post"]
    assert posts
    for path in posts:
        article = site.tree(path).cssselect("article[data-pagefind-body]")[0]
        assert re.fullmatch(r"date:\d{1,2} [A-Z][a-z]+ \d{4}", article.get("data-pagefind-meta")), path
        assert re.fullmatch(r"date:\d{4}-\d{2}-\d{2}", article.get("data-pagefind-sort")), path
        chips = article.cssselect("a.md-tag[rel=tag]")
        assert chips, f"{path}: no tags"
        assert [a.get("data-pagefind-filter") for a in chips] == [
            "tag:" + a.text_content().strip().removeprefix("#") for a in chips
        ]


# Asked in the browser, through the same module and options as the search box.
QUERY = """async ([root, query, tag]) => {
  const pagefind = await import(root + "pagefind/pagefind.js");
  await pagefind.options({ baseUrl: new URL(root).pathname });
  const search = await pagefind.search(query, tag ? { filters: { tag } } : {});
  const pages = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return {
    total: search.results.length,
    filters: await pagefind.filters(),
    pages: pages.map((p) => ({ url: p.url, tags: p.filters.tag || [], sections: p.sub_results.map((s) => s.url) })),
  };
}"""


@pytest.fixture(scope="module")
def pagefind(new_tab):
    tab = new_tab()
    page = tab.goto("")

    def search(query, tag=None):
        return page.evaluate(QUERY, [tab.base_url, query, tag])

    yield tab, search
    assert tab.take_errors() == [] and tab.csp_violations() == []


def site_path(tab, url: str) -> str:
    """'/blog-post/blog/…' -> 'blog/…'"""
    prefix = re.sub(r"^https?://[^/]+", "", tab.base_url)
    assert url.startswith(prefix), url
    return url[len(prefix):]


@pytest.mark.parametrize("query", ["exit strategy", "KPIs", "outsourcing partner", "dispute resolution"])
def test_search_finds_the_seed_post_by_words_from_its_body(pagefind, query):
    tab, search = pagefind
    urls = [site_path(tab, p["url"]) for p in search(query)["pages"]]
    assert SEED_URL in urls, urls


def test_exit_strategy_leads_to_its_section(pagefind):
    tab, search = pagefind
    pages = search("exit strategy")["pages"]
    seed = next(p for p in pages if site_path(tab, p["url"]) == SEED_URL)
    assert any(site_path(tab, url) == SEED_URL + "#exit-strategy" for url in seed["sections"]), seed


def test_tag_filter_counts_match_the_chips_and_narrow_a_search(pagefind, site):
    tab, search = pagefind
    answer = search("outsourcing")
    chips = Counter(
        a.text_content().strip().removeprefix("#")
        for path in site.html_files if indexed(site, path)
        for a in site.tree(path).cssselect("article a.md-tag[rel=tag]")
    )
    assert answer["filters"]["tag"] == dict(chips)
    narrowed = search("outsourcing", "AI")
    assert 0 < narrowed["total"] < answer["total"]
    assert all("AI" in p["tags"] for p in narrowed["pages"])
