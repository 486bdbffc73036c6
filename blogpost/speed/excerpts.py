"""Excerpts' parsers made only when used.

Material 9.8.1's blog makes an excerpt of every post, and each excerpt its own Markdown parser,
with a copy of the build's configuration, on every build. The site lists a post by its card
(features/listings.py, ListedPost) and never converts an excerpt, so here a parser is made only
if something uses it, and the copy of the configuration once per build.
"""

from __future__ import annotations

from markdown import Markdown
from material.plugins.blog import structure as blog_structure

from blogpost.speed.compat import Mismatch, Patches


def make_parsers_lazily(patches: Patches) -> None:
    """Each excerpt's own parser is made only if something uses it (_LazyMarkdown), and the copy
    of the configuration it is made from once per build, not once per excerpt."""
    stock = getattr(blog_structure, "_patch", None)
    if not callable(stock):
        raise Mismatch("Material's excerpts no longer copy the configuration with _patch")
    patches.set(blog_structure, "Markdown", _LazyMarkdown)
    patches.set(blog_structure, "_patch", _once_per_config(stock))


def _once_per_config(stock):
    """_patch(config) returns a patched copy of the build's configuration, which no one changes
    afterwards: one copy serves every excerpt of the build."""
    made: dict[int, tuple] = {}

    def patch(config):
        found = made.get(id(config))
        if found is None or found[0] is not config:
            made.clear()
            found = made[id(config)] = (config, stock(config))
        return found[1]

    return patch


class _LazyMarkdown:
    """The parser Material makes for every excerpt, made only when something uses it (making
    it costs as much as converting a short excerpt). Until then the excerpt's tree processors
    are kept here."""

    def __init__(self, **options) -> None:
        self.options, self.registered, self._md = options, {}, None

    @property
    def treeprocessors(self):
        return self._md.treeprocessors if self._md else _Registering(self)

    def real(self) -> Markdown:
        if self._md is None:
            self._md = Markdown(**self.options)
            for name, (item, priority) in self.registered.items():
                self._md.treeprocessors.register(item, name, priority)
        return self._md

    def __getattr__(self, name):
        return getattr(self.real(), name)


class _Registering:
    """A lazy parser's tree processors: registered ones are kept, anything else makes the parser."""

    def __init__(self, lazy: _LazyMarkdown) -> None:
        self._lazy = lazy

    def register(self, item, name: str, priority: float) -> None:
        self._lazy.registered[name] = (item, priority)

    def __getattr__(self, name):
        return getattr(self._lazy.real().treeprocessors, name)

    def __getitem__(self, key):
        return self._lazy.real().treeprocessors[key]

    def __contains__(self, key) -> bool:
        return key in self._lazy.real().treeprocessors
