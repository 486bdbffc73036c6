"""The speed hooks (blog_speed.py, excerpt_once.py, nav_once.py) change how fast the site builds, never what it builds."""

import copy
import html
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402  the benchmark's corpus generator

def _load(name: str):
    path = ROOT / "overrides" / "hooks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def blog_speed():
    return _load("blog_speed")


@pytest.fixture(scope="module")
def excerpt_once():
    return _load("excerpt_once")


def _build(project: Path, config: str, out: Path) -> None:
    # One fixed build time for both builds: the sitemap's dates and the gzip header of
    # sitemap.xml.gz carry it. Nothing else is set aside in the comparison.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764000000"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _tree(root: Path) -> dict[str, bytes]:
    # Pagefind writes its tag filter map in hash-map order, so its filter and metadata chunks
    # (and their hashed names) differ between any two builds: the search index is compared
    # by the pages it holds instead.
    from pagefind_index import pages

    tree = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")}
    tree["pagefind/ (indexed pages)"] = repr(sorted(pages(root), key=lambda page: page["url"])).encode()
    return tree


def test_site_builds_the_same_with_and_without_the_speed_hooks(site_copy, tmp_path):
    # 150 posts over 13 years: paginated blog index and archive pages at every depth,
    # excerpts with links to other posts and in-page anchors, some posts with footnotes.
    bench.write_corpus(site_copy, 150)
    bench.without_speed_hooks(site_copy)
    _build(site_copy, "mkdocs.yml", tmp_path / "with")
    _build(site_copy, "mkdocs-unoptimised.yml", tmp_path / "without")
    fast, slow = _tree(tmp_path / "with"), _tree(tmp_path / "without")
    assert len(fast) > 200 and any(path.startswith("blog/archive/") and "/page/" in path for path in fast)
    assert sorted(fast) == sorted(slow)
    differing = [path for path in fast if fast[path] != slow[path]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


def test_hooks_are_on_and_excerpts_are_reused_with_our_markdown_extensions(config, excerpt_once):
    assert set(bench.SPEED_HOOKS) <= set(config["hooks"])
    mkdocs_config = MkDocsConfig(config_file_path=str(ROOT / "mkdocs.yml"))
    # (validation empties the extensions' settings dicts: give it a copy of the session's)
    mkdocs_config.load_dict({"site_name": "x", "markdown_extensions": copy.deepcopy(config["markdown_extensions"])})
    errors, _ = mkdocs_config.validate()
    assert not errors
    assert excerpt_once._reusable(mkdocs_config)


def test_another_material_version_stops_the_build_with_a_clear_error(blog_speed, monkeypatch):
    monkeypatch.setitem(blog_speed.PINNED, "mkdocs-material", "9.9.0")
    with pytest.raises(PluginError, match=r"blog_speed\.py relies on internals .*mkdocs-material is 9\.8\.1, not 9\.9\.0"):
        blog_speed._check_internals()


def test_a_changed_excerpt_render_signature_stops_the_build(excerpt_once, monkeypatch):
    monkeypatch.setattr(excerpt_once.Excerpt, "render", lambda self, page: None)
    with pytest.raises(PluginError, match=r"Excerpt\.render\(self, page, separator\) changed"):
        excerpt_once._check_internals()


def test_post_list_answers_in_as_a_list_does(blog_speed, tmp_path):
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path)})
    config.validate()
    pages = []
    for i in range(6):
        (tmp_path / f"p{i}.md").write_text(f"# Page {i}\n", encoding="utf-8")
        page = Page(None, File(f"p{i}.md", str(tmp_path), str(tmp_path / "site"), True), config)
        page.read_source(config)
        pages.append(page)
    posts = pages[:4]
    twin = Page(None, pages[1].file, config)  # another page object on the same file and title
    twin.read_source(config)
    plain = list(posts)
    fast = blog_speed.PostList(posts)
    for page in [*pages, twin, "not a page", None]:
        assert (page in fast) == (page in plain), page
    assert twin in fast and pages[5] not in fast
    fast.append(pages[5])
    assert pages[5] in fast
    fast.remove(pages[0])
    assert pages[0] not in fast


def test_a_build_against_other_material_internals_fails_naming_the_hook(site_copy, tmp_path):
    hook = site_copy / "overrides/hooks/blog_speed.py"
    text = hook.read_text(encoding="utf-8")
    assert '"mkdocs-material": "9.8.1"' in text
    hook.write_text(text.replace('"mkdocs-material": "9.8.1"', '"mkdocs-material": "9.7.0"'), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=site_copy, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode != 0
    assert "overrides/hooks/blog_speed.py relies on internals" in result.stderr
    assert "mkdocs-material is 9.8.1, not 9.7.0" in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


# Reading time: the text and images blog_speed.py takes out are what Material's parser reads.

def _material_reading(content: str) -> tuple[str, int]:
    from material.plugins.blog.readtime.parser import ReadtimeParser

    parser = ReadtimeParser()
    parser.feed(content)
    parser.close()
    return "".join(parser.text), parser.images


_WORDS = st.lists(st.sampled_from(list("ab é-_.,;:'\"\n\t>&#1x;<") + ["&amp;", "&lt;", "&#233;", "&copy", "--"]), max_size=12).map("".join)
_NAMES = st.sampled_from(["p", "a", "img", "IMG", "br", "h2", "sup", "div", "svg", "span", "x-y"])
_VALUES = st.sampled_from(['"x"', "'y > z'", "a<b", '"a\'b"', "", '"#fn:1"'])
_ATTRS = st.lists(st.tuples(st.sampled_from(["href", "id", "class", "data-x", "alt"]), _VALUES), max_size=3).map(
    lambda attrs: "".join(f" {name}={value}" if value else f" {name}" for name, value in attrs))
_TAGS = st.one_of(
    st.builds(lambda n, a, close: f"<{n}{a}{' /' if close else ''}>", _NAMES, _ATTRS, st.booleans()),
    _NAMES.map(lambda n: f"</{n}>"),
    st.sampled_from(["<!-- more -->", "<!---->", "<!-- a > b -->", "<!-- a -- b -->", "<!DOCTYPE html>", "<br/>", "<?x?>"]),
)


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(st.one_of(_WORDS, _TAGS), max_size=25))
def test_reading_time_reads_what_materials_parser_reads(blog_speed, parts):
    content = "".join(parts)
    found = blog_speed.text_and_images(content)
    if found is not None:
        assert found == _material_reading(content)


def test_reading_time_of_every_page_of_the_site_takes_the_fast_way(config, blog_speed):
    import markdown
    from material.plugins.blog.readtime import readtime

    extensions = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    configs = {next(iter(e)): next(iter(e.values())) for e in config["markdown_extensions"] if isinstance(e, dict)}
    pages = sorted((ROOT / "docs").rglob("*.md"))
    assert len(pages) > 10
    for path in pages:
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        content = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(body)
        found = blog_speed.text_and_images(content)
        assert found == _material_reading(content), path
        text, images = found
        assert readtime(html.escape(text, quote=False) + "<img>" * images, 265) == readtime(content, 265), path
