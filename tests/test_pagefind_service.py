"""The search index is built while the site builds (search_index.py feeds each page to
`pagefind --service`): it holds exactly what Pagefind's CLI finds in the finished site, and any
Pagefind problem fails the build, naming the page when Pagefind says which."""

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
from pagefind_bin import get_executable

import search_index
from pagefind_index import contents
from pagefind_service import PagefindError, PagefindService

PAGE = """<!doctype html><html lang="en"><head><title>T</title></head><body>
<article data-pagefind-body data-pagefind-sort="date:2026-11-02"><h1 id="one">One</h1>
<p>Outsourcing <a data-pagefind-filter="tag:AI" href="#">AI</a></p></article></body></html>"""


@pytest.fixture(autouse=True)
def no_process_left():
    yield
    search_index.end_service()


def cli_index(site_root: Path, out: Path) -> Path:
    """The index as Pagefind's CLI builds it over the site's pages."""
    shutil.copytree(site_root, out, ignore=lambda folder, names: ["pagefind"] if Path(folder) == site_root else [])
    command = [str(get_executable()), "--site", str(out), "--output-subdir", "pagefind", "--quiet"]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
    return out


def test_index_built_during_the_build_holds_what_the_cli_finds(site, tmp_path):
    built, cli = contents(site.root), contents(cli_index(site.root, tmp_path / "cli"))
    assert len(built["pages"]) > 10 and len(built["words"]) > 1000 and built["filters"]["tag"]
    for part in ("version", "pages", "words", "filters", "meta fields"):
        assert built[part] == cli[part], part
    # Sort orders: the same pages, in the same order of their sort values (pages with equal
    # values, or none, follow the order each was given them in: build order, directory order).
    sort_values = {}
    for path in site.html_files:
        for article in site.tree(path).cssselect("article[data-pagefind-sort]"):
            sort_values[site.url_of(path)] = article.get("data-pagefind-sort")
    assert sort_values and sorted(built["sorts"]) == sorted(cli["sorts"]) == ["date"]
    for name, urls in built["sorts"].items():
        assert sorted(urls) == sorted(cli["sorts"][name])
        values = lambda order: [sort_values.get(url.lstrip("/")) for url in order]  # noqa: E731
        assert values(urls) == values(cli["sorts"][name])


def test_a_page_pagefind_rejects_fails_the_build_naming_it(tmp_path):
    search_index.on_pre_build(config=None)
    search_index._service._index = 99  # an index this process does not have: Pagefind answers Error
    search_index.add_page(PAGE, "blog/x/index.html", about="docs/blog/posts/x.md")
    with pytest.raises(PluginError, match=r"^search index: docs/blog/posts/x\.md: Invalid index"):
        search_index.on_post_build(config=SimpleNamespace(site_dir=str(tmp_path)))
    assert search_index._service is None


def test_pagefind_stopping_mid_build_fails_it(tmp_path):
    search_index.on_pre_build(config=None)
    process = search_index._service._process
    process.kill()
    process.wait()
    with pytest.raises(PluginError, match=r"^search index: Pagefind stopped \(exit status -9\)"):
        for _ in range(3):  # the first write may still reach the pipe before the end is seen
            search_index.add_page(PAGE, "blog/x/index.html", about="docs/blog/posts/x.md")
    search_index.on_build_error(error=RuntimeError())
    assert search_index._service is None


def test_pagefind_that_cannot_start_fails_with_a_clear_error(monkeypatch):
    import pagefind_bin

    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: Path("/nonexistent/pagefind"))
    with pytest.raises(PluginError, match=r"^search index: cannot start /nonexistent/pagefind --service: .*No such file"):
        search_index.on_pre_build(config=None)


def test_pagefind_not_installed_fails_with_a_clear_error(monkeypatch):
    import pagefind_bin

    def missing():
        raise FileNotFoundError("Could not find any of [...]")

    monkeypatch.setattr(pagefind_bin, "get_executable", missing)
    with pytest.raises(PluginError, match=r"^search index: Pagefind is not installed \(Could not find .*\): pip install"):
        search_index.on_pre_build(config=None)


def test_each_build_has_its_own_process_ended_with_the_build(tmp_path):
    search_index.on_pre_build(config=None)
    first = search_index._service._process
    search_index.on_pre_build(config=None)  # a `mkdocs serve` rebuild: never the last build's index
    second = search_index._service._process
    assert first.poll() is not None and second.poll() is None
    search_index.add_page(PAGE, "blog/x/index.html", about="docs/blog/posts/x.md")
    search_index.on_post_build(config=SimpleNamespace(site_dir=str(tmp_path)))
    assert second.poll() == 0 and search_index._service is None
    written = sorted(p.relative_to(tmp_path / "pagefind").as_posix() for p in (tmp_path / "pagefind").rglob("*"))
    assert "pagefind-entry.json" in written and not [name for name in written if "-ui" in name or "highlight" in name]
    assert list(contents(tmp_path)["pages"]) == ["/blog/x/"]

    search_index.on_pre_build(config=None)
    third = search_index._service._process
    search_index.on_build_error(error=RuntimeError("a later hook failed"))
    assert third.poll() is not None and search_index._service is None


def test_client_reports_every_rejected_page_at_once():
    service = PagefindService(str(get_executable()))
    try:
        service._index = 99
        service.add_file(PAGE, url="/a/", about="docs/a.md")
        service.add_file(PAGE, url="/b/", about="docs/b.md")
        with pytest.raises(PagefindError) as raised:
            service.get_files()
        assert "docs/a.md: Invalid index" in str(raised.value) and "docs/b.md: Invalid index" in str(raised.value)
    finally:
        assert service.close() == []
