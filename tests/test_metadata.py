"""What search engines and link previews read: a description and canonical URL on every page,
Open Graph, Twitter card and BlogPosting JSON-LD on posts, CollectionPage JSON-LD on tag
pages, robots.txt naming the sitemap; and all of it escaped so no title can break it."""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from conftest import DOCS, ROOT, SAMPLE_POSTS
from blogpost.model import to_datetime
from page_meta import built_posts, json_ld, links, meta, one

POSTS_DIR = DOCS / "blog" / "posts"


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8-sig").split("---", 2)[1])


def _timezone() -> ZoneInfo:
    with (ROOT / "mkdocs.yml").open("rb") as file:
        return ZoneInfo(yaml_load(file)["plugins"]["blogpost"]["timezone"])


TZ = _timezone()
NOW = dt.datetime.now(TZ)
PUBLISHED = [
    path for path in sorted(POSTS_DIR.rglob("*.md"))
    if not _front_matter(path).get("draft") and to_datetime(_front_matter(path)["date"], TZ) <= NOW
]
AUTHORS = yaml.safe_load((DOCS / "blog" / ".authors.yml").read_text(encoding="utf-8"))["authors"]


def _built(site, source: Path):
    """The built page of a source post: the one article with its title and date."""
    fm = _front_matter(source)
    date = to_datetime(fm["date"], TZ)
    found = [p for p in built_posts(site) if p.title == fm["title"] and p.published == date]
    assert len(found) == 1, f"{source.name}: {len(found)} built pages with its title and date"
    return fm, found[0]


def test_there_are_published_posts_to_check(site):
    assert PUBLISHED, "no published post in docs/blog/posts"
    assert len(built_posts(site)) == len(PUBLISHED)


def test_every_page_has_one_description_and_its_canonical_url(site):
    pages = 0
    for path in site.html_files:
        tree, name = site.tree(path), path.relative_to(site.root).as_posix()
        descriptions = tree.cssselect('head meta[name="description"]')
        assert len(descriptions) == 1 and descriptions[0].get("content").strip(), name
        canonical = [link.get("href") for link in tree.cssselect('head link[rel="canonical"]')]
        if name == "404.html":
            # Served at every missing address: it is the canonical page of none of them.
            assert canonical == [], name
            continue
        assert canonical == [site.url + site.url_of(path)], name
        assert one(tree, "og:url") == canonical[0], name
        assert one(tree, "og:type") in {"article", "website"}, name
        assert one(tree, "og:description") == descriptions[0].get("content"), name
        pages += 1
    assert pages > 1


def test_list_pages_have_descriptions_of_their_own(site, config):
    for url in ("blog/", "tags/", "blog/archive/2026/"):
        content = one(site.page(url), "description")
        assert content != config["site_description"].strip(), url
    assert "2026" in one(site.page("blog/archive/2026/"), "description")


def test_later_pages_of_a_list_say_which_page_they_are(sample_site):
    first = one(sample_site.page("blog/"), "description")
    second = one(sample_site.page("blog/page/2/"), "description")
    assert second.startswith(first) and re.search(r" Page 2 of \d+\.$", second), second


def test_pages_other_than_posts_are_websites(site):
    for url in ("", "blog/", "tags/", "blog/archive/2026/"):
        assert one(site.page(url), "og:type") == "website", url


@pytest.mark.parametrize("source", PUBLISHED, ids=lambda p: p.name)
def test_post_has_open_graph_article_and_twitter_tags(site, source):
    fm, post = _built(site, source)
    tree = post.tree
    canonical = site.url + post.url
    assert one(tree, "og:type") == "article"
    assert one(tree, "og:title") == one(tree, "twitter:title") == fm["title"]
    assert one(tree, "og:description") == one(tree, "twitter:description") == fm["description"]
    assert one(tree, "og:url") == canonical
    image = one(tree, "og:image")
    assert image.startswith(site.url) and site.file_for(image[len(site.url):]).is_file()
    assert one(tree, "og:image:alt") and one(tree, "twitter:image:alt")
    assert one(tree, "twitter:card") == "summary_large_image"
    assert one(tree, "twitter:image") == image
    published = dt.datetime.fromisoformat(one(tree, "article:published_time"))
    assert published.tzinfo is not None and published == to_datetime(fm["date"], TZ)
    if fm.get("updated"):
        modified = dt.datetime.fromisoformat(one(tree, "article:modified_time"))
        assert modified.tzinfo is not None and modified == to_datetime(fm["updated"], TZ)
    else:
        assert meta(tree, "article:modified_time") == []
    assert meta(tree, "article:tag") == list(fm["tags"])


@pytest.mark.parametrize("source", PUBLISHED, ids=lambda p: p.name)
def test_post_has_blog_posting_json_ld(site, source):
    fm, post = _built(site, source)
    canonical = site.url + post.url
    [data] = json_ld(post.tree)
    assert data["@context"] == "https://schema.org" and data["@type"] == "BlogPosting"
    assert data["headline"] == fm["title"]
    assert data["description"] == fm["description"]
    assert dt.datetime.fromisoformat(data["datePublished"]) == to_datetime(fm["date"], TZ)
    assert dt.datetime.fromisoformat(data["dateModified"]) == to_datetime(fm.get("updated") or fm["date"], TZ)
    assert [a["name"] for a in data["author"]] == [AUTHORS[key]["name"] for key in fm["authors"]]
    assert data["keywords"] == list(fm["tags"])
    assert data["url"] == canonical
    assert data["image"] == one(post.tree, "og:image")
    assert data["mainEntityOfPage"]["@id"] == canonical


def test_tag_pages_have_collection_page_json_ld_listing_their_entries(site, sample_site, vocabulary):
    listed = 0
    for built, tags in ((site, vocabulary.values()), (sample_site, None)):
        slugs = [t.slug for t in tags] if tags else [f"sample{letter}" for letter in "abcde"]
        for slug in slugs:
            url = f"tags/{slug}/"
            page = built.page(url)
            [data] = json_ld(page)
            assert data["@type"] == "CollectionPage" and data["url"] == built.url + url
            assert data["name"] == one(page, "og:title")
            items = data["mainEntity"]["itemListElement"]
            on_page = links(built, page, "article .bp-card__title > a", url)
            assert [item["url"] for item in items] == [built.url + target for target in on_page], url
            assert [item["position"] for item in items] == list(range(1, len(items) + 1))
            assert data["mainEntity"]["numberOfItems"] == len(items)
            listed += len(items)
    assert listed > 0


def test_robots_txt_points_at_the_sitemap(site):
    lines = (site.root / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {site.url}sitemap.xml" in lines
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{site.url}</loc>" in sitemap


def test_social_image_is_a_1200_by_630_png(site):
    image = one(site.page(""), "og:image")
    data = site.file_for(image[len(site.url):]).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 630)
    assert (one(site.page(""), "og:image:width"), one(site.page(""), "og:image:height")) == ("1200", "630")


TRICKY = SAMPLE_POSTS["2001-01-07-alone"][0]


def test_a_title_with_markup_characters_appears_literally_everywhere(sample_site):
    [post] = [p for p in built_posts(sample_site) if p.title == TRICKY]
    tree = post.tree
    description = f"{TRICKY}, a sample post."
    assert tree.findtext(".//title").startswith(TRICKY)
    assert TRICKY in tree.cssselect("[data-md-component=header-topic]")[0].text_content()
    for key in ("og:title", "twitter:title"):
        assert one(tree, key) == TRICKY
    for key in ("description", "og:description", "twitter:description"):
        assert one(tree, key) == description
    raw = (sample_site.file_for(post.url)).read_text(encoding="utf-8")
    script = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["headline"] == TRICKY


def test_json_ld_cannot_close_its_script_element():
    from blogpost.features.metadata import json_ld as encode

    data = {"headline": '</script><script>alert(1)</script> & <!-- "x"'}
    text = str(encode(data))
    assert not set("<>&") & set(text)
    assert json.loads(text) == data
