"""The site's search index: marks what Pagefind indexes on each page and hands the page, as it
will be written, to a `pagefind --service` process (on_post_page), which indexes it on another core
while MkDocs builds the rest; the index is written into site/pagefind/ when the build ends
(on_post_build). A fresh process and index per build, `mkdocs serve` rebuilds included; the
process is ended after every build, failed ones too (on_build_error).

Indexed: blog posts and authored pages (guides, the about pages); not list pages (the blog
index, archives, tag pages, any page with a listing marker) and not 404.html. Each indexed page
carries its date (as metadata and sort key) and its tags (as a filter, set by partials/tags.html);
Pagefind finds the section headings by their ids and links results to them.
"""

from __future__ import annotations

import os
from fnmatch import fnmatch
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

from material.plugins.blog.structure import View

from entries import TAGS_DIR, human_date, timezone, to_datetime
from listings import MARKER
from pagefind_service import PagefindError, PagefindService

ARTICLE = '<article class="md-content__inner md-typeset">'
# The permalink sign after each heading is not part of the heading's text.
HEADERLINK = '<a class="headerlink"'
OUTPUT_SUBDIR = "pagefind"
# Pagefind's ready-made interfaces and highlighter, not written: our own box and highlighter replace them.
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")

_service: PagefindService | None = None  # this build's; started in on_pre_build, ended with the build
_sent: set[str] = set()  # the output files handed to it this build
_dirty = False  # `--dirty`: pages that did not change are not built again; set in on_startup

log = get_plugin_logger(__name__)


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


def on_pre_build(*, config: MkDocsConfig) -> None:
    global _service
    end_service()  # a previous build's, should one have been left running
    try:
        from pagefind_bin import get_executable  # the binary that the pagefind[bin] wheel ships
        executable = str(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise PluginError(f"search index: Pagefind is not installed ({error}): pip install -r requirements.txt") from None
    try:
        _service = PagefindService(executable)
    except PagefindError as error:
        raise PluginError(f"search index: {error}") from None


@event_priority(-110)  # after html_output.py (-100): Pagefind gets the page as it is written
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    if not indexed(page) or ARTICLE not in output:
        return output
    attributes = ["data-pagefind-body"]
    date = to_datetime(page.meta.get("date"), timezone(config))
    if date:
        attributes.append(f'data-pagefind-meta="date:{human_date(date)}"')
        attributes.append(f'data-pagefind-sort="date:{date:%Y-%m-%d}"')
    output = output.replace(ARTICLE, ARTICLE[:-1] + " " + " ".join(attributes) + ">", 1)
    output = output.replace(HEADERLINK, HEADERLINK + " data-pagefind-ignore")
    add_page(output, page.file.dest_uri, about=source(page, config))
    return output


def indexed(page: Page) -> bool:
    """A post, a guide chapter or another authored page; never a listing."""
    # The blog plugin's own pages (index, archive) are Views; tag pages are generated.
    if isinstance(page, View) or page.file.generated_by or page.file.src_uri.startswith(TAGS_DIR + "/"):
        return False
    return not MARKER.search(page.file.content_string)


def on_post_build(*, config: MkDocsConfig) -> None:
    """Write the index into site/pagefind/ once Pagefind has every page."""
    if _dirty:  # pages not built again are indexed as they were last written
        for path in sorted(Path(config.site_dir).rglob("*.html")):
            dest_uri = path.relative_to(config.site_dir).as_posix()
            if dest_uri not in _sent and not dest_uri.startswith(OUTPUT_SUBDIR + "/"):
                html = path.read_text(encoding="utf-8")
                if "data-pagefind-body" in html:
                    add_page(html, dest_uri, about=dest_uri)
    try:
        files = _service.get_files()
    except PagefindError as error:
        raise PluginError(f"search index: {error}") from None
    finally:
        problems = end_service()
    if problems:
        raise PluginError("search index: " + "; ".join(problems))
    for name, content in files.items():
        if not any(fnmatch(name, pattern) for pattern in UNUSED):
            path = Path(config.site_dir, OUTPUT_SUBDIR, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def on_build_error(*, error: Exception) -> None:
    for problem in end_service():
        log.error(f"search index: {problem}")


def on_shutdown() -> None:
    end_service()


def add_page(html: str, dest_uri: str, *, about: str) -> None:
    # The URL that Pagefind's CLI derives from the file's path: '/blog/…/slug/', '/about.html'.
    try:
        folder, _, name = dest_uri.rpartition("/")
        url = "/" + (folder + "/" if folder else "") if name == "index.html" else "/" + dest_uri
        _service.add_file(html, url=url, about=about)
    except PagefindError as error:
        raise PluginError(f"search index: {error}") from None
    _sent.add(dest_uri)


def end_service() -> list[str]:
    """End this build's Pagefind process, if any; return its problems not yet reported."""
    global _service
    service, _service = _service, None
    _sent.clear()
    return service.close() if service else []


def source(page: Page, config: MkDocsConfig) -> str:
    """The page's file as an author names it: docs/blog/posts/….md."""
    return f"{os.path.basename(config.docs_dir)}/{page.file.src_uri}"
