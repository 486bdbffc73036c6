"""A reader's paths through the site in Chromium: search, tag chips, the dark palette across
a page change; no page fetches the sitemap; no console error and no CSP violation anywhere; and the CSP blocks
an inline script that the theme did not write."""

import re

import pytest
from playwright.sync_api import expect

from browser import PALETTES
from conftest import SEED_URL

POST_TITLE = "IT Outsourcing: Pros, Cons, and Best Practices"


def arrive(page, url: str, title: str) -> None:
    """Wait for url and for its content: an instant page change updates the address first."""
    expect(page).to_have_url(re.compile(re.escape(url) + r"(\?[^#]*)?(#.*)?$"))
    # The h1, with or without its permalink sign.
    expect(page.locator(".md-content h1").first).to_have_text(re.compile(rf"^\s*{re.escape(title)}\s*¶?\s*$"))


@pytest.mark.parametrize("palette", PALETTES)
def test_no_console_error_on_any_page_type(sweep, page_types, palette):
    errors = [f"{kind} ({sweep[palette, kind].url}): {error}"
              for kind in page_types for error in sweep[palette, kind].errors]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("palette", PALETTES)
def test_no_csp_violation_on_any_page_type(sweep, page_types, palette):
    violations = [f"{kind} ({sweep[palette, kind].url}): {violation}"
                  for kind in page_types for violation in sweep[palette, kind].csp_violations]
    assert not violations, "\n".join(violations)


@pytest.fixture(scope="module")
def tab(new_tab):
    """One tab for the reader's path: search, then the post, then a tag chip."""
    return new_tab()


def test_search_by_keyboard_opens_the_post(tab):
    page = tab.goto("")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('#search-input')")
    page.keyboard.type("exit strategy")
    result = page.locator(f".bp-search__results a[href*='{SEED_URL}']").first
    result.wait_for()
    result.click()
    arrive(page, tab.base_url + SEED_URL, POST_TITLE)
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_tag_chip_on_the_post_leads_to_its_tag_page_listing_the_post(tab):
    page = tab.goto(SEED_URL)
    page.locator("nav.md-tags a", has_text=re.compile(r"^#CyberSecurity$")).click()
    arrive(page, tab.base_url + "tags/cybersecurity/", "#CyberSecurity")
    assert page.locator(f"article a[href$='{SEED_URL}']", has_text=POST_TITLE).count() == 1
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_dark_mode_persists_across_a_page_change_and_a_reload(new_tab):
    tab = new_tab(color_scheme="light")
    page = tab.goto("")
    scheme = "document.body.dataset.mdColorScheme"
    assert page.evaluate(scheme) == "default"
    page.locator("form[data-md-component=palette] label:visible").click()
    assert page.evaluate(scheme) == "slate"
    page.locator(".md-tabs a.md-tabs__link", has_text="Blog").click()
    arrive(page, tab.base_url + "blog/", "Blog")
    assert page.evaluate(scheme) == "slate"
    page.reload()
    assert page.evaluate(scheme) == "slate"
    assert tab.take_errors() == [] and tab.csp_violations() == []


def test_no_page_fetches_the_sitemap(new_tab):
    """The sitemap is for search engines: a reader's page never downloads it (Material's
    navigation.instant would, on every first page, at a size that grows with the site)."""
    tab = new_tab()
    fetched = []
    tab.page.on("request", lambda request: fetched.append(request.url))
    page = tab.goto(SEED_URL)
    page.locator(".md-tabs a.md-tabs__link", has_text="Blog").click()
    arrive(page, tab.base_url + "blog/", "Blog")
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/blog/") for url in fetched)
    assert not [url for url in fetched if "sitemap" in url]


def test_an_inline_script_added_to_a_built_page_is_blocked(new_tab, site):
    html = site.file_for(SEED_URL).read_text(encoding="utf-8")
    injected = html.replace("</article>", "<script>window.__injected = 'ran'</script></article>", 1)
    assert injected != html
    tab = new_tab()
    tab.page.route(tab.base_url + SEED_URL, lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=injected))
    page = tab.goto(SEED_URL)
    assert page.evaluate("typeof window.__injected") == "undefined"
    violations = tab.csp_violations()
    assert any(v.startswith("script-src-elem: inline") for v in violations), violations
    # The theme's own inline scripts, allowed by hash, still ran.
    assert page.evaluate("typeof __md_get") == "function"
    assert page.evaluate("document.documentElement.classList.contains('js')")
