"""In Chromium, during `mkdocs serve`: a page open in the browser turns into the list of problems
when a save breaks the build, and back into the site when a save fixes it, without reloading by hand."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from browser import AXE, AXE_RUN, CSP_LISTENER
from conftest import BUILD_ENV, ROOT
from project import copy_site, free_port, stop_group

POST = "docs/blog/posts/2026-11-02-it-outsourcing-pros-cons-and-best-practices.md"
URL = "blog/2026/11/02/it-outsourcing-pros-cons-and-best-practices/"
TAGS = "docs/.tags.yml"
ERROR_HEADING = "The site could not be built"


@pytest.fixture
def served(tmp_path):
    """A copy of the site under `mkdocs serve`: (project folder, site address, the log so far)."""
    project = copy_site(tmp_path / "project", ROOT)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env=BUILD_ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while "Serving on" not in log_path.read_text(encoding="utf-8"):
            assert server.poll() is None and time.monotonic() < deadline, \
                "mkdocs serve did not serve:\n" + log_path.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.2)
        yield project, f"http://127.0.0.1:{port}/blog-post/", lambda: log_path.read_text(encoding="utf-8")
    finally:
        stop_group(server, timeout=20)


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_shown(page) -> list[str]:
    assert page.locator("h1").inner_text() == ERROR_HEADING, page.content()[:3000]
    return page.locator("main li").all_text_contents()


def test_a_broken_save_shows_the_problems_and_a_fixed_one_the_site_again(browser, served):
    project, base, log = served
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    try:
        page.goto(base + URL, wait_until="load")
        title = page.title()
        assert "Outsourcing" in title

        # Caught before MkDocs empties the site: the page's own file is there, and replaced.
        with page.expect_event("load", timeout=60_000):  # each save reloads the page by itself
            edit(project / TAGS, "slug: ai\n", "slug: a i\n")
        shown = problems_shown(page)
        assert any(line.startswith(f"{TAGS}:9: ") for line in shown), shown

        # Caught after: the page has no file now, and the error page stands in for it. A tag
        # that is markup stays text.
        with page.expect_event("load", timeout=60_000):
            edit(project / TAGS, "slug: a i\n", "slug: ai\n")
            edit(project / POST, "  - AI\n", "  - ai\n")
            edit(project / POST, "  - Learning\n", "  - <em>Learning</em>\n")
        shown = problems_shown(page)
        assert any(line.startswith(f"{POST}:6: tags: 'ai' is not a known tag (did you mean 'AI'?)") for line in shown), shown
        assert any(line.startswith(f"{POST}:8: tags: '<em>Learning</em>' is not a known tag") for line in shown), shown
        assert page.locator("em").count() == 0
        assert page.evaluate("window.__cspViolations") == []
        for scheme in ("light", "dark"):  # readable in both (axe-core: contrast, landmarks, ...)
            other = browser.new_context(color_scheme=scheme)
            other.add_init_script(AXE.read_text(encoding="utf-8"))
            try:
                seen = other.new_page()
                seen.goto(base + URL, wait_until="load")
                assert problems_shown(seen) == shown
                assert seen.evaluate(AXE_RUN) == [], scheme
            finally:
                other.close()
        for line in shown:  # the terminal lists the same problems
            assert line in log(), line

        with page.expect_event("load", timeout=60_000):
            edit(project / POST, "  - ai\n", "  - AI\n")
            edit(project / POST, "  - <em>Learning</em>\n", "  - Learning\n")
        assert page.title() == title
        assert page.locator("h1").first.inner_text() != ERROR_HEADING
        assert page.evaluate("window.__cspViolations") == []
        assert "Traceback" not in log()
        assert "will appear stuck" not in log()
    finally:
        context.close()
