"""One strict build of the real site per test session, and helpers to read it.

Tests read the output; none edits the tree it checks. Bad-input tests build a
copy of the site (see `site_copy`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from mkdocs.utils.yaml import yaml_load

from blogpost.features.redirects import is_redirect
from blogpost.model import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

pytest_plugins = ["browser"]  # the browser fixtures: tests/browser.py


def pytest_collection_modifyitems(items):
    """Tiers by what a test needs: Chromium (browser) or Java (java); `make test-fast` leaves
    those and the large-corpus tests (marked corpus) out."""
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        for fixture, marker in (("browser", pytest.mark.browser), ("java", pytest.mark.java)):
            if fixture in needs:
                item.add_marker(marker)

BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(project: Path, site_dir: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess:
    """`mkdocs build --strict` as an author runs it, from the project folder."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "--site-dir", str(site_dir)],
        cwd=project, env=BUILD_ENV, capture_output=True, text=True, timeout=600,
    )


@dataclass
class Site:
    root: Path
    url: str  # site_url, with a trailing slash
    _trees: dict = field(default_factory=dict)

    @cached_property
    def html_files(self) -> list[Path]:
        """Every page: the HTML files but the redirect pages at former addresses, which have no
        theme, script or metadata to check (tests/test_urls.py checks them)."""
        return sorted(path for path in self.root.rglob("*.html") if path not in self.redirect_files)

    @cached_property
    def redirect_files(self) -> set[Path]:
        """The redirect pages the build wrote at pages' former addresses (`aliases:`)."""
        return {path for path in self.root.rglob("*.html")
                if is_redirect(path.read_text(encoding="utf-8", errors="replace"))}

    def tree(self, path: Path | str):
        path = self.root / path if isinstance(path, str) else path
        if path not in self._trees:
            self._trees[path] = lxml.html.fromstring(path.read_bytes())
        return self._trees[path]

    def page(self, url_path: str):
        """The parsed page at a site-relative URL such as 'tags/ai/'."""
        return self.tree(self.file_for(url_path))

    def file_for(self, url_path: str) -> Path:
        path = self.root / unquote(url_path)
        if url_path.endswith("/") or url_path == "" or path.is_dir():
            path = path / "index.html"
        return path

    def url_of(self, path: Path) -> str:
        rel = path.relative_to(self.root).as_posix()
        return rel.removesuffix("index.html")

    def to_site_path(self, href: str, base: str) -> tuple[str, str] | None:
        """(site-relative path, fragment) of a link, or None when it leaves the site."""
        absolute = urljoin(self.url + base, href)
        if not absolute.startswith(self.url):
            return None
        parts = urlsplit(absolute[len(self.url):])
        return parts.path, unquote(parts.fragment)

    def text(self, url_path: str) -> str:
        """The visible text of a page's article, whitespace folded."""
        article = self.page(url_path).cssselect("article")[0]
        return " ".join(article.text_content().split())


@pytest.fixture(scope="session")
def config() -> dict:
    """mkdocs.yml as written, read by MkDocs' own loader (INHERIT and !ENV included)."""
    with (ROOT / "mkdocs.yml").open("rb") as file:
        return yaml_load(file)


@pytest.fixture(scope="session")
def site(tmp_path_factory, config) -> Site:
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr}"
    return Site(out, config["site_url"].rstrip("/") + "/")


@pytest.fixture(scope="session")
def vocabulary():
    return load_vocabulary(str(DOCS))


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A copy of the project (content, theme layer, config) outside any git checkout."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


SEED_POST = "blog/posts/2026-11-02-it-outsourcing-pros-cons-and-best-practices.md"
SEED_URL = "blog/2026/11/02/it-outsourcing-pros-cons-and-best-practices/"


# A sample site: the real one plus posts with tags of their own, so that related posts,
# older/newer links, escaping and the exclusion of drafts and scheduled posts are checked
# against known answers whatever the real content is; with the real posts they fill more
# than one page of the blog's index. Dates are old, so the sample posts
# come before every real one; their tags are added to the copy's vocabulary.
SAMPLE_TAGS = ["SampleA", "SampleB", "SampleC", "SampleD", "SampleE"]
SAMPLE_POSTS = {  # file stem: (title, date, tags, extra front matter)
    "2001-01-01-one": ("Sample one", "2001-01-01", "ABC", ""),
    "2001-01-02-two": ("Sample two", "2001-01-02", "A", ""),
    "2001-01-03-three": ("Sample three", "2001-01-03", "AB", "updated: 2001-02-01\n"),
    "2001-01-04-four": ("Sample four", "2001-01-04", "C", ""),
    "2001-01-05-five": ("Sample five", "2001-01-05", "BC", ""),
    "2001-01-06-six": ("Sample six", "2001-01-06", "AB", ""),
    "2001-01-07-alone": ('Less < more & "quoted" > all', "2001-01-07", "D", ""),
    **{f"2001-02-0{n}-more-{n}": (f"Sample more {n}", f"2001-02-0{n}", "E", "") for n in range(1, 5)},
    "2001-01-08-draft": ("Sample draft", "2001-01-08", "ABC", "draft: true\n"),
    "2999-01-01-scheduled": ("Sample scheduled", "2999-01-01", "ABC", ""),
}


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory, config) -> Site:
    project = tmp_path_factory.mktemp("sample") / "project"
    project.mkdir()
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    with (project / "docs" / ".tags.yml").open("a", encoding="utf-8") as vocabulary:
        for name in SAMPLE_TAGS:
            vocabulary.write(f"  - name: {name}\n    slug: {name.lower()}\n"
                             f"    description: Posts of the sample site, group {name[-1]}.\n")
    for stem, (title, date, letters, extra) in SAMPLE_POSTS.items():
        tags = ", ".join("Sample" + letter for letter in letters)
        quoted = '"' + title.replace('"', '\\"') + '"'
        (project / "docs" / "blog" / "posts" / f"{stem}.md").write_text(
            f"---\ntitle: {quoted}\ndate: {date}\n{extra}"
            f"description: {quoted[:-1]}, a sample post.\"\n"
            f"tags: [{tags}]\nauthors: [editors]\n---\n\n# {title}\n\n"
            "A first paragraph for the lists.\n\n<!-- more -->\n\n## More\n\nThe rest of the post.\n",
            encoding="utf-8",
        )
    out = project.parent / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, f"sample build failed:\n{result.stderr}"
    return Site(out, config["site_url"].rstrip("/") + "/")
