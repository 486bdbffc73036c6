"""What an author writes may not run code, redirect readers or reach another host: the rendered HTML
of every page and every excerpt is held to an allow-list, read as a browser reads it."""

from types import SimpleNamespace

import lxml.html
import markdown
import pytest
from mkdocs.config import load_config

from blogpost.content import rendered
from blogpost.content.source import check_source
from conftest import ROOT, mkdocs_build

POST = "docs/blog/posts/2026-11-20-probe.md"
FRONT = ("---\ntitle: {title}\ndate: 2026-11-20\ndescription: A probe.\ntags: [AI]\n"
         "authors: [editors]\n---\n\n")


def post(body: str, title: str = '"A probe"', heading: bool = True) -> str:
    head = "# A probe\n\n" if heading else ""
    return FRONT.format(title=title) + head + body


def build(project, tmp_path, files: dict):
    for name, content in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = mkdocs_build(project, out)
    result.out = out
    return result


def refused(result, *lines):
    assert result.returncode != 0, "the build accepted it"
    assert "Traceback" not in result.stderr, result.stderr
    for line in lines:
        assert line in result.stderr, result.stderr


REPRODUCERS = {
    "script inside svg style, backticks literal": (
        "Intro.\n\n<!-- more -->\n\n<div>\n<svg><style>`<p></p><script src=\"../../../../../assets/javascripts/"
        "search.js\"></script>`</style></svg>\n</div>\n",
        "html: <svg> is not allowed"),
    "img onerror inside svg style": (
        "Intro.\n\n<!-- more -->\n\n<div>\n<svg><style>`<img src=x onerror=alert(1)>`</style></svg>\n</div>\n",
        "html: <svg> is not allowed"),
    "noscript that hides markup from a parser without scripting": (
        "Intro.\n\n<!-- more -->\n\n<div><noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"
        "</p></noscript></div>\n",
        "html: <noscript> is not allowed"),
    "meta refresh": (
        "Intro.\n\n<!-- more -->\n\n<meta http-equiv=\"refresh\" content=\"0;url=https://elsewhere.example/\">\n",
        "html: <meta> is not allowed"),
    "base href": (
        "Intro.\n\n<!-- more -->\n\n<base href=\"https://elsewhere.example/\">\n",
        "html: <base> is not allowed"),
    "link title that tooltips would render as markup": (
        "Intro.\n\n<!-- more -->\n\n[a](https://a.example \"&lt;meta http-equiv=refresh "
        "content=0;url=https://elsewhere.example&gt;\")\n",
        "html: the title of <a> holds '<'"),
    "abbreviation title that tooltips would render as markup": (
        "Intro.\n\n<!-- more -->\n\nThe HTML spec.\n\n*[HTML]: &lt;img src=x&gt;\n",
        "html: the title of <abbr> holds '<'"),
    "external image": (
        "Intro.\n\n<!-- more -->\n\n![pixel](https://tracker.example/p.gif)\n",
        "html: <img> loads 'https://tracker.example/p.gif' from another host"),
    "protocol-relative image with a backslash": (
        "Intro.\n\n<!-- more -->\n\n<img src=\"/\\tracker.example/p.gif\" alt=\"\">\n",
        "html: <img> loads"),
    "external stylesheet": (
        "Intro.\n\n<!-- more -->\n\n<link rel=\"stylesheet\" href=\"https://cdn.example/x.css\">\n",
        "html: <link> is not allowed"),
    "style element": (
        "Intro.\n\n<!-- more -->\n\n<style>@import url(https://cdn.example/x.css);</style>\n",
        "html: <style> is not allowed"),
    "form": (
        "Intro.\n\n<!-- more -->\n\n<form action=\"https://elsewhere.example/\"><button>Go</button></form>\n",
        "html: <form> is not allowed"),
    "iframe": (
        "Intro.\n\n<!-- more -->\n\n<iframe src=\"https://elsewhere.example/\"></iframe>\n",
        "html: <iframe> is not allowed"),
    "data URL link": (
        "Intro.\n\n<!-- more -->\n\n<a href=\"data:text/html,<script>alert(1)</script>\">x</a>\n",
        "html: a data: URL in <a> is not allowed"),
    "attribute list with an unknown attribute": (
        "Intro.\n\n<!-- more -->\n\n[x](https://a.example){ formaction=\"https://elsewhere.example\" }\n",
        "html: the formaction= attribute of <a> is not allowed"),
    "excerpt marker inside an attribute": (
        "<p title=\"a <!-- more --> b\">Intro</p>\n\nBody.\n",
        "html: '<!-- more -->' must stand on its own line between paragraphs"),
}


@pytest.fixture(scope="module")
def convert():
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return lambda text: md.reset().convert(text)


def found(text: str, convert) -> list[str]:
    """What the build's two checks say of a post: its source first, then the HTML it renders to."""
    checked = check_source(POST, text.encode(), kind="post", tags=["AI"], authors=["editors"])
    if checked.problems:
        return [str(problem) for problem in checked.problems]
    page = SimpleNamespace(file=SimpleNamespace(abs_src_path=None, generated_by=None, src_uri="blog/posts/x.md"))
    html = convert(text.split("---\n\n", 1)[1])
    return [problem.message for problem in rendered.problems(html, page, ROOT, excerpt=True)]


@pytest.mark.parametrize("body, expected", REPRODUCERS.values(), ids=REPRODUCERS.keys())
def test_each_reproducer_is_refused(body, expected, convert):
    problems = found(post(body), convert)
    # The source scan may refuse it first, in its own words; else the allow-list does, as expected.
    assert problems and (any(expected.removeprefix("html: ") in p for p in problems)
                         or all(p.startswith(f"{POST}:") for p in problems)), problems


def test_a_build_refuses_a_reproducer_naming_the_file(site_copy, tmp_path):
    body = REPRODUCERS["external image"][0]
    refused(build(site_copy, tmp_path, {POST: post(body)}), f"{POST}:15: html: <img> loads")


def test_a_problem_names_the_line_where_it_is(site_copy, tmp_path):
    body = "Intro.\n\n<!-- more -->\n\nFine.\n\nStill fine.\n\n<meta http-equiv=\"refresh\" content=\"0\">\n"
    text = post(body)
    line = text.splitlines().index('<meta http-equiv="refresh" content="0">') + 1
    refused(build(site_copy, tmp_path, {POST: text}), f"{POST}:{line}: html: <meta> is not allowed")


def test_every_problem_of_the_rendered_html_is_reported_in_one_run(site_copy, tmp_path):
    other = "docs/guides/it-outsourcing/probe.md"
    result = build(site_copy, tmp_path, {
        POST: post("Intro.\n\n<!-- more -->\n\n<base href=\"https://x.example/\">\n\n![p](https://t.example/p.gif)\n"),
        other: "---\ntitle: Probe\ndate: 2026-11-20\ndescription: A probe.\ntags: [AI]\n---\n\n# Probe\n\n"
               "<meta http-equiv=\"refresh\" content=\"0\">\n",
    })
    refused(result, "3 problems in the content:", f"{POST}:15: html: <base>", f"{POST}:17: html: <img> loads",
            f"{other}:10: html: <meta> is not allowed")
    assert not list(result.out.rglob("*.html")), "a refused build left pages behind"


TITLES = [
    '"Hi { onclick=alert(1) }"',
    '"Click [me](javascript:alert(1))"',
    '"Look ![pixel](https://tracker.example/p.gif)"',
    '"<img src=x onerror=alert(1)> & co"',
]


def test_a_title_without_an_h1_is_plain_text_on_every_list(site_copy, tmp_path):
    files = {f"docs/blog/posts/2026-11-2{n}-title-{n}.md": post("Intro.\n\n<!-- more -->\n\nBody.\n", title=title,
                                                                heading=False).replace("2026-11-20", f"2026-11-2{n}")
             for n, title in enumerate(TITLES)}
    result = build(site_copy, tmp_path, files)
    assert result.returncode == 0, result.stderr
    for page in ("blog/index.html", "blog/archive/2026/index.html", "tags/ai/index.html"):
        article = lxml.html.parse(str(result.out / page)).getroot().cssselect(".md-content")[0]
        text = " ".join(article.text_content().split())
        for title in TITLES:
            assert title.strip('"') in text, (page, title)
        assert not article.cssselect("[onclick], [onerror], a[href^='javascript'], img[src*='tracker']"), page


LEGITIMATE = (
    "Intro with `<script>` in code and a [link](https://example.org){ target=\"_blank\" rel=\"noopener\" }.\n\n"
    "<!-- more -->\n\n"
    "| Left | Centre | Right |\n|:-----|:------:|------:|\n| a | b | c |\n\n"
    "```html\n<script>alert(1)</script>\n```\n\n"
    "A claim.[^1]\n\n[^1]: Its source.\n\n"
    "!!! note \"Remember\"\n    An admonition.\n\n"
    "- [x] done\n- [ ] to do\n\n"
    "??? tip \"More\"\n    Details.\n\n"
    "*[IT]: Information technology\n\nIT teams.\n\n"
    "![A chart](../../assets/images/favicon.svg)\n\n"
    "<details><summary>Open</summary><p>Inside <kbd>Ctrl</kbd> and <mark>marked</mark>.</p></details>\n"
)


def test_legitimate_content_still_builds_and_reads_the_same(site_copy, tmp_path):
    result = build(site_copy, tmp_path, {POST: post(LEGITIMATE)})
    assert result.returncode == 0, result.stderr
    article = lxml.html.parse(str(result.out / "blog/2026/11/20/a-probe/index.html")).getroot().cssselect("article")[0]
    assert article.cssselect("table td.bp-align-center") and not article.cssselect("[style]")
    assert "<script>alert(1)</script>" in article.text_content()
    assert article.cssselect("div.footnote, div.admonition.note, details, input[type=checkbox]")
    assert article.cssselect("a[target=_blank][href='https://example.org']")
    assert article.cssselect("abbr[title='Information technology']")
    assert not article.cssselect("script")


def test_files_that_are_not_content_are_refused_before_anything_is_read(site_copy, tmp_path):
    (site_copy / "docs/assets/env.txt").symlink_to("/proc/self/environ")
    (site_copy / "docs/assets/gone.png").symlink_to(site_copy / "nowhere.png")
    result = build(site_copy, tmp_path, {"docs/evil.html": "<script>alert(1)</script>\n",
                                         "docs/blog/x.js": "alert(1)\n"})
    refused(result, "4 problems in the files of docs/:", "docs/assets/env.txt:1: file: is a symbolic link",
            "docs/assets/gone.png:1: file: is a symbolic link", "docs/evil.html:1: file: is an HTML page",
            "docs/blog/x.js:1: file:")
    assert not result.out.exists() or not any(result.out.iterdir())
