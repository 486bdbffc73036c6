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
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from blogpost.speed import compat, excerpts, nav, page_parser, post_lookup, watch
from blogpost.speed.incremental import Preview

PATCHES = ("post_lookup", "excerpts", "nav", "page_parser", "incremental")
AFTER_BLOG = -60
# The incremental preview looks at files, navigation and pages after every other plugin has
# changed them, and tidies the site before anything reads it in on_post_build (the search index);
# the pages a second process templates are all written before any other on_post_build.
LATEST, FIRST, BEFORE_ALL = -1000, 100, 10_000

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
    # The preview templates a build's pages in two processes when it has at least this many
    # to template (a new post: every list page; 0: always one process). See parallel.py.
    parallel_from = c.Type(int, default=64)


class SpeedPlugin(BasePlugin[SpeedConfig]):
    def __init__(self) -> None:
        self.patches = compat.Patches()
        self.on: set[str] = set()
        # Kept across the rebuilds of one `mkdocs serve` (MkDocs keeps a plugin with on_startup).
        self.preview: Preview | None = None
        self.serve_patches = compat.Patches()
        self.files: Files | None = None
        self.nav = self.env = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        if command != "serve" or "incremental" not in self.config.patches or compat.problems():
            return  # on_config steps aside, with its warning, when the versions differ
        self.preview = Preview()
        self._guarded("incremental", self.preview.take_over_serve, self.serve_patches, self._incremental)
        if not self.serve_patches.active():
            self.preview = None

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        if self._incremental():
            self._guarded("incremental", watch.watch_natively, server)
        return server

    def on_shutdown(self) -> None:
        self.serve_patches.undo()
        if self.preview is not None:
            self.preview.release()

    def _incremental(self) -> bool:
        return self.preview is not None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        compat.restore_stock()  # whatever a build that ended abnormally left behind
        self.patches = compat.Patches()
        self.on: set[str] = set()
        problems = compat.problems()
        if problems:
            self._step_aside(f"blogpost-speed was checked against other versions: {'; '.join(problems)}")
            return config
        self.on = set(self.config.patches)
        unknown = compat.unchecked_extensions(config)
        if unknown and "page_parser" in self.on:
            log.info("a parser per page, as MkDocs does: not checked with %s", unknown)
            self.on.discard("page_parser")
        if "post_lookup" in self.on:
            post_lookup.use_libyaml(self.patches)
        if "excerpts" in self.on:
            self._guarded("excerpts", excerpts.make_parsers_lazily, self.patches)
        if "page_parser" in self.on:
            page_parser.reuse_parsers(self.patches)
        if self.preview is None:
            self.on.discard("incremental")
        else:  # on a mismatch, every build of this preview is a full one
            self._guarded("incremental", self.preview.start, config, self.patches, self.config.parallel_from)
        return config

    @event_priority(AFTER_BLOG)
    def _index_posts(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if "post_lookup" in self.on:
            self._guarded("post_lookup", post_lookup.index_posts, config, self.patches)
        return files

    @event_priority(LATEST)
    def _files_for_preview(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self._incremental():
            self.preview.files(files)
        return files

    on_files = CombinedEvent(_index_posts, _files_for_preview)

    @event_priority(LATEST)
    def on_nav(self, nav, /, *, config: MkDocsConfig, files: Files):
        self.nav = nav
        return nav

    @event_priority(FIRST)  # before any plugin loads a template
    def _compiled_templates(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if self._incremental() and env.bytecode_cache is None:
            env.bytecode_cache = self.preview.compiled
        return env

    def _draw_nav_once(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if "nav" in self.on:
            self._guarded("nav", nav.draw_once, env, self.patches)
        return env

    @event_priority(LATEST)  # every page holds what its template shows; none is written yet
    def _decide(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if self._incremental():
            self.files, self.env = files, env
            self.preview.decide(files, self.nav, config)
        return env

    on_env = CombinedEvent(_compiled_templates, _draw_nav_once, _decide)

    @event_priority(BEFORE_ALL)
    def _templated(self, *, config: MkDocsConfig) -> None:
        if self._incremental():
            self.preview.parallel.join()

    @event_priority(FIRST)
    def _finish(self, *, config: MkDocsConfig) -> None:
        self.patches.undo()
        if self._incremental():
            self.preview.finish(self.files, config)
            self.preview.quick.remember(config, self.files, self.nav, self.env)
        self.files = self.nav = self.env = None

    on_post_build = CombinedEvent(_templated, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        self.patches.undo()
        if self.preview is not None:
            self.preview.failed()
        self.files = self.nav = self.env = None

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
