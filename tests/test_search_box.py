"""The search box in Chromium: nothing loads until a reader searches; keyboard-only use; results
with title, date, tags, excerpt and sections; the tag filter; the opened page scrolled to the
section and the searched words marked; axe-core with the dialog open; no console error or CSP
violation throughout."""

import re

import pytest
from playwright.sync_api import expect

from browser import AXE, AXE_RUN, PALETTES
from conftest import SEED_URL
from test_browser import POST_TITLE, arrive

SEARCH_DATA = re.compile(r"/pagefind/")


class Requests:
    """The URLs a tab has requested since the last take()."""

    def __init__(self, page):
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))

    def take(self) -> list[str]:
        urls, self.urls = self.urls, []
        return urls


def search_requests(urls):
    return [url for url in urls if SEARCH_DATA.search(url)]


def type_query(page, text: str) -> None:
    page.locator("#search-input").fill("")
    page.keyboard.type(text)
    expect(page.locator("#search-status")).to_have_text(re.compile(rf"^\d+ results? for “{re.escape(text)}”"))


def test_an_idle_page_fetches_no_search_data_until_the_box_has_focus(new_tab):
    tab = new_tab()
    requests = Requests(tab.page)
    page = tab.goto("")
    page.wait_for_timeout(1500)
    # A page change, then still idle.
    page.locator(".md-tabs a.md-tabs__link", has_text="Blog").click()
    arrive(page, tab.base_url + "blog/", "Blog")
    page.wait_for_timeout(1000)
    idle = requests.take()
    assert any(url.endswith("search.js") for url in idle), "the search box's script did not load"
    assert search_requests(idle) == []
    page.locator("[data-search-open]").focus()
    page.wait_for_load_state("networkidle")
    loaded = search_requests(requests.take())
    assert any(url.endswith("/pagefind/pagefind.js") for url in loaded), loaded
    # The box still works on the page reached by the page change.
    page.keyboard.press("/")
    type_query(page, "exit strategy")
    assert tab.take_errors() == [] and tab.csp_violations() == []


@pytest.fixture
def tab(new_tab):
    return new_tab()


def test_keyboard_only_search_opens_the_post_with_the_words_marked(tab):
    page = tab.goto("")
    page.keyboard.press("s")
    dialog = page.locator("dialog.bp-search")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("/")
    expect(dialog).to_be_visible()
    type_query(page, "exit strategy")
    assert page.locator("#search-input").input_value() == "exit strategy"  # "/" was not typed
    # Arrow down through the results to the post's own link, then Enter.
    links = page.locator(".bp-search__results a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    steps = next(i for i, href in enumerate(hrefs) if href.split("?")[0].endswith(SEED_URL))
    for _ in range(steps + 1):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == hrefs[steps]
    page.keyboard.press("Enter")
    arrive(page, tab.base_url + SEED_URL, POST_TITLE)
    expect(dialog).to_be_hidden()
    marks = page.locator("article mark.bp-search-hit")
    expect(marks.first).to_be_visible()
    assert {m.lower() for m in marks.all_text_contents()} >= {"exit", "strategy"}
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_a_result_shows_title_date_tags_excerpt_and_sections(tab):
    page = tab.goto("")
    page.locator("[data-search-open]").click()
    type_query(page, "exit strategy")
    result = page.locator(".bp-search__result", has=page.locator(f"a[href*='{SEED_URL}']")).first
    expect(result.locator(".bp-search__link").first).to_have_text(POST_TITLE)
    expect(result.locator(".bp-search__date")).to_have_text("2 November 2026")
    assert set(result.locator(".bp-search__meta .md-tag").all_text_contents()) == {"#AI", "#CyberSecurity", "#Learning"}
    expect(result.locator(".bp-search__excerpt mark").first).to_be_visible()
    section = result.locator(".bp-search__link--section", has_text="Exit Strategy")
    assert section.get_attribute("href").endswith("#exit-strategy")
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_opening_a_section_scrolls_to_it_and_highlights_it(tab):
    page = tab.goto("")
    page.locator("[data-search-open]").click()
    type_query(page, "exit strategy")
    page.locator(f".bp-search__link--section[href*='{SEED_URL}'][href$='#exit-strategy']").click()
    arrive(page, tab.base_url + SEED_URL, POST_TITLE)
    heading = page.locator("#exit-strategy")
    expect(heading).to_have_class(re.compile(r"\bbp-search-target\b"))
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    expect(heading.locator("mark.bp-search-hit").first).to_be_visible()
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_the_tag_filter_narrows_the_results(tab):
    page = tab.goto("")
    page.locator("[data-search-open]").click()
    type_query(page, "outsourcing")
    everything = page.locator(".bp-search__result").count()
    total = int(page.locator("#search-status").inner_text().split()[0])
    page.locator("#search-tag").select_option("AI")
    expect(page.locator("#search-status")).to_contain_text("tagged #AI")
    narrowed = int(page.locator("#search-status").inner_text().split()[0])
    assert 0 < narrowed < total and everything > 0
    for chips in page.locator(".bp-search__result .bp-search__meta").all():
        assert "#AI" in chips.locator(".md-tag").all_text_contents()
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_escape_closes_and_gives_focus_back_to_the_button(tab):
    page = tab.goto("")
    button = page.locator("[data-search-open]")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("dialog.bp-search")).to_be_visible()
    page.keyboard.type("contract")
    page.keyboard.press("Escape")
    expect(page.locator("dialog.bp-search")).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('[data-search-open]')")
    # Closed and at once reopened: focus may not have left the closed
    # dialog's field yet, and the key must still open the box.
    for word in ("exit", "vendor", "contract", "security", "plan"):
        page.keyboard.press("/")
        expect(page.locator("dialog.bp-search")).to_be_visible()
        type_query(page, word)
        page.keyboard.press("Escape")
        page.keyboard.press("/")
        expect(page.locator("dialog.bp-search")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator("dialog.bp-search")).to_be_hidden()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "mobile"])
@pytest.mark.parametrize("palette", PALETTES)
def test_axe_finds_no_violation_with_results_open(new_tab, palette, width):
    tab = new_tab(scripts=(AXE.read_text(encoding="utf-8"),), color_scheme=palette,
                  viewport={"width": width, "height": 800})
    page = tab.goto("")
    button = page.locator("[data-search-open]")
    expect(button).to_be_visible()
    button.click()
    type_query(page, "exit strategy")
    violations = page.evaluate(AXE_RUN)
    assert violations == []
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_show_more_lists_every_result_in_order(tab):
    page = tab.goto("")
    page.locator("[data-search-open]").click()
    type_query(page, "partner")
    total = int(page.locator("#search-status").inner_text().split()[0])
    results = page.locator(".bp-search__result")
    assert total > 8, "the query should find more than one page of results"
    expect(results).to_have_count(8)
    first_page = [results.nth(i).locator("a").first.get_attribute("href") for i in range(8)]
    page.locator("[data-search-more]").click()
    expect(results).to_have_count(total)
    expect(page.locator("[data-search-more]")).to_be_hidden()
    assert [results.nth(i).locator("a").first.get_attribute("href") for i in range(8)] == first_page
    assert tab.take_errors() == [] and tab.csp_violations() == []


# A snippet starts at a sentence (a capital, a digit or an opening quote) or says it is cut.
SNIPPET_START = re.compile(r"^(…|[A-Z0-9\"“‘(])")


def test_snippets_start_at_a_sentence_or_show_they_are_cut(tab):
    page = tab.goto("")
    page.locator("[data-search-open]").click()
    type_query(page, "decide")
    expect(page.locator(".bp-search__excerpt").nth(2)).to_be_visible()
    snippets = page.locator(".bp-search__excerpt").all_text_contents()
    assert len(snippets) >= 3
    wrong = [s for s in snippets if not SNIPPET_START.match(s.strip())]
    assert not wrong, wrong
    # Cut mid-sentence, a snippet never starts with the tail of the sentence before ("in. Decide").
    assert not [s for s in snippets if re.match(r"^…?\w+[.!?]\s", s.strip())], snippets
    assert tab.take_errors() == [] and tab.csp_violations() == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_header_button_hides_while_the_dialog_is_open(new_tab, width):
    tab = new_tab(viewport={"width": width, "height": 800})
    page = tab.goto("")
    button = page.locator("[data-search-open]")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("dialog.bp-search")).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(button).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.locator("dialog.bp-search")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_visible()


def test_the_tag_filter_is_drawn_by_the_site_not_the_browser(tab):
    page = tab.goto("")
    page.locator("[data-search-open]").click()
    look = page.locator("#search-tag").evaluate(
        "el => { const s = getComputedStyle(el); return [s.appearance, s.borderTopLeftRadius, s.backgroundImage]; }")
    assert look[0] == "none" and look[1] != "0px" and "gradient" in look[2], look


def test_the_404_page_searches_the_words_of_the_address(new_tab):
    tab = new_tab()
    page = tab.goto("guides/exit-strategy/")
    page.locator("article [data-search-open]").click()
    expect(page.locator("#search-input")).to_have_value("exit strategy")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ results? for “exit strategy”"))
    expect(page.locator(".bp-search__result").first).to_be_visible()
    errors = [e for e in tab.take_errors() if "404" not in e]
    assert errors == [] and tab.csp_violations() == []


def test_a_full_page_of_results_shows_once_the_typing_stops(tab):
    """While a reader types, a search loads the texts of its first results only; the rest of
    the page follows once the typing stops."""
    page = tab.goto("")
    page.locator("[data-search-open]").click()
    type_query(page, "outsourcing")
    total = int(page.locator("#search-status").inner_text().split()[0])
    assert total > 8
    expect(page.locator("[data-search-more]")).to_be_hidden()  # until the first page is complete
    expect(page.locator(".bp-search__result")).to_have_count(8)
    expect(page.locator("[data-search-more]")).to_be_visible()
    assert tab.take_errors() == [] and tab.csp_violations() == []
