"""Tags: one vocabulary, an index with descriptions and counts, and a page per tag."""

import pytest

from conftest import SEED_URL
from blogpost.model import load_vocabulary
from conftest import DOCS

TAGS = list(load_vocabulary(str(DOCS)).values())


def test_vocabulary_has_unique_names_and_slugs_with_descriptions():
    assert TAGS, "the vocabulary is empty"
    assert len({t.name for t in TAGS}) == len(TAGS)
    assert len({t.slug for t in TAGS}) == len(TAGS)
    for tag in TAGS:
        assert tag.slug == tag.slug.lower() and " " not in tag.slug
        assert tag.description.strip()


@pytest.mark.parametrize("tag", TAGS, ids=lambda t: t.name)
def test_tag_page_lists_the_seed_post_with_its_description(site, tag):
    url = f"tags/{tag.slug}/"
    page = site.page(url)
    assert tag.description in site.text(url)
    links = [site.to_site_path(a.get("href"), url)[0] for a in page.cssselect("article li a[href]")]
    assert SEED_URL in links


@pytest.mark.parametrize("tag", TAGS, ids=lambda t: t.name)
def test_tag_page_lists_newest_first(site, tag):
    url = f"tags/{tag.slug}/"
    items = site.page(url).cssselect("article ul > li")
    assert items, f"{url} lists nothing"
    dates = [li.text_content() for li in items]
    from datetime import datetime
    import re

    parsed = [
        datetime.strptime(re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", d).group(), "%d %B %Y") for d in dates
    ]
    assert parsed == sorted(parsed, reverse=True)


def test_tag_index_lists_every_tag_with_description_and_count(site):
    text = site.text("tags/")
    links = {site.to_site_path(a.get("href"), "tags/")[0] for a in site.page("tags/").cssselect("article a[href]")}
    for tag in TAGS:
        count = len(site.page(f"tags/{tag.slug}/").cssselect("article ul > li"))
        assert f"#{tag.name} ({count} {'entry' if count == 1 else 'entries'}): {tag.description}" in text
        assert f"tags/{tag.slug}/" in links
        assert f"tags/{tag.slug}/feed.xml" in links


def test_no_tag_page_for_a_tag_outside_the_vocabulary(site):
    slugs = {t.slug for t in TAGS}
    found = {p.parent.name for p in (site.root / "tags").glob("*/index.html")}
    assert found == slugs
