"""Browser fixtures (a pytest plugin, see conftest.py): the built site served on 127.0.0.1,
one Chromium per session driven by Playwright, and the site's page types found in the build.

Chromium: Playwright's own build when it has one, else $CHROMIUM, else a `chromium` (or
Chrome) on PATH (scripts/project.py). With none, browser tests are skipped with a message;
with CI=true they fail.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass

import pytest

from project import CHROMIUM_ARGS, ROOT, chromium
from static_server import serve

NO_BROWSER = (
    "no Chromium found for the browser tests: install one (Debian/Ubuntu: "
    "`sudo apt-get install chromium`) or point $CHROMIUM at a Chromium or Chrome binary"
)
# Every page type the site must have; more (guides, ...) are found in the build and checked too.
REQUIRED_TYPES = ("home", "blog index", "post", "archive", "author page", "tag index", "tag page", "404")
MISSING_PAGE = "no-such-page/"  # loaded to see 404.html as a reader does

# Collects CSP violations from the first moment of every document (Playwright's init scripts
# are not subject to the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(
  `${e.effectiveDirective}: ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
"""


def page_type(url: str) -> str:
    """The kind of a built page, by its site-relative URL ('' is home)."""
    if url == "404.html":
        return "404"
    rules = [
        (r"", "home"), (r"blog/(page/\d+/)?", "blog index"), (r"blog/archive/.*", "archive"),
        (r"blog/category/.*", "category"), (r"blog/author/.*", "author page"),
        (r"blog/\d{4}/\d{2}/\d{2}/.+", "post"),
        (r"tags/", "tag index"), (r"tags/[^/]+/", "tag page"),
        (r"guides/([^/]+/)?", "guide index"), (r"guides/.+", "guide page"),
    ]
    for pattern, kind in rules:
        if re.fullmatch(pattern, url):
            return kind
    return "page " + url.split("/", 1)[0]


@pytest.fixture(scope="session")
def page_types(site) -> dict[str, str]:
    """One URL (site-relative) for each kind of page in the build, in a stable order."""
    found = defaultdict(list)
    for path in site.html_files:
        url = site.url_of(path)
        found[page_type(url)].append(url)
    missing = [kind for kind in REQUIRED_TYPES if kind not in found]
    assert not missing, f"the build has no page of type {missing}"
    chosen = {kind: sorted(urls)[0] for kind, urls in sorted(found.items())}
    chosen["404"] = MISSING_PAGE
    return chosen


@pytest.fixture(scope="session")
def base_url(site) -> str:
    """The site's address on 127.0.0.1, served as GitHub Pages serves it."""
    with serve(site.root) as url:
        yield url


def _chromium_path(playwright) -> str:
    found = chromium(playwright)
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(NO_BROWSER + " (CI=true: a missing browser is a failure)", pytrace=False)
    pytest.skip(NO_BROWSER)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = _chromium_path(playwright)
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Watched:
    """A browser tab that records console errors, uncaught errors and CSP violations."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        # The one expected error: the 404 status of the address that does not exist.
        if message.location.get("url", "").endswith(MISSING_PAGE) and "404" in message.text:
            return
        self.errors.append(f"console: {message.text}")

    def goto(self, url: str):
        self.page.goto(self.base_url + url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def take_errors(self) -> list[str]:
        errors, self.errors = self.errors, []
        return errors


@pytest.fixture(scope="session")
def new_tab(browser, base_url):
    """Opens a watched tab in a fresh context (own storage): new_tab(color_scheme='dark');
    scripts are run at the start of every document, before the page's own."""
    contexts = []

    def make(scripts: tuple[str, ...] = (), **options) -> Watched:
        context = browser.new_context(**options)
        for script in (CSP_LISTENER, *scripts):
            context.add_init_script(script)
        contexts.append(context)
        return Watched(context, base_url)

    yield make
    for context in contexts:
        context.close()


PALETTES = {"light": "default", "dark": "slate"}  # the reader's preference -> Material's scheme
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => (await axe.run(document)).violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))"""


@dataclass
class Visit:
    url: str
    scheme: str  # the palette the page showed
    violations: list[dict]  # axe-core's
    errors: list[str]  # console errors and uncaught exceptions
    csp_violations: list[str]


@pytest.fixture(scope="session")
def sweep(new_tab, page_types) -> dict[tuple[str, str], Visit]:
    """Every page type loaded once in each palette, with axe-core run on it: (palette, type) -> Visit."""
    assert AXE.is_file(), f"{AXE.relative_to(ROOT)} is missing: `make test` installs it (npm ci)"
    axe = AXE.read_text(encoding="utf-8")
    visits = {}
    for palette in PALETTES:
        tab = new_tab(scripts=(axe,), color_scheme=palette)
        for kind, url in page_types.items():
            page = tab.goto(url)
            visits[palette, kind] = Visit(
                url=url,
                scheme=page.evaluate("document.body.dataset.mdColorScheme"),
                violations=page.evaluate(AXE_RUN),
                errors=tab.take_errors(),
                csp_violations=tab.csp_violations(),
            )
    return visits
