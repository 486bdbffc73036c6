"""Property: whatever HTML-and-Markdown an author writes, if the build's checks let it through,
the page a browser builds from it holds no script, event handler, javascript: URL, refresh,
base, frame or request to another host. Checked with a second HTML5 parser (html5lib), so the
allow-list's own parser (Lexbor) is not the judge of its own work."""

from __future__ import annotations

import html5lib
import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from blogpost.content import allowlist
from blogpost.content.source import check_source
from conftest import ROOT

HEADER = ("---\ntitle: Probe\ndate: 2026-11-20\ndescription: A probe.\ntags: [AI]\nauthors: [editors]\n---\n\n"
          "# Probe\n\nIntro.\n\n<!-- more -->\n\n")
XHTML = "{http://www.w3.org/1999/xhtml}"
RUNS_CODE = {"script", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link", "style",
             "form", "svg", "math", "template", "noscript", "applet", "portal", "fencedframe"}
FETCHES = {"src", "srcset", "poster", "background", "data", "action", "formaction", "xlink:href", "ping"}


@pytest.fixture(scope="module")
def convert():
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return lambda text: md.reset().convert(text)


def accepted(fragment: str, convert) -> str | None:
    """The HTML the build would publish for a post with this body, or None if it refuses it."""
    checked = check_source("docs/blog/posts/probe.md", (HEADER + fragment).encode("utf-8", "surrogatepass"),
                           kind="post", tags=["AI"], authors=["editors"])
    if checked.problems:
        return None
    try:
        html = convert(HEADER.split("---\n\n", 1)[1] + fragment)
    except RecursionError:
        return None  # the source check bounds nesting; a fragment deeper than that is refused there
    return None if allowlist.check(html) else html


def dangers(html: str) -> list[str]:
    """What a browser would run, follow by itself or fetch from another host, read by html5lib."""
    found = []
    document = html5lib.parse(f"<!DOCTYPE html><body>{html}", namespaceHTMLElements=True)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.split("}")[-1]
        if not element.tag.startswith(XHTML) or name in RUNS_CODE:  # foreign (SVG, MathML) or active
            found.append(f"<{element.tag}>")
        for attribute, value in element.attrib.items():
            attribute = attribute.split("}")[-1].lower()
            if attribute.startswith("on"):
                found.append(f"{attribute}= on <{name}>")
            scheme = allowlist.url_scheme(value)
            if attribute in ("href", "cite") and scheme not in (None, "http", "https", "mailto"):
                found.append(f"{scheme}: in {attribute}= of <{name}>")
            if attribute in FETCHES and not allowlist.same_site(value):
                found.append(f"{attribute}={value!r} on <{name}>")
            if attribute == "title" and "<" in value:
                found.append(f"markup in the title of <{name}>")
    return found


NAMES = st.sampled_from(["svg", "math", "style", "noscript", "template", "script", "img", "a", "p", "div",
                         "iframe", "textarea", "title", "xmp", "table", "select", "option", "foreignObject",
                         "mglyph", "malignmark", "desc", "annotation-xml", "b", "abbr", "details", "input"])
ATTRIBUTES = st.sampled_from([
    "", ' onerror="alert(1)"', " onload=alert(1)", ' src="x.png"', ' src="//evil.example/x"',
    ' src="https://evil.example/x"', ' href="javascript:alert(1)"', ' href=" jav&#x09;ascript:alert(1)"',
    ' href="https://ok.example/"', ' title="&lt;img src=x&gt;"', ' title="plain"', ' style="color:red"',
    ' encoding="text/html"', ' xlink:href="javascript:alert(1)"', ' http-equiv="refresh" content="0;url=x"',
    " id=x", ' class="c"', " srcset=//evil.example/x", ' data-x="1"', ' type="text"', " markdown=1",
])
TEXT = st.sampled_from([
    "", "text", "`", "``", "<!--", "-->", "<!-- c -->", "&lt;", "&amp;lt;", "&#60;", "]]>", "<![CDATA[",
    "</style>", "</noscript>", "</title>", "</textarea>", "</svg>", "</p>", "\n\n", "    ", "> ", "- ",
    "[x](javascript:alert(1))", "[x](https://ok.example)", "![i](https://evil.example/i.png)", "![i](i.png)",
    "{ onclick=alert(1) }", '{ title="<b>" }', "*[HTML]: <b>", "[^1]", "\n\n[^1]: note\n\n", "```\n", "~~~\n",
])


@st.composite
def fragments(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            name = draw(NAMES)
            inner = draw(fragments(depth + 1))
            close = draw(st.sampled_from([f"</{name}>", "", f"</{name}"]))
            parts.append(f"<{name}{draw(ATTRIBUTES)}{draw(ATTRIBUTES)}>{inner}{close}")
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragment=fragments())
def test_what_the_checks_let_through_holds_nothing_that_runs_or_reaches_out(fragment, convert):
    html = accepted(fragment, convert)
    if html is not None:
        assert dangers(html) == [], (fragment, html)


def test_the_generator_reaches_both_sides(convert):
    """Some generated fragments pass, some are refused: a property that never sees either proves little."""
    passed = refused = 0
    for fragment in ["<b>ok</b>", "<svg><style>`<p></p><script>x</script>`</style></svg>",
                     '<a href="https://ok.example/" title="plain">x</a>', "<img src=x onerror=alert(1)>"]:
        if accepted(fragment, convert) is None:
            refused += 1
        else:
            passed += 1
    assert passed == 2 and refused == 2


def test_dangers_sees_what_it_must(convert):
    # The property's judge must be able to fail.
    assert dangers('<svg><style><img src=x onerror="alert(1)"></style></svg>')
    assert dangers('<a href="java\tscript:alert(1)">x</a>')
    assert dangers('<img src="//evil.example/x">')
    assert not dangers('<p><a href="https://ok.example/" title="plain">x</a><img src="a.png" alt=""></p>')
