"""Code blocks get Material's copy button (content.code.copy), and it copies under the site's
Content-Security-Policy. The site's own pages hold no code block yet: a copy of the site with
one post that does is built and served."""

import pytest

from conftest import mkdocs_build
from static_server import serve
from browser import CSP_LISTENER

CODE = 'openssl s_client -connect vendor.example:443 \\\n  -servername vendor.example </dev/null'
POST = ("---\ntitle: \"A code probe\"\ndate: 2026-11-20\ndescription: A code probe.\ntags: [AI]\n"
        "authors: [editors]\n---\n\n# A code probe\n\nIntro.\n\n<!-- more -->\n\n"
        f"## Check the certificate\n\n```sh\n{CODE}\n```\n")
URL = "blog/2026/11/20/a-code-probe/"


@pytest.fixture(scope="module")
def code_site(tmp_path_factory):
    from conftest import ROOT
    from project import copy_site

    project = copy_site(tmp_path_factory.mktemp("code-project") / "project", ROOT)
    (project / "docs/blog/posts/2026-11-20-a-code-probe.md").write_text(POST, encoding="utf-8")
    out = tmp_path_factory.mktemp("code-site")
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stderr[-3000:]
    with serve(out) as url:
        yield url


def test_the_copy_button_copies_the_code_block(browser, code_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.add_init_script(CSP_LISTENER)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(code_site + URL, wait_until="load")
        button = page.locator("article pre button.md-code__button, article button.md-clipboard").first
        button.wait_for(state="attached")
        page.locator("article pre").first.hover()
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == CODE
        assert page.evaluate("window.__cspViolations") == [] and errors == []
    finally:
        context.close()
