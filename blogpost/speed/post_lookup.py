"""Keeps Material's blog plugin linear: `page in blog.posts` answered from an index (Material 9.8.1
asks it for every page, twice: a linear scan whose Page.__eq__ compares titles, so the build grows
with the square of the number of posts), and posts' front matter read by libyaml's loader, which
applies the same rules as the pure-Python SafeLoader the blog uses, at a tenth of the cost."""

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
    """Right after the blog plugin has resolved its posts."""
    for blog in blogs(config):
        if not isinstance(getattr(getattr(blog, "blog", None), "posts", None), list):
            raise Mismatch("the blog plugin no longer keeps blog.posts as a list")
        patches.set(blog.blog, "posts", PostList(blog.blog.posts))


class PostList(list):
    """The blog's list of posts, answering `in` from an index by file.

    Page.__eq__ needs the very same File object (File has no __eq__), so only posts
    sharing the page's file can equal it; those few are compared as list.__contains__
    would. Any change to the list drops the index.
    """

    def __contains__(self, page) -> bool:
        if type(page).__eq__ is not Page.__eq__ or not hasattr(page, "file"):
            return list.__contains__(self, page)
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = {}
            for post in self:
                index.setdefault(id(getattr(post, "file", None)), []).append(post)
        return any(post is page or post == page for post in index.get(id(page.file), ()))


def _drops_index(name: str):
    method = getattr(list, name)

    def changed(self, *args, **kwargs):
        self.__dict__.pop("_index", None)
        return method(self, *args, **kwargs)

    return changed


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend",
              "insert", "pop", "remove", "clear", "sort", "reverse"):
    setattr(PostList, _name, _drops_index(_name))
