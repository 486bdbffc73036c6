"""The home page greets readers, says what the site is, and leads to posts and tags."""

from conftest import SEED_URL


def test_home_greets_readers(site):
    assert site.page("").cssselect("article h1")[0].text_content().strip("¶ ") == "Welcome to Blog Post!"


def test_home_lists_the_latest_posts_linking_to_them(site):
    section = site.page("").cssselect("article")[0]
    targets = {site.to_site_path(a.get("href"), "")[0] for a in section.cssselect("a[href]")}
    assert SEED_URL in targets


def test_home_lists_every_tag(site, vocabulary):
    section = site.page("").cssselect("article")[0]
    targets = {site.to_site_path(a.get("href"), "")[0] for a in section.cssselect("a[href]")}
    for tag in vocabulary.values():
        assert f"tags/{tag.slug}/" in targets


def test_every_page_has_a_description(site):
    for path in site.html_files:
        meta = site.tree(path).cssselect('meta[name="description"]')
        assert meta and meta[0].get("content", "").strip(), f"{path.relative_to(site.root)}"
