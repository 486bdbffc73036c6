"""The preview's quick rebuild: a save that changed only the Markdown body of a page renders and
writes that page alone.

The most common save while writing changes a post's body and nothing else: not its front
matter, no other file. An incremental build (incremental.py) still takes every page of the site
through every plugin's events to find that out, two or three seconds at 3000 posts. Here, before
a build starts, the files of docs/ are compared with those the last good build read (by size,
times and inode, then by text): when the only changes are to the Markdown after an unchanged
front matter of pages that were built, the pages are made again on the last good build's own
objects (its configuration, files, navigation and Jinja environment, and the plugins' state):
a post as Material made it from its new text (posts.py), then MkDocs' _populate_page and every
plugin's page events, as a build runs them. The site plugin checks them as the build would
(SitePlugin.revise and .revised: the gate, the allow-list, their links, the feeds that carry
them), and then MkDocs' _build_page templates and writes them.

Anything else a build would change, and the quick rebuild steps aside for a whole (incremental)
build: a page with a problem, a page held back, a scheduled page come due, a change to what
other pages show of a page (its title, reading time, sitemap date), a list marker, a view or a
generated page, a file added or removed, a file saved again while it ran, a change of the
configuration, theme layer or code, a plugin with page events other than the known ones, a
record logged while the events ran, any error. Nothing is written before the pages are checked
but the feeds that carry them; should templating then log or fail, the pages it wrote are
written again by the whole build that follows, as is every feed that differs.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from material.plugins.blog.structure import Post, View
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import InclusionLevel

from blogpost.content.source import decode
from blogpost.features import listings
from blogpost.speed.compat import STOCK, other_plugins
from blogpost.speed.kept import NOT_KEPT
from blogpost.speed.posts import split
from blogpost.speed.render_memo import Logged

log = logging.getLogger("mkdocs.plugins.blogpost.speed.incremental")

# What a post holds that was set after Material made it and before its page events: kept as
# it is. (Material's blog makes its excerpt and authors in its on_page_markdown.)
BEFORE_EVENTS = NOT_KEPT - {"excerpt", "authors"}
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")


class Quick:
    """The last good build's objects, and the files of docs/ as it read them."""

    def __init__(self) -> None:
        self.last: tuple | None = None  # (configuration, files, navigation, environment)
        self.tree: dict[str, tuple] = {}  # every file of docs/ -> its stat, as the last good build read it
        self.pending: dict[str, tuple] = {}
        self.looked: dict[str, tuple] | None = None  # docs/ as a quick rebuild that stepped aside found it

    def starting(self, docs_dir: str) -> None:
        """Before a build reads docs/: its files as they are now (a file saved later counts
        as changed, and its text then tells)."""
        self.last = None
        self.pending = self.looked if self.looked is not None else _tree(docs_dir)
        self.looked = None

    def remember(self, config, files, nav, env) -> None:
        """After a good build."""
        self.last = (config, files, nav, env)
        self.tree = self.pending

    def forget(self) -> None:
        self.last = self.looked = None

    def build(self, preview) -> bool:
        """Rebuild quickly if only pages' Markdown bodies changed; False when a build is needed
        (nothing is written then but feeds)."""
        if self.last is None:
            return False
        config, files, nav, env = self.last
        started = time.time()
        tree = self.looked = _tree(config.docs_dir)  # for the build that follows, if one does
        if tree.keys() != self.tree.keys():
            return self._aside("a file was added or removed")
        changes, seen, sources = [], {}, {}
        for path, stat in tree.items():
            if stat == self.tree[path]:
                continue
            file = files.get_file_from_path(os.path.relpath(path, config.docs_dir))
            page = getattr(file, "page", None)
            if file is None or page is None or not file.is_documentation_page() or file.generated_by:
                return self._aside(f"{path} is not a page")
            if isinstance(page, View):
                return self._aside(f"{file.src_uri} is a view")
            before = preview.read.get(file.src_uri)
            try:
                with open(path, "rb") as source:
                    raw = source.read()
                text = decode(raw)
            except (OSError, UnicodeDecodeError):
                return self._aside(f"{file.src_uri} cannot be read")
            sources[file.src_uri] = raw
            seen[path] = stat
            if text == before:
                continue
            if before is None or _front(before) != _front(text):
                return self._aside(f"{file.src_uri}: its front matter changed")
            if listings.MARKER.search(before) or listings.MARKER.search(text):
                return self._aside(f"{file.src_uri} lists entries")
            changes.append((page, before, text))
        if not changes:
            return self._aside("no page's text changed")
        pages = [page for page, _, _ in changes]
        site = config.plugins.get("blogpost")
        if not all(callable(getattr(site, name, None)) for name in ("revise", "made_again", "revised", "republish")):
            return self._aside("the site plugin cannot check a page again")
        others = other_plugins(config, PAGE_EVENTS)
        if others:
            return self._aside(f"page events of other plugins ({', '.join(others)})")
        try:
            reason = site.revise(pages, config=config, files=files, sources=sources)
            if reason is not None:
                return self._aside(reason)
            with Logged() as logged:
                for page, before, text in changes:
                    if isinstance(page, Post):
                        if not preview.posts.remake(page, before, text, BEFORE_EVENTS):
                            return self._aside(f"{page.file.src_uri}: the post as made before is not known")
                        site.made_again(page)
                    STOCK[(mkdocs_build, "_populate_page")](page, config, files)
            if _own(logged):
                return self._aside("a page's events logged: " + _own(logged)[0].getMessage())
            # What was checked is what the events read: no save since (MkDocs reads a page's
            # file again).
            if any(_stat(path) != stat for path, stat in seen.items()):
                return self._aside("a page was saved again")
            reason = site.revised(pages, config=config, files=files)
            if reason is not None:
                return self._aside(reason)
            preview.forget(page.file.abs_dest_path for page in pages)
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            with Logged() as logged:
                for page in pages:
                    STOCK[(mkdocs_build, "_build_page")](page, config, doc_files, nav, env,
                                                         excluded=page.file.inclusion.is_excluded())
            if _own(logged):
                return self._aside("templating logged: " + _own(logged)[0].getMessage())
            site.republish(config=config)
        except Exception as error:  # noqa: BLE001 (the build that follows raises it, as a build does)
            return self._aside(f"{type(error).__name__}: {error}")
        for page, _, text in changes:
            preview.read[page.file.src_uri] = text
        self.tree.update(seen)
        self.looked = None
        preview.builds += 1
        preview.collector.built()
        log.info(f"incremental preview: build {preview.builds} in {time.time() - started:.2f} s: quick, "
                 f"{len(pages)} {'page' if len(pages) == 1 else 'pages'} rendered, nothing else changed "
                 f"({', '.join(page.file.src_uri for page in pages)})")
        return True

    def _aside(self, reason: str) -> bool:
        """A whole build instead; the last build's objects may have been changed."""
        log.debug(f"incremental preview: a whole build: {reason}")
        self.last = None
        return False


def _own(logged: Logged) -> list[logging.LogRecord]:
    """What this thread logged (the search index of the last build may be logging that it is
    ready, in its own thread)."""
    return [record for record in logged.records if record.thread == threading.get_ident()]


def _front(text: str) -> str:
    """A page's text up to the end of its front matter (as Material and MkDocs split it)."""
    found = split(text)
    return "" if found is None else found[0]


def _tree(docs_dir: str) -> dict[str, tuple]:
    """Every file under docs_dir, by path: (size, modification and change times, inode). An
    editor's file gone while it is looked at is left out (as if looked at a moment later)."""
    found: dict[str, tuple] = {}
    folders = [docs_dir]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        else:
                            found[entry.path] = _key(entry.stat(follow_symlinks=False))
                    except FileNotFoundError:
                        pass
        except (FileNotFoundError, NotADirectoryError):
            pass
    return found


def _stat(path: str) -> tuple | None:
    try:
        return _key(os.stat(path, follow_symlinks=False))
    except OSError:
        return None


def _key(stat: os.stat_result) -> tuple:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
