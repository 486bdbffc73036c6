"""Titles, descriptions, tag and author names with <, >, & and quotes are shown literally on every
page, in <title> and <meta>, in the feeds and in the search index: never as markup."""

import json

import feedparser
import lxml.html
import pytest

from conftest import mkdocs_build

TITLE = """Ops & <Security> "quoted" 'single' </title><script>alert(1)</script>"""
DESCRIPTION = """Keep <b>vendors</b> & "partners" 'honest' </textarea><img src=x onerror=alert(2)>"""
TAG = """Ops & <Sec> "Q" """.strip()
AUTHOR = """R&D <Team> "Ops" """.strip()
URL = "blog/2026/11/20/{slug}/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import ROOT
    import shutil

    project = tmp_path_factory.mktemp("escaping") / "project"
    project.mkdir()
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    quote = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    with open(project / "docs/.tags.yml", "a", encoding="utf-8") as tags:
        tags.write(f"  - name: {quote(TAG)}\n    slug: ops-sec\n    description: {quote('About ' + TAG)}\n")
    with open(project / "docs/blog/.authors.yml", "a", encoding="utf-8") as authors:
        authors.write(f"  rnd:\n    name: {quote(AUTHOR)}\n    description: {quote('Team ' + AUTHOR)}\n"
                      "    avatar: assets/images/avatar-editors.svg\n")
    # No heading in the body: the title is shown from the front matter, as the blog plugin does.
    (project / "docs/blog/posts/2026-11-20-special.md").write_text(
        f"---\ntitle: {quote(TITLE)}\ndate: 2026-11-20\ndescription: {quote(DESCRIPTION)}\n"
        f"tags: [AI, {quote(TAG)}]\nauthors: [rnd]\nslug: special\n---\n\nIntro.\n\n<!-- more -->\n\nBody.\n",
        encoding="utf-8",
    )
    out = project.parent / "out"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stderr
    return out


def pages(out):
    return {p.relative_to(out).as_posix(): lxml.html.parse(str(p)).getroot() for p in out.rglob("*.html")}


def test_no_page_contains_markup_from_the_front_matter(built):
    for name, tree in pages(built).items():
        assert not tree.cssselect("security, sec, team, textarea, b, [onerror]"), name
        for script in tree.iter("script"):
            if script.get("type") == "application/ld+json":  # data: the text, escaped for JSON
                assert "</" not in script.text and TITLE not in script.text, name
                json.loads(script.text)
            else:
                assert "alert" not in (script.text or ""), name
        raw = (built / name).read_text(encoding="utf-8")
        for text in (TITLE, DESCRIPTION, TAG, AUTHOR):
            assert text not in raw, f"{name} carries {text!r} unescaped"


@pytest.mark.parametrize("url", ["", "blog/", "blog/archive/2026/", "tags/ai/", "tags/ops-sec/",
                                 URL.format(slug="special")])
def test_the_title_reads_literally_on_every_listing(built, url):
    tree = lxml.html.parse(str(built / url / "index.html")).getroot()
    assert TITLE in " ".join(tree.text_content().split())


def test_the_post_shows_title_description_author_and_tag_literally(built):
    tree = lxml.html.parse(str(built / URL.format(slug="special") / "index.html")).getroot()
    assert tree.findtext(".//title") == f"{TITLE} - Blog Post"
    assert tree.cssselect('meta[name="description"]')[0].get("content") == DESCRIPTION
    assert tree.cssselect("article h1")[0].text_content().replace("¶", "").strip() == TITLE
    assert AUTHOR in [img.get("alt") for img in tree.cssselect("img")]
    assert AUTHOR in tree.text_content()
    assert f"#{TAG}" in [a.text_content().strip() for a in tree.cssselect("a.md-tag")]


def test_the_tag_page_shows_its_name_literally(built):
    tree = lxml.html.parse(str(built / "tags/ops-sec/index.html")).getroot()
    assert tree.findtext(".//title") == f"#{TAG} - Blog Post"
    assert tree.cssselect("article h1")[0].text_content().replace("¶", "").strip() == f"#{TAG}"


@pytest.mark.parametrize("feed", ["feed.xml", "tags/ops-sec/feed.xml"])
def test_feeds_carry_the_text_literally(built, feed):
    parsed = feedparser.parse((built / feed).read_bytes())
    assert not parsed.bozo
    item = next(e for e in parsed.entries if e.link.endswith("/special/"))
    assert item.title == TITLE
    # A reader renders the description as HTML; it must come out as the text itself.
    assert lxml.html.fragment_fromstring(item.description, create_parent="p").text_content() == DESCRIPTION
    assert TAG in {t.term for t in item.tags}


def test_search_index_holds_the_title_and_tags_as_the_text_itself(built):
    from pagefind_index import pages as indexed_pages

    entry = next(p for p in indexed_pages(built) if p["url"] == "/" + URL.format(slug="special"))
    # The search box shows title and tags as text (textContent), never as HTML.
    assert entry["meta"]["title"] == TITLE
    assert entry["filters"]["tag"] == ["AI", TAG]
