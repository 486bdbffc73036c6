"""Keeps Material's blog plugin linear: `page in blog.posts` answered from an index (Material 9.8.1
asks it for every page, twice: a linear scan whose Page.__eq__ compares titles, so the build grows
with the square of the number of posts), and so is `view.pages.index(page)` (asked for every page
of a paginated view when it is written: 300 pages for the blog's index at 3000 posts, and as many
for each author's); posts' front matter read by libyaml's loader, which applies the same rules as
the pure-Python SafeLoader the blog uses, at a tenth of the cost."""

from __future__ import annotations

import yaml
from material.plugins.blog import structure as blog_structure
from material.plugins.blog.plugin import BlogPlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from blogpost.speed.compat import Mismatch, Patches


def blogs(config: MkDocsConfig) -> list[BlogPlugin]:
    return [p for p in config.plugins.values() if isinstance(p, BlogPlugin) and p.config.enabled]


def use_libyaml(patches: Patches) -> None:
    patches.set(blog_structure, "SafeLoader", getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def index_posts(config: MkDocsConfig, patches: Patches) -> None:
    """Right after the blog plugin has resolved its posts and generated its views' pages."""
    for blog in blogs(config):
        if not isinstance(getattr(getattr(blog, "blog", None), "posts", None), list):
            raise Mismatch("the blog plugin no longer keeps blog.posts as a list")
        patches.set(blog.blog, "posts", PageList(blog.blog.posts))
        for view in getattr(blog.blog, "views", None) or ():
            pages = getattr(view, "pages", None)
            if not isinstance(pages, list):
                raise Mismatch("the blog's views no longer keep their pages as a list")
            if pages:  # every page of a view holds the same list (a page set once holds the new one)
                indexed = PageList(pages)
                for page in (view, *pages):
                    if getattr(page, "pages", None) is pages:
                        patches.set(page, "pages", indexed)


class PageList(list):
    """A list of the blog's pages (its posts, a view's pages), answering `in` and `index()` from
    an index by file.

    Page.__eq__ needs the very same File object (File has no __eq__), so only pages
    sharing the page's file can equal it; those few are compared as list.__contains__
    and list.index would, in the list's order. Any change to the list drops the index.
    """

    def __contains__(self, page) -> bool:
        if not self._indexable(page):
            return list.__contains__(self, page)
        return any(other is page or other == page for _, other in self._by_file().get(id(page.file), ()))

    def index(self, page, *args):
        if args or not self._indexable(page):
            return list.index(self, page, *args)
        for at, other in self._by_file().get(id(page.file), ()):
            if other is page or other == page:
                return at
        raise ValueError(f"{page!r} is not in list")

    def _by_file(self) -> dict[int, list[tuple[int, Page]]]:
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = {}
            for at, other in enumerate(self):
                index.setdefault(id(getattr(other, "file", None)), []).append((at, other))
        return index

    @staticmethod
    def _indexable(page) -> bool:
        return type(page).__eq__ is Page.__eq__ and hasattr(page, "file")


def _drops_index(name: str):
    method = getattr(list, name)

    def changed(self, *args, **kwargs):
        self.__dict__.pop("_index", None)
        return method(self, *args, **kwargs)

    return changed


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend",
              "insert", "pop", "remove", "clear", "sort", "reverse"):
    setattr(PageList, _name, _drops_index(_name))
