"""One Markdown parser for all the pages of a build, reset before each page, not a new one per page.

MkDocs makes a Markdown parser for every page it renders: building its extensions and
processors costs a few percent of a large build. With the extensions this site uses
(compat.RESET_SAFE), a parser reset before a conversion is in the state a new one starts
in; MkDocs then registers the page's own processors on it, replacing the last page's, at
the same places.
"""

from __future__ import annotations

import types

import markdown
from mkdocs.structure import pages as mkdocs_pages

from blogpost.speed.compat import Patches


def reuse_parsers(patches: Patches) -> None:
    patches.set(mkdocs_pages, "markdown", _Reusing())


class _Reusing(types.ModuleType):
    """The markdown module as MkDocs' pages see it, except that Markdown(...) hands out, reset,
    the one parser of this build made with those settings."""

    def __init__(self) -> None:
        super().__init__("markdown")
        self.parsers: dict[str, markdown.Markdown] = {}

    def Markdown(self, **options) -> markdown.Markdown:  # noqa: N802 (the name MkDocs calls)
        key = repr(options)
        if key not in self.parsers:
            self.parsers[key] = markdown.Markdown(**options)  # new, so already reset
            return self.parsers[key]
        return self.parsers[key].reset()

    def __getattr__(self, name: str):
        return getattr(markdown, name)
