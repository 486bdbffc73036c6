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


def _cards(site, url):
    cards = site.page(url).cssselect("article .bp-card")
    assert cards, f"{url} lists nothing"
    return cards


@pytest.mark.parametrize("tag", TAGS, ids=lambda t: t.name)
def test_tag_page_lists_the_seed_post_with_its_description(site, tag):
    url = f"tags/{tag.slug}/"
    assert tag.description in site.text(url)
    cards = {site.to_site_path(card.cssselect(".bp-card__title a")[0].get("href"), url)[0]: card
             for card in _cards(site, url)}
    seed = site.page(SEED_URL)
    description = seed.cssselect('meta[name="description"]')[0].get("content")
    assert description in " ".join(cards[SEED_URL].text_content().split())


@pytest.mark.parametrize("tag", TAGS, ids=lambda t: t.name)
def test_tag_page_lists_newest_first_each_card_carrying_the_tag(site, tag):
    url = f"tags/{tag.slug}/"
    cards = _cards(site, url)
    dates = [card.cssselect(".bp-card__meta time")[0].get("datetime") for card in cards]
    assert dates == sorted(dates, reverse=True)
    for card in cards:
        chips = [a.text_content() for a in card.cssselect("a[rel=tag]")]
        assert f"#{tag.name}" in chips, url


def test_tag_index_lists_every_tag_with_description_and_count(site):
    text = site.text("tags/")
    links = {site.to_site_path(a.get("href"), "tags/")[0] for a in site.page("tags/").cssselect("article a[href]")}
    for tag in TAGS:
        count = len(site.page(f"tags/{tag.slug}/").cssselect("article .bp-card"))
        assert f"#{tag.name} ({count} {'entry' if count == 1 else 'entries'}): {tag.description}" in text
        assert f"tags/{tag.slug}/" in links
        assert f"tags/{tag.slug}/feed.xml" in links


def test_no_tag_page_for_a_tag_outside_the_vocabulary(site):
    slugs = {t.slug for t in TAGS}
    found = {p.parent.name for p in (site.root / "tags").glob("*/index.html")}
    assert found == slugs
