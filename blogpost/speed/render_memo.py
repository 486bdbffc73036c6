"""A page's Markdown conversion reused from the previous build of the preview when its inputs are
equal: the Markdown after every plugin's on_page_markdown, the page's own file and address, and
the answer to every lookup of another file its links made (whether it exists, its address,
whether it is left out). The configuration is the same by construction: the memo is cleared
when the configuration, theme layer or code changes (incremental.py). A conversion that logged
anything (a broken link, a left-out target) is not kept, so it logs again on every build.
"""

from __future__ import annotations

import copy
import functools
import inspect
import logging
from pathlib import PurePath

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from blogpost.speed.compat import Mismatch, Patches

# What Page.render sets, and what is restored from the memo.
RESULTS = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


class RenderMemo:
    def __init__(self) -> None:
        self.kept: dict[str, tuple] = {}  # src_uri -> (key, lookups, results)
        self._now: dict[str, tuple] = {}
        self.hits = self.misses = 0

    def clear(self) -> None:
        self.kept.clear()

    def apply(self, patches: Patches) -> None:
        stock = Page.render
        if list(inspect.signature(stock).parameters) != ["self", "config", "files"]:
            raise Mismatch("Page.render(self, config, files) changed")
        memo, now = self, {}
        self.hits = self.misses = 0

        def render(page: Page, config, files: Files) -> None:
            if type(page).render is not render:  # a subclass with a render of its own
                return stock(page, config, files)
            key = (page.markdown, page.file.url, page.file.inclusion.name, page.file.dest_uri)
            found = memo.kept.get(page.file.src_uri)
            if found and found[0] == key and memo.still(page.file.src_uri, files) is not None:
                _restore(page, found[2], files)
                now[page.file.src_uri] = found
                memo.hits += 1
                return
            memo.misses += 1
            recording = _Recording(files)
            with Logged() as logged:
                stock(page, config, recording)
            if not logged.records and not recording.other:
                now[page.file.src_uri] = (key, tuple(recording.lookups.items()), _results(page))

        patches.set(Page, "render", render)
        self._now = now

    def lookups(self, src_uri: str) -> tuple | None:
        """Every other file this build's conversion of the page looked up, with the answer it
        had; None when the conversion is not one to keep (it logged, or used Files otherwise)."""
        found = self._now.get(src_uri)
        return None if found is None else found[1]

    def still(self, src_uri: str, files: Files) -> tuple | None:
        """The last good build's lookups for the page, when every one has the same answer now."""
        found = self.kept.get(src_uri)
        if found is None or not all(_answer(files, path) == answer for path, answer in found[1]):
            return None
        return found[1]

    def carry(self, src_uri: str) -> None:
        """A page kept as the last good build made it keeps its conversion for the next build."""
        if src_uri in self.kept:
            self._now[src_uri] = self.kept[src_uri]

    def keep(self) -> None:
        """After a good build: its conversions are the ones to reuse (a failed build's are not)."""
        self.kept = self._now


def _answer(files: Files, path: str):
    return fact(files.src_uris.get(normal_path(path)))


@functools.lru_cache(maxsize=1 << 15)
def normal_path(path: str) -> str:
    """A path as Files.get_file_from_path looks it up among src_uris."""
    return PurePath(path).as_posix()


def fact(found: File | None):
    """What a conversion learns from looking a file up: whether it exists, its address, its inclusion."""
    return None if found is None else (found.src_uri, found.url, found.inclusion.name)


class _Recording:
    """The build's Files as Page.render sees them, noting every lookup and its answer; any other
    use makes the conversion one not to keep."""

    def __init__(self, files: Files) -> None:
        self._files, self.lookups, self.other = files, {}, False

    def get_file_from_path(self, path: str) -> File | None:
        found = self._files.get_file_from_path(path)
        self.lookups[path] = fact(found)
        return found

    def __getattr__(self, name):
        self.other = True
        return getattr(self._files, name)


class Logged(logging.Handler):
    """Every record at INFO or above logged while a page converts."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.loggers = [logging.getLogger(), logging.getLogger("mkdocs"), logging.getLogger("MARKDOWN")]

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self):
        for logger in self.loggers:
            logger.addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for logger in self.loggers:
            logger.removeHandler(self)


def _copy(item):
    """A copy of a conversion's result that a later change cannot reach (the blog appends to the
    table of contents of its list pages)."""
    if isinstance(item, TableOfContents):
        return TableOfContents([_copy(link) for link in item.items])
    if isinstance(item, AnchorLink):
        link = AnchorLink(item.title, item.id, item.level)
        link.children = [_copy(child) for child in item.children]
        return link
    if isinstance(item, set):
        return set(item)
    if item is None or isinstance(item, str):
        return item
    return copy.deepcopy(item)


def _results(page: Page) -> dict:
    found = {name: _copy(getattr(page, name, None)) for name in RESULTS if name != "links_to_anchors"}
    links = getattr(page, "links_to_anchors", None)
    found["links_to_anchors"] = None if links is None else {
        file.src_uri: dict(anchors) for file, anchors in links.items()}
    return found


def _restore(page: Page, results: dict, files: Files) -> None:
    for name, item in results.items():
        if name == "links_to_anchors":
            if item is not None:
                page.links_to_anchors = {files.src_uris.get(uri): dict(a) for uri, a in item.items()}
        else:
            setattr(page, name, _copy(item))
