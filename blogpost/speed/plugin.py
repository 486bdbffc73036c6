"""The speed plugin (`blogpost-speed` in mkdocs.yml): applies its patches when the build is
configured and undoes them when it ends, so a `mkdocs serve` process never carries one into a
build that did not ask for it. On any other version or changed internals it steps aside with
one warning and the build takes the stock path (same site, slower); `strict: true` makes that
a failure instead (CI and `make bench` set it).

Priorities: the blog plugin runs its on_files and on_page_markdown at -50; AFTER_BLOG (-60)
runs right after them.
"""

from __future__ import annotations

import logging

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from blogpost.speed import compat, excerpts, nav, page_parser, post_lookup

PATCHES = ("post_lookup", "excerpts", "nav", "page_parser")
AFTER_BLOG = -60

log = get_plugin_logger(__name__)
# Stepping aside is a warning to read, not a broken site: it is logged outside MkDocs' own
# loggers, which `mkdocs build --strict` counts, so a dependency bump never stops a publish.
aside = logging.getLogger("blogpost.speed")
if not aside.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    aside.addHandler(_handler)
    aside.propagate = False


class SpeedConfig(Config):
    # Fail the build, instead of stepping aside, when the versions or internals differ.
    strict = c.Type(bool, default=False)
    # Which patches to apply (all by default; fewer to measure each one's share).
    patches = c.ListOfItems(c.Choice(PATCHES), default=list(PATCHES))


class SpeedPlugin(BasePlugin[SpeedConfig]):
    def __init__(self) -> None:
        self.patches = compat.Patches()
        self.parsers: dict = {}
        self.on: set[str] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        compat.restore_stock()  # whatever a build that ended abnormally left behind
        self.patches = compat.Patches()
        self.parsers: dict = {}
        self.on: set[str] = set()
        problems = compat.problems()
        if problems:
            self._step_aside(f"blogpost-speed was checked against other versions: {'; '.join(problems)}")
            return config
        self.on = set(self.config.patches)
        unknown = compat.unchecked_extensions(config)
        if unknown and self.on & {"excerpts", "page_parser"}:
            log.info("a parser per page and per excerpt, as MkDocs and Material do: not checked with %s", unknown)
            self.on -= {"excerpts", "page_parser"}
        if "post_lookup" in self.on:
            post_lookup.use_libyaml(self.patches)
        if "excerpts" in self.on:
            excerpts.make_parsers_lazily(self.patches)
        if "page_parser" in self.on:
            page_parser.reuse_parsers(self.patches)
        return config

    @event_priority(AFTER_BLOG)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if "post_lookup" in self.on:
            self._guarded("post_lookup", post_lookup.index_posts, config, self.patches)
        return files

    @event_priority(AFTER_BLOG)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if "excerpts" in self.on:
            self._guarded("excerpts", excerpts.render_once, page, self.parsers)
        return markdown

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if "nav" in self.on:
            self._guarded("nav", nav.draw_once, env, self.patches)
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.patches.undo()

    def on_build_error(self, *, error: Exception) -> None:
        self.patches.undo()

    def _guarded(self, patch: str, apply, *args) -> None:
        """Apply a patch whose internals can only be checked during the build; on a mismatch,
        the rest of the build goes without it."""
        try:
            apply(*args)
        except compat.Mismatch as error:
            self.on.discard(patch)
            self._step_aside(f"blogpost-speed: {patch}: {error}")

    def _step_aside(self, message: str) -> None:
        if self.config.strict:
            raise PluginError(f"{message} (strict: true; re-check it as blogpost/ARCHITECTURE.md says)")
        aside.warning(f"{message}. Building without it: the same site, slower.")
