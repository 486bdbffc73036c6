"""The speed plugin's navigation patch (blogpost/speed/nav.py) keys the navigation by every fact Material draws it from.

tests/test_speed.py compares whole builds with and without the plugin; these tests check
the key itself, case by case, since in one small site most pages that share a navigation
also share every fact of it.
"""

from __future__ import annotations

from types import SimpleNamespace

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

from blogpost.speed import nav as nav_once
from blogpost.speed.compat import Mismatch, Patches

# A small alphabet, so that different pages often share positions.
PART = st.sampled_from(["a", "b", "x.html", "..", "."])
PATH = st.tuples(st.lists(PART, max_size=4), st.booleans()).map(lambda p: "/".join(p[0]) + ("/" if p[1] and p[0] else ""))


@settings(max_examples=400, deadline=None)
@given(first=PATH, second=PATH, targets=st.lists(PATH, min_size=1, max_size=5))
def test_pages_at_the_same_position_get_the_same_relative_urls(first, second, targets):
    if nav_once._position(first, targets) != nav_once._position(second, targets):
        return
    for target in targets:
        assert normalize_url(target, SimpleNamespace(url=first)) == normalize_url(target, SimpleNamespace(url=second))


@pytest.fixture
def site(tmp_path):
    """A nav of a home page and a section of two pages; four pages outside it."""
    docs = tmp_path / "docs"
    names = ["index.md", "guide/one.md", "guide/two.md", "posts/2026/a.md", "posts/2026/b.md", "posts/c.md", "tags/t.md"]
    for name in names:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(f"# {name}\n", encoding="utf-8")
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(docs), "site_dir": str(tmp_path / "site"),
                      "nav": ["index.md", {"Guide": ["guide/one.md", "guide/two.md"]}]})
    assert config.validate() == ([], [])
    files = Files([File(name, str(docs), config.site_dir, True) for name in names])
    nav = get_navigation(files, config)
    pages = {}
    for name in names:
        file = files.get_file_from_path(name)
        page = file.page or Page(None, file, config)
        page.read_source(config)
        pages[name] = page
    return SimpleNamespace(nav=nav, pages=pages, config=config)


def key(site, name):
    return nav_once._key({"page": site.pages[name], "nav": site.nav, "config": site.config})


def test_pages_outside_the_nav_at_one_depth_share_a_key(site):
    assert key(site, "posts/2026/a.md") is not None
    assert key(site, "posts/2026/a.md") == key(site, "posts/2026/b.md")


def test_a_page_at_another_depth_gets_another_key(site):
    assert key(site, "posts/c.md") != key(site, "posts/2026/a.md")
    assert key(site, "tags/t.md") != key(site, "posts/2026/a.md")


def test_a_page_in_the_nav_is_drawn_afresh(site):
    # Material draws the current page's table of contents into its nav item.
    assert key(site, "guide/one.md") is None
    assert key(site, "index.md") is None


def test_an_active_section_changes_the_key(site):
    before = key(site, "posts/2026/a.md")
    site.nav.items[1].active = True
    assert key(site, "posts/2026/a.md") != before


def test_a_changed_title_or_icon_changes_the_key(site):
    before = key(site, "posts/2026/a.md")
    site.pages["guide/two.md"].title = "Another title"
    retitled = key(site, "posts/2026/a.md")
    site.pages["guide/two.md"].meta["icon"] = "material/star"
    assert len({before, retitled, key(site, "posts/2026/a.md")}) == 3


def test_a_template_without_root_render_func_stops_the_patch_with_a_clear_error():
    env = jinja2.Environment(loader=jinja2.DictLoader({nav_once.TEMPLATE: "<nav></nav>"}))
    template = env.get_template(nav_once.TEMPLATE)
    del template.root_render_func
    with pytest.raises(Mismatch, match=r"no longer render through root_render_func"):
        nav_once.draw_once(env, Patches())


def test_the_same_key_renders_once_and_another_key_renders_again():
    env = jinja2.Environment(loader=jinja2.DictLoader({
        nav_once.TEMPLATE: "{{ page.url }}", "page.html": "[{% include 'partials/nav.html' %}]",
    }))
    patches = Patches()
    nav_once.draw_once(env, patches)
    nav = SimpleNamespace(items=[], homepage=None)
    config = SimpleNamespace(extra={})
    page = lambda url: SimpleNamespace(url=url, title=url)  # noqa: E731
    render = lambda url: env.get_template("page.html").render(page=page(url), nav=nav, config=config)  # noqa: E731
    # With no items, a page's position is only its depth: the first rendering at a depth is kept.
    assert render("a/b/") == "[a/b/]"
    assert render("c/d/") == "[a/b/]"
    assert render("e/") == "[e/]"
    patches.undo()  # the template renders every page afresh again
    assert render("c/d/") == "[c/d/]"
