"""In Chromium: a site built from every probe the checks accept, served as GitHub Pages serves it,
opens no dialog, navigates nowhere by itself, breaks no Content-Security-Policy rule and asks no
other host for anything; and the live preview runs under the same policy and still reloads."""

from __future__ import annotations

import subprocess
import sys
import time
from urllib.parse import urlsplit

import markdown
import pytest
from mkdocs.config import load_config

from blogpost.content import allowlist
from blogpost.content.source import check_source
from browser import CSP_LISTENER
from conftest import BUILD_ENV, mkdocs_build
from project import free_port, stop_group
from static_server import serve

FRONT = ("---\ntitle: {title}\ndate: 2026-11-{day:02d}\ndescription: Probe {n}.\ntags: [AI]\n"
         "authors: [editors]\n---\n\n")
# Tricky content: each either refused by the build or, if accepted, harmless in a browser.
PROBES = [
    "<div>\n<svg><style>`<p></p><img src=x onerror=alert(1)>`</style></svg>\n</div>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    "<template><img src=x onerror=alert(1)></template>",
    '<a href=" jav&#x09;ascript:alert(1)">x</a>',
    '<a href="https://example.org/" title="plain words">a plain link</a>',
    "[x](javascript:alert(1))",
    "[a](https://a.example \"&lt;img src=x onerror=alert(1)&gt;\")",
    '<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">',
    '<base href="https://elsewhere.example/">',
    "![pixel](https://tracker.example/p.gif)",
    "![local](../../assets/images/favicon.svg)",
    '<img src="/\\tracker.example/p.gif" alt="">',
    "<style>body{background:url(https://tracker.example/bg.png)}</style>",
    "<form action=https://elsewhere.example><button>Go</button></form>",
    "<details open><summary>More</summary><p>Inside.</p></details>",
    "`<script>alert(1)</script>` is code, and so is:\n\n```html\n<script>alert(1)</script>\n```",
    "<!-- <script>alert(1)</script> -->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<p title="a &lt; b">less</p>',
    "[y](https://example.org){ target=\"_blank\" rel=\"noopener\" }",
    "[z](https://example.org){ onmouseover=\"alert(1)\" }",
    "| a | b |\n|---|:-:|\n| <kbd>1</kbd> | <mark>2</mark> |",
    "- [x] done\n- [ ] to do",
    "Note.[^1]\n\n[^1]: <a href=\"javascript:alert(1)\">x</a>",
    "*[HTML]: Hypertext\n\nHTML is fine.",
]
HEADING = "# Probe {n}\n\nIntro {n}.\n\n<!-- more -->\n\n"


def _accepted(probe: str, n: int, md: markdown.Markdown) -> bool:
    text = FRONT.format(title=f'"Probe {n}"', day=1 + n % 28, n=n) + HEADING.format(n=n) + probe + "\n"
    if check_source("docs/probe.md", text.encode(), kind="post", tags=["AI"], authors=["editors"]).problems:
        return False
    return not allowlist.check(md.reset().convert(HEADING.format(n=n) + probe + "\n"))


@pytest.fixture(scope="module")
def probe_site(site_copy_module, tmp_path_factory):
    project = site_copy_module
    config = load_config(config_file=str(project / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    accepted = [n for n, probe in enumerate(PROBES) if _accepted(probe, n, md)]
    assert 5 <= len(accepted) < len(PROBES), accepted  # the corpus exercises both sides
    for n in accepted:
        text = FRONT.format(title=f'"Probe {n}"', day=1 + n % 28, n=n) + HEADING.format(n=n) + PROBES[n] + "\n"
        (project / f"docs/blog/posts/2026-11-{1 + n % 28:02d}-probe-{n}.md").write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("probes")
    result = mkdocs_build(project, out)
    assert result.returncode == 0, "the build refused a probe the checks accept:\n" + result.stderr[-3000:]
    pages = sorted(path.relative_to(out).as_posix().removesuffix("index.html")
                   for path in out.rglob("*.html") if "probe-" in str(path) or path.parent.name in ("blog", "ai"))
    with serve(out) as url:
        yield url, pages


@pytest.fixture(scope="module")
def site_copy_module(tmp_path_factory):
    from conftest import ROOT
    from project import copy_site

    return copy_site(tmp_path_factory.mktemp("probe-project") / "project", ROOT)


def test_accepted_probes_do_nothing_in_chromium(browser, probe_site):
    base, pages = probe_site
    assert len(pages) > 5
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    dialogs, foreign = [], []
    host = urlsplit(base).netloc
    context.on("request", lambda request: urlsplit(request.url).netloc not in (host, "") and
               foreign.append(request.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in pages:
            page.goto(base + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            # Tooltips (content.tooltips) render a title when hovered.
            for link in page.locator("article a[title], article abbr[title]").all()[:10]:
                if link.is_visible():
                    link.hover(timeout=5000)
            page.wait_for_timeout(100)
            assert page.url == base + path, f"{path} navigated to {page.url}"
            assert page.evaluate("window.__cspViolations") == [], path
        assert dialogs == [] and foreign == []
    finally:
        context.close()


def test_the_preview_has_the_sites_policy_and_still_reloads(browser, site_copy_module, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=site_copy_module, env=BUILD_ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    try:
        url = f"http://127.0.0.1:{port}/blog-post/guides/"
        deadline = time.monotonic() + 180
        while True:
            try:
                page.goto(url, wait_until="load")
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    log.seek(0)
                    raise AssertionError("mkdocs serve did not serve:\n" + log.read()[-3000:]) from None
                time.sleep(0.5)
        # (no "networkidle": the reload script keeps one request open, by design)
        policy = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
        assert "script-src 'self'" in policy
        assert page.evaluate("window.__cspViolations") == []
        guide = site_copy_module / "docs/guides/index.md"
        with page.expect_event("load", timeout=60_000):  # the page reloads by itself
            guide.write_text(guide.read_text(encoding="utf-8") + "\nEdited while previewing.\n", encoding="utf-8")
        assert "Edited while previewing." in page.content()
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()
        stop_group(server, timeout=20)
