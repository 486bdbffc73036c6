"""What a reader sees in Chromium: a post's date and reading time once, under its title, at every
width; the phone's menu opening at the top with every section; a guide's chapters at hand."""

import pytest

from conftest import SEED_URL

SECTIONS = ["Home", "Blog", "Guides", "Tags"]  # the top of mkdocs.yml's nav
CHAPTER = "guides/it-outsourcing/03-objectives-and-kpis/"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_post_shows_its_date_and_reading_time_once_under_its_title(new_tab, width):
    page = new_tab(viewport={"width": width, "height": 900}).goto(SEED_URL)
    published = page.locator("article h1 + .post-byline time").first.get_attribute("datetime")
    visible = page.evaluate("""(when) => [...document.querySelectorAll('time')].filter(t =>
        t.getAttribute('datetime') === when && t.getClientRects().length &&
        getComputedStyle(t).visibility !== 'hidden').length""", published)
    assert visible == 1
    read = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e =>
        e.children.length === 0 && /\\bmin read\\b/.test(e.textContent) && e.getClientRects().length).length""")
    assert read == 1


@pytest.mark.parametrize("url", ["blog/", SEED_URL, "tags/ai/"])
def test_the_phone_menu_opens_at_the_top_with_every_section(new_tab, url):
    page = new_tab(viewport={"width": 390, "height": 844}).goto(url)
    page.click(".md-header label[for='__drawer']")
    page.wait_for_timeout(400)  # the drawer slides in
    shown = page.evaluate("""() => [...document.querySelectorAll('.md-nav--primary > .md-nav__list > .md-nav__item > :is(a, label, .md-nav__container) ')]
        .filter(e => { const r = e.getBoundingClientRect();  // on top where it is drawn: not covered by a section
                       const top = r.width > 0 && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                       return top && e.contains(top); })
        .map(e => e.textContent.trim())""")
    assert [name for name in SECTIONS if any(text.startswith(name) for text in shown)] == SECTIONS, shown


@pytest.mark.parametrize("width", [390, 1280])
def test_a_guide_chapter_has_its_chapter_list_at_hand(new_tab, width):
    page = new_tab(viewport={"width": width, "height": 900}).goto(CHAPTER)
    if width < 1220:  # the phone's menu opens at the guide's chapters
        page.click(".md-header label[for='__drawer']")
        page.wait_for_timeout(400)
    # Each chapter's link; the page's own is shown as a label (it opens its table of contents).
    chapters = page.evaluate("""() => new Set([...document.querySelectorAll('.md-nav--primary .md-nav__link')]
        .filter(e => /\\/guides\\/it-outsourcing\\/0\\d-/.test(e.href || '') || e.matches('.md-nav__link--active'))
        .filter(e => { const r = e.getBoundingClientRect();
                       const top = r.width > 0 && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                       return top && e.contains(top); })
        .map(e => e.textContent.trim())).size""")
    assert chapters == 8
