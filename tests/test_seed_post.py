"""The first real post carries every sentence of the seed article, structured for reading."""

import re

import pytest

from conftest import ROOT, SEED_URL

SEED = (ROOT / "tests" / "data" / "it-outsourcing-seed.txt").read_text(encoding="utf-8").splitlines()
GREETING, HASHTAGS, TITLE = SEED[0], SEED[1:4], SEED[5]
BODY = [line for line in SEED[6:] if line.strip()]
SECTION = re.compile(r"^([A-Z][^:.]+): (.+)$")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def seed_sections() -> list[tuple[str | None, str]]:
    """(heading or None, text) for each body line: 'Heading: text' lines are sections."""
    out = []
    for line in BODY:
        match = SECTION.match(line)
        out.append((match.group(1), match.group(2)) if match else (None, line))
    return out


def test_seed_file_is_the_one_we_expect():
    assert GREETING == "Welcome to Blog Post!"
    assert HASHTAGS == ["#AI", "#CyberSecurity", "#Learning"]
    assert len([h for h, _ in seed_sections() if h]) == 10


def test_post_title_is_the_seed_title(site):
    page = site.page(SEED_URL)
    assert page.cssselect("article h1")[0].text_content().strip("¶ ") == TITLE
    assert page.findtext(".//title").startswith(TITLE)


@pytest.mark.parametrize("heading,text", seed_sections(), ids=lambda v: (v or "intro/conclusion")[:40])
def test_post_carries_every_sentence_of_the_seed(site, heading, text):
    body = site.text(SEED_URL)
    for sentence in sentences(text):
        assert sentence in body, f"missing sentence: {sentence!r}"
    if heading:
        headings = [h.text_content().strip("¶ ") for h in site.page(SEED_URL).cssselect("article h2")]
        assert heading in headings


def test_blog_index_shows_its_card_not_its_text(site):
    index = " ".join(site.page("blog/").text_content().split())
    description = site.page(SEED_URL).cssselect('meta[name="description"]')[0].get("content")
    assert description in index
    assert BODY[0] not in index and "Outsourcing IT services offers several benefits" not in index


def test_closing_paragraph_is_the_conclusion(site):
    page = site.page(SEED_URL)
    h2 = page.cssselect("article > h2")[-1]  # the post's own, not the related posts' heading
    assert h2.text_content().strip("¶ ") == "Conclusion"
    following = " ".join(h2.getnext().text_content().split())
    assert following.startswith(BODY[-1][:60])


def test_post_shows_its_tags_as_hashtags_linking_to_tag_pages(site, vocabulary):
    chips = site.page(SEED_URL).cssselect("nav.md-tags a.md-tag")
    assert [c.text_content().strip() for c in chips] == HASHTAGS
    for chip in chips:
        path, _ = site.to_site_path(chip.get("href"), SEED_URL)
        slug = vocabulary[chip.text_content().strip().lstrip("#")].slug
        assert path == f"tags/{slug}/"
