"""One Markdown parser for all the pages of a build, reset before each page, not a new one per page (on_config).

MkDocs makes a Markdown parser for every page it renders: building its extensions and
processors costs 3.6% of a 3000-post build. With the extensions this site uses
(entries.RESET_SAFE), a parser reset before a conversion is in the state a new one
starts in; MkDocs then registers the page's own processors on it, replacing the last
page's, at the same places. tests/test_blog_speed.py compares builds with and without
the speed hooks file by file. Other extensions keep MkDocs' way, and other versions of
MkDocs or Markdown stop the build.
"""

from __future__ import annotations

import types

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure import pages as mkdocs_pages

from entries import unchecked_extensions, version_problems

PINNED = {"mkdocs": "1.6.1", "Markdown": "3.11.3", "pymdown-extensions": "13.1.2"}

log = get_plugin_logger(__name__)


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


def on_config(config: MkDocsConfig) -> None:
    problems = version_problems(PINNED)
    # (a _Reusing of an earlier load of this hook, in `mkdocs serve`, counts too)
    if getattr(getattr(mkdocs_pages, "markdown", None), "__name__", None) != "markdown":
        problems.append("MkDocs' pages no longer make their parser with markdown.Markdown")
    if problems:
        raise PluginError(
            f"overrides/hooks/page_parser.py was checked against other versions: {'; '.join(problems)}. "
            "Re-check the hook (and tests/test_blog_speed.py), or remove it from mkdocs.yml's hooks."
        )
    unknown = unchecked_extensions(config)
    if unknown:
        log.info("a parser per page, as MkDocs does: not checked with %s", unknown)
    # A new set of parsers for every build and `mkdocs serve` rebuild.
    mkdocs_pages.markdown = markdown if unknown else _Reusing()
