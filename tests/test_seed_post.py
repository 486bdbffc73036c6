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


def test_conclusion_is_the_last_seed_section_then_the_sites_own_close(site):
    page = site.page(SEED_URL)
    headings = [h.text_content().strip("¶ ") for h in page.cssselect("article > h2")]
    conclusion = page.cssselect("article > h2")[headings.index("Conclusion")]
    following = " ".join(conclusion.getnext().text_content().split())
    assert following.startswith(BODY[-1][:60])
    seed_headings = {h for h, _ in seed_sections() if h}
    after = headings[headings.index("Conclusion") + 1:]
    assert after and not seed_headings & set(after), after


@pytest.mark.parametrize("tag", [h.lstrip("#") for h in HASHTAGS])
def test_each_tag_of_the_seed_post_leads_to_more_on_it(site, vocabulary, tag):
    """A tag promises the post speaks of the subject: its prose links to another post carrying
    the tag, or to the tag's page (not the chips, related posts or older/newer links every post has)."""
    prose = site.page(SEED_URL).cssselect("article > p a[href], article > ul a[href], article > ol a[href]")
    targets = {found[0] for link in prose
               if (found := site.to_site_path(link.get("href"), SEED_URL)) and found[0] != SEED_URL}
    tagged = {
        target for target in targets if target.startswith("blog/20")
        and any(chip.text_content().strip() == f"#{tag}"
                for chip in site.page(target).cssselect("nav.md-tags a.md-tag"))
    }
    assert tagged or f"tags/{vocabulary[tag].slug}/" in targets, (
        f"the post's text links to no post tagged {tag}, nor to its tag page")


def test_post_shows_its_tags_as_hashtags_linking_to_tag_pages(site, vocabulary):
    chips = site.page(SEED_URL).cssselect("nav.md-tags a.md-tag")
    assert [c.text_content().strip() for c in chips] == HASHTAGS
    for chip in chips:
        path, _ = site.to_site_path(chip.get("href"), SEED_URL)
        slug = vocabulary[chip.text_content().strip().lstrip("#")].slug
        assert path == f"tags/{slug}/"
