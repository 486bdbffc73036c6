"""The incremental preview: under `mkdocs serve`, a rebuild renders again only the pages whose
output can have changed, and keeps the rest of the previous build's output.

MkDocs' own dirty mode skips pages by file date alone, which leaves list pages, neighbours and
feeds stale. Here every page still goes through every plugin's events (every plugin's
aggregates are whole; what is made from unchanged inputs is reused: sources.py, posts.py,
render_memo.py and the memos below), and only at on_env, when every page holds what its
template will show and none is written yet, each page's fingerprint (fingerprint.py) is
compared with the previous successful build's: MkDocs' dirty build then templates and
writes the pages that differ and keeps the others. Files a build no
longer makes are removed. The first build, any build after a failure, and any build after a
change to the configuration, the theme layer, the vocabularies or the plugins' code are full.
A save that changed only pages' Markdown bodies skips all this: quick.py renders those pages alone.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import gzip
import inspect
import io
import logging
import os
import threading
import time
import types
from importlib.metadata import version
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

import blogpost
from blogpost.features import listings
from blogpost.page_data import data_of
from blogpost.speed import fingerprint
from blogpost.speed.compat import CHECKED, Mismatch, Patches
from blogpost.speed.copies import fresh
from blogpost.speed.kept import Kept, page_facts
from blogpost.speed.parallel import Parallel
from blogpost.speed.memo import Memo
from blogpost.speed.posts import Posts
from blogpost.speed.quick import Quick
from blogpost.speed.render_memo import RenderMemo, normal_path
from blogpost.speed.sources import Sources

log = logging.getLogger("mkdocs.plugins.blogpost.speed.incremental")
# MkDocs warns on every dirty build; here the preview decides what is stale, so the warning
# would be wrong (and `strict: true` would count it).
DIRTY_WARNING = "A 'dirty' build is being performed"
# Outputs that the search indexer owns (output/search_index.py) and keeps apart.
KEPT = ("pagefind",)


class Preview:
    """What one `mkdocs serve` keeps between its builds."""

    def __init__(self) -> None:
        self.signatures: dict[str, str] = {}  # output path -> fingerprint, from the last good build
        # Output path -> (what its page was made from, the digest of what its events made of it:
        # fingerprint.own(page, made=True)), from the last good build. See _made.
        self.made: dict[str, tuple[tuple, str]] = {}
        self.pending_made: dict[str, tuple[tuple, str]] = {}
        # Output path -> the digest of all a page holds (made and later), and the digest of the
        # site around the pages (see _sign), from the last good build.
        self.owned: dict[str, str] = {}
        self.pending_owned: dict[str, str] = {}
        self.steady: str | None = None
        self.pending_steady: str | None = None
        self.read: dict[str, str] = {}  # src_uri -> its source's text, as this build began to read it
        # A post's output path -> (the fingerprint of all but its end, its end's HTML), the same.
        self.ends: dict[str, tuple[str, str]] = {}
        self.pending_ends: dict[str, tuple[str, str]] = {}
        # A blog view's output path -> (the fingerprint of all but its cards, their HTML), the same.
        self.views: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.pending_views: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.unframed: list = []  # views templated with cards not drawn before: see finish
        self.replacing: list[tuple[str, str, str]] = []
        # The pages whose end or cards are replaced, as the last build wrote them.
        self.written: dict[str, str] = {}
        self.copied: dict[tuple, tuple] = {}  # (static source, its dest_uri) -> (path, size, mtime) when copied
        self.checked: dict[tuple, tuple] = {}  # the same, as this build found them
        self.expected: set[str] = set()  # every output path of the last good build
        self.inputs = ""  # digest of what makes every page (config, theme layer, code)
        self.renders = RenderMemo()
        self.compiled = Compiled()
        self.readtimes = Memo()
        self.checks = Memo()
        self.policies: dict[tuple, str] = {}
        self.front_matter = Memo()
        self.page_front_matter = Memo()
        self.post_configs = Memo()  # a post's loaded settings -> as Material validates them
        self.listed = Memo()  # (post, digest of all it holds) -> digest of what its card shows
        self.texts = Memo()  # a page's long texts (Markdown, HTML) -> their digests, for fingerprints
        self.sources = Sources()  # each source file read, while it does not change
        self.posts = Posts()  # each post as Material made it, while its source does not change
        self.kept = Kept()  # each page as its events left it, while what they read does not change
        self.parallel = Parallel()  # a second process templating half the pages of a build
        self.quick = Quick()  # a save that changed only pages' bodies: those pages alone
        self.pure: dict[object, object] = {}  # pure functions (URLs, Babel's dates) -> memoized copies
        self.view_copies: dict[str, bytes] = {}  # Material's copy of a view -> what it copied
        self.theme_files: dict[tuple, list[str]] = {}  # the theme's static files, as listed
        self.builds = 0  # good builds so far
        self.full = True
        self.broken = False  # internals found changed: every build is a full one
        self.started = 0.0
        self.counts = {"templated": 0, "kept": 0}
        self.reused_made = self.reused_own = 0
        self.collector = Collector()

    # Serve --------------------------------------------------------------------------------

    def take_over_serve(self, patches: Patches, enabled) -> None:
        """MkDocs' serve builds through mkdocs.commands.serve.build: build dirty while `enabled()`."""
        stock = getattr(mkdocs_serve, "build", None)
        if stock is not mkdocs_build.build:
            raise Mismatch("mkdocs.commands.serve no longer builds with mkdocs.commands.build.build")

        def build(config, *, serve_url=None, dirty=False):
            if serve_url is not None and enabled() and self.quickly(config):
                return None
            return stock(config, serve_url=serve_url, dirty=dirty or (serve_url is not None and enabled()))

        patches.set(mkdocs_serve, "build", build)
        logging.getLogger(mkdocs_build.__name__).addFilter(_without_dirty_warning)

    def quickly(self, config: MkDocsConfig) -> bool:
        """Before a rebuild: a save that changed only pages' Markdown bodies renders those pages
        alone (quick.py), when the inputs are the last good build's."""
        if self.full or self.broken or self.quick.last is None:
            return False
        try:
            if _inputs(config) != self.inputs:
                self.quick.forget()
                return False
            return self.quick.build(self)
        except Exception as error:  # noqa: BLE001 (a whole build then, which raises what it raises)
            log.debug(f"incremental preview: a whole build: {type(error).__name__}: {error}")
            self.quick.forget()
            return False

    def forget(self, paths) -> None:
        """Output paths the quick rebuild wrote: whatever the next build decides of them, it
        templates them again."""
        for path in paths:
            for memo in (self.signatures, self.ends, self.views, self.owned, self.made, self.written):
                memo.pop(path, None)

    def release(self) -> None:
        """When serve ends."""
        self.parallel.abandon()
        logging.getLogger(mkdocs_build.__name__).removeFilter(_without_dirty_warning)
        self.collector.release()

    # One build ----------------------------------------------------------------------------

    def start(self, config: MkDocsConfig, patches: Patches, parallel_from: int = 0) -> None:
        self.started = time.time()
        self.quick.starting(config.docs_dir)
        inputs = _inputs(config)
        self.full = self.full or self.broken or inputs != self.inputs or not os.path.isdir(config.site_dir)
        self.collector.building(self.full)
        if inputs != self.inputs:
            for memo in self._of_inputs():
                memo.clear()
        self.inputs = inputs
        if self.broken:
            return
        try:
            self.renders.apply(patches)
            self.sources.apply(patches)
            self.posts.apply(patches, self.sources)
            self._memoize_readtime(patches)
            self._memoize_source_checks(patches)
            self._memoize_policy(patches)
            self._memoize_post_front_matter(patches)
            self._memoize_page_front_matter(patches)
            self._memoize_canonical_urls(patches)
            self._memoize_relative_paths(patches)
            self._memoize_theme_listing(patches)
            self._memoize_file_lookups(patches)
            self._memoize_build_date(patches)
            self._memoize_post_config(patches)
            self._memoize_post_dates(patches)
            self._copy_views_once(patches)
            self._save_views_once(patches)
        except Mismatch:
            self.broken = self.full = True
            raise
        try:
            self.kept.apply(patches, self, config)
        except Mismatch as error:  # every page's events run: the same site, slower
            self.kept.clear()
            log.debug(f"incremental: pages are not kept: {error}")
        try:
            self.parallel.apply(patches, config, parallel_from)
        except Mismatch as error:  # one process templates every page: the same site, slower
            log.debug(f"incremental: pages are templated by one process: {error}")
        try:
            self._gzip_sitemap_once(patches, config)
        except Mismatch as error:  # sitemap.xml is compressed twice: the same site, slower
            log.debug(f"incremental: {error}")
        # The cards' HTML the second process draws is kept here for the next build too.
        site = config.plugins.get("blogpost")
        self.parallel.memos = [(lambda: site.cards.drawn, lambda drawn: site.cards.keep(drawn))] \
            if site is not None else []

    @staticmethod
    def config_facts(config: MkDocsConfig) -> tuple:
        return _config_facts(config)

    def _of_inputs(self) -> tuple:
        """Every memo whose results the configuration, theme layer or code could change."""
        return (self.renders, self.readtimes, self.checks, self.policies, self.front_matter,
                self.page_front_matter, self.post_configs, self.listed, self.theme_files, self.posts, self.kept)

    def files(self, files: Files) -> None:
        """Every page is read and converted; a static file is copied when its source changed."""
        self.read = {}
        for file in files:
            if file.is_documentation_page():
                file.is_modified = _yes
                if file.abs_src_path and file._content is None:
                    try:  # before MkDocs reads it: a later change is seen by the next build
                        self.read[file.src_uri] = file.content_string
                    except (OSError, ValueError):
                        pass
            elif file.abs_src_path and file._content is None:
                file.is_modified = self._static_check(file)
            elif file.generated_by:
                file.is_modified = self._content_check(file)

    def decide(self, files: Files, nav: Navigation, config: MkDocsConfig) -> None:
        """At the end of on_env: mark the pages to template and write again."""
        shared = fingerprint.digest(self.inputs, fingerprint.navigation(nav), _config_facts(config))
        per_page = _per_page(config)
        self.texts.next_build()
        with fingerprint.batch(self.texts):
            world = World(shared, files, config, self.renders)
            self._sign(files, shared, per_page, world, _Views(config))

    def _sign(self, files: Files, shared: str, per_page, world: World, framed: _Views) -> None:
        self.unframed = []
        cards: dict[int, str] = {}
        owns: dict[int, str] = {}  # id(page) -> digest of fingerprint.own(page)
        signatures, templated, kept = {}, 0, 0
        ends: dict[str, tuple[str, str]] = {}
        views: dict[str, tuple[str, tuple[str, ...]]] = {}
        recarded = 0
        replaced: list[tuple[str, str, str]] = []  # (output path, the end it has, the end to put there)
        made: dict[str, tuple[tuple, str]] = {}
        self.listed.next_build()
        self.reused_made = 0

        # Steady: the site around each page is as in the last good build (world.whole(): the
        # inputs, navigation, files, model, held pages, images) and so is every page's title and
        # address. Then what other pages decide of a page (fingerprint.later) is as then too,
        # unless it lists cards (a card shows what the post's own events made: its reading time).
        steady = world.whole()
        if steady is not None:
            try:
                steady = fingerprint.digest(steady, [fingerprint.reference(file.page) for file in files
                                                     if file.page is not None])
            except fingerprint.Unknown:
                steady = None
        owned: dict[str, str] = {}
        mades: dict[int, str] = {}  # id(page) -> digest of what its own events made of it
        reuse = not self.full and steady is not None and steady == self.steady
        reused: set[str] = set()  # pages whose own digest is the last good build's

        def own(page: Page) -> str:
            if id(page) not in owns:
                path = page.file.abs_dest_path
                digest, made_before = self._made(page, world, made)
                mades[id(page)] = digest
                if reuse and made_before and path in self.owned and not _lists(page):
                    owns[id(page)] = self.owned[path]
                    reused.add(path)
                else:
                    owns[id(page)] = fingerprint.digest(digest, fingerprint.later(page))
                owned[path] = owns[id(page)]
            return owns[id(page)]

        def listed(post: Page) -> str:
            # What a card shows of a post (fingerprint.own(post, listed=True)) is what its own
            # events made and its lists of cards, if any: the same, the same card.
            own(post)
            key = (post.file.src_uri, mades[id(post)], _lists_of(post))
            return self.listed.get(key, lambda: fingerprint.digest(fingerprint.own(post, listed=True)))

        # The pages MkDocs' serve builds.
        for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            page = file.page
            if page is None:
                continue
            shows = None
            try:
                parts = [own(page)]
                if isinstance(page, fingerprint.View):
                    shows = fingerprint.shown(page, per_page)
                    parts.append(fingerprint.view(page, shows, cards, listed))
                    signature = fingerprint.digest(shared, *parts)
                elif file.abs_dest_path in reused and file.abs_dest_path in self.signatures:
                    signature = self.signatures[file.abs_dest_path]  # the same shared, the same own
                else:
                    signature = fingerprint.digest(shared, *parts)
            except fingerprint.Unknown as unknown:
                log.debug(f"incremental: {file.src_uri}: {unknown}: rendered again")
                signature = None
            path = file.abs_dest_path
            same = (not self.full and signature is not None and self.signatures.get(path) == signature
                    and os.path.isfile(path))
            if same and path in self.ends:  # all it holds is the same: so is all but its end
                ending = self.ends[path]
            else:
                ending = self._ending(page, shared, mades[id(page)]) if signature is not None else None
            if ending is not None:
                ends[path] = ending
            if not same and ending is not None and self._end_replaceable(path, ending):
                replaced.append((path, self.ends[path][1], ending[1]))
                same = True
            if shows is not None and signature is not None:
                if same and path in self.views:
                    views[path] = self.views[path]
                elif not same:
                    framing = framed.frame(page, shared, shows)
                    if framing is not None and framing[1] is None:  # known once it is templated
                        self.unframed.append((path, framing[0], page, shows))
                    elif framing is not None:
                        views[path] = framing
                        region = self._cards_replaceable(path, framing)
                        if region is not None:
                            if region[0] != region[1]:
                                replaced.append((path, *region))
                                recarded += 1
                            same = True
            if signature is not None:
                signatures[path] = signature
            file.is_modified = _no if same else _yes
            kept += same
            templated += not same
        self.pending, self.pending_ends, self.pending_views, self.replacing = signatures, ends, views, replaced
        # Each end or view's cards is replaced in the file as the last build wrote it, while pages are templated
        # (by the second process too, when there is one: parallel.py), before on_post_build.
        self.parallel.writes = [functools.partial(_replace_end, path, self.written[path], before, after)
                                for path, before, after in replaced]
        self.pending_made, self.pending_owned, self.pending_steady = made, owned, steady
        self.reused_own = len(reused)
        self.counts = {"templated": templated, "kept": kept - len(replaced), "ended": len(replaced) - recarded,
                       "carded": recarded}

    def _made(self, page: Page, world: World, made: dict) -> tuple[str, bool]:
        """The digest of what the page's events made of it (fingerprint.own(page, made=True)),
        and whether it is the one the last good build computed.

        A page's events (MkDocs' reading and conversion, and every plugin's on_page_markdown
        and on_page_content) make it from its source, the preview's inputs (configuration,
        theme, code) and what they read of the rest of the site (World.of): while none of
        these changed since the last good build, the page's events made what they made then,
        and its digest is the one computed then. What other pages decide (its neighbours,
        related posts, lists of cards) is fingerprinted apart, on every build (later()). A
        generated page is always looked at."""
        key = None
        text = self.read.get(page.file.src_uri)
        if text is not None:
            facts = world.of(page, text)
            if facts is not None:
                key = (type(page).__name__, page.file.src_uri, page.file.abs_src_path, page.file.url,
                       page.file.dest_uri, page.file.inclusion.name, text, facts)
                found = self.made.get(page.file.abs_dest_path)
                if found is not None and found[0] == key:
                    made[page.file.abs_dest_path] = found
                    self.reused_made += 1
                    return found[1], True
        digest = fingerprint.digest(fingerprint.own(page, made=True))
        if key is not None:
            made[page.file.abs_dest_path] = (key, digest)
        return digest, False

    def _ending(self, page: Page, shared: str, made: str) -> tuple[str, str] | None:
        """For a post: (the digest of all it holds but its end, its end's HTML), else None.
        All it holds is what its own events made (`made`, the digest of fingerprint.own(page,
        made=True)) and what other pages decide (fingerprint.later)."""
        found = data_of(page)
        if found is None or not isinstance(found.end, str) or not found.end:
            return None
        return fingerprint.digest(shared, made, fingerprint.later(page, ended=True)), found.end

    def _end_replaceable(self, path: str, ending: tuple[str, str]) -> bool:
        """Whether the page differs from the last build's only in its end, and that end occurs
        once in the page the last build wrote (then it is replaced there, in finish)."""
        before = self.ends.get(path)
        if self.full or before is None or before[0] != ending[0]:
            return False
        try:
            written = Path(path).read_text(encoding="utf-8")
        except OSError:
            return False
        if written.count(before[1]) != 1:
            return False
        self.written[path] = written
        return True

    def _cards_replaceable(self, path: str, framing: tuple[str, tuple[str, ...]]) -> tuple[str, str] | None:
        """For a blog view whose page differs from the last build's only in its cards: (the
        cards as the last build wrote them, with what lies between them, and the same with the
        new cards), or None. The page's cards must be there, in their order, apart only by the
        template's white space, and occur once."""
        before = self.views.get(path)
        if self.full or before is None or before[0] != framing[0] or len(before[1]) != len(framing[1]):
            return None
        if before[1] == framing[1]:  # the same cards: the page as written is this build's
            return ("", "") if os.path.isfile(path) else None
        try:
            written = Path(path).read_text(encoding="utf-8")
        except OSError:
            return None
        # A table's scroll box is named after the heading before it (markup.py): a card's.
        region = None if "<table" in written else _cards_region(written, before[1], framing[1])
        if region is None or written.count(region[0]) != 1:
            return None
        self.written[path] = written
        return region

    def finish(self, files: Files, config: MkDocsConfig) -> None:
        """After every page is written: remove what no longer belongs to the site, remember this build."""
        expected = {file.abs_dest_path for file in files}
        for name in config.theme.static_templates:
            expected.add(os.path.join(config.site_dir, name))
            expected.add(os.path.join(config.site_dir, name + ".gz"))
        # Files go stale only when a build makes other files than the last one did: those the
        # last good build made and this one does not (after a failure, or at first: all files
        # older than this build that it does not make).
        if not self.expected:
            removed = _sweep(config.site_dir, expected, self.started)
        else:
            removed = _remove(config.site_dir, self.expected - expected)
        self.expected = expected
        self.written = {}
        site = config.plugins.get("blogpost")
        for path, frame, page, shows in self.unframed:  # their cards are drawn by now
            markup = site.view_card_markup(page, shows)
            if markup is not None:
                self.pending_views[path] = (frame, tuple(markup))
        self.unframed = []
        self.signatures, self.ends, self.views = self.pending, self.pending_ends, self.pending_views
        self.made, self.owned, self.steady = self.pending_made, self.pending_owned, self.pending_steady
        self.renders.keep()
        self.kept.keep()
        self.copied, self.checked = self.checked, {}
        self.builds += 1
        log.info(f"incremental preview: build {self.builds} in {time.time() - self.started:.2f} s: "
                 f"{'full build; ' if self.full else ''}{self.counts['templated']} "
                 f"pages rendered ({self.parallel.count} by a second process), {self.counts['kept']} kept, {self.counts.get('ended', 0)} with a new end, "
                 f"{self.counts.get('carded', 0)} with new cards, "
                 f"{removed} stale files removed; "
                 f"{self.renders.hits} conversions reused, {self.renders.misses} made; "
                 f"{self.posts.reused} posts reused, {self.kept.count} pages kept, "
                 f"{self.reused_made} pages known unchanged, {self.reused_own} of them in unchanged surroundings")
        self.full = False
        self.collector.built()

    def failed(self) -> None:
        self.parallel.abandon()
        self.quick.forget()
        self.full = True
        self.kept.failed()
        self.checked = {}
        self.replacing, self.written, self.unframed = [], {}, []
        self.expected = set()  # a failed build may have written anything: look again
        self.collector.built()

    # --------------------------------------------------------------------------------------

    def _content_check(self, file: File):
        """A generated file (a feed, robots.txt) is written again only when its content differs
        from what the site folder holds: a rewrite of an unchanged file can wait on the disk."""
        full = self.full

        def is_modified() -> bool:
            if full:
                return True
            try:
                return Path(file.abs_dest_path).read_bytes() != file.content_bytes
            except (OSError, TypeError, ValueError):
                return True

        return is_modified

    def _static_check(self, file: File):
        """A static file is copied again when its source or its place changed (the site folder
        is the preview's own: what the last good build copied is there)."""
        key, full = (file.abs_src_path, file.dest_uri), self.full

        def is_modified() -> bool:
            self.checked[key] = found = _stat(key[0])
            return full or self.copied.get(key) != found

        return is_modified

    def _memoize_readtime(self, patches: Patches) -> None:
        from material.plugins.blog import plugin as blog_plugin

        stock = getattr(blog_plugin, "readtime", None)
        if not callable(stock):
            raise Mismatch("Material's blog plugin no longer computes reading time with readtime()")
        memo = self.readtimes
        memo.next_build()

        def readtime(html: str, words_per_minute: int) -> int:
            return memo.get((html, words_per_minute), lambda: stock(html, words_per_minute))

        patches.set(blog_plugin, "readtime", readtime)


    def _memoize_source_checks(self, patches: Patches) -> None:
        """The gate's check of one page's source is a function of its bytes, its kind, the
        vocabularies and, only for a page with an `updated` date, the build's time."""
        from blogpost.content import gate, source

        if gate.check_source is not source.check_source:
            raise Mismatch("the gate no longer checks each source with content.source.check_source")
        stock, memo = source.check_source, self.checks
        memo.next_build()

        def check(path: str, raw: bytes, *, kind, tags, authors, now=None):
            key = (path, raw, kind, tuple(tags), tuple(authors), now if b"updated" in raw else None)
            return fresh(memo.get(key, lambda: stock(path, raw, kind=kind, tags=tags, authors=authors, now=now)))

        patches.set(gate, "check_source", check)


    def _memoize_policy(self, patches: Patches) -> None:
        """The Content-Security-Policy hashes the theme's inline scripts, rendered from the theme
        and the configuration: the same until those change (which clears the memo)."""
        from blogpost.output import csp

        stock, kept = csp.policy, self.policies

        def policy(env, config, extra=()):
            key = (tuple(extra), _config_facts(config))
            if key not in kept:
                kept[key] = stock(env, config, extra)
            return kept[key]

        patches.set(csp, "policy", policy)


    def _memoize_post_front_matter(self, patches: Patches) -> None:
        """Material's blog reads every post's front matter again on every build (as
        `yaml.load(text, SafeLoader)` in its structure module): the same text gives the same data."""
        import yaml
        from material.plugins.blog import structure as blog_structure

        if getattr(blog_structure, "yaml", None) is not yaml:
            raise Mismatch("Material's blog no longer reads posts through the yaml module")
        memo = self.front_matter
        memo.next_build()

        def load(stream, Loader):  # noqa: N803 (yaml's name)
            if not isinstance(stream, str):
                return yaml.load(stream, Loader)
            return fresh(memo.get((stream, Loader), lambda: yaml.load(stream, Loader)))

        patches.set(blog_structure, "yaml", _module_like(yaml, load=load))


    def _memoize_page_front_matter(self, patches: Patches) -> None:
        """MkDocs reads every page's front matter again on every build (Page.read_source, with
        mkdocs.utils.meta.get_data), and so does the model (model.read_entries): the same text
        gives the same Markdown and data."""
        from mkdocs.utils import meta as mkdocs_meta

        from blogpost import model

        stock = getattr(mkdocs_meta, "get_data", None)
        if not callable(stock) or model.get_data is not stock:
            raise Mismatch("pages' front matter is no longer read with mkdocs.utils.meta.get_data")
        memo = self.page_front_matter
        memo.next_build()

        def get_data(doc: str):
            markdown, data = memo.get(doc, lambda: stock(doc))
            return markdown, fresh(data)

        patches.set(mkdocs_meta, "get_data", get_data)
        patches.set(model, "get_data", get_data)

    def _memoize_canonical_urls(self, patches: Patches) -> None:
        """Every page's canonical URL is urljoin(site_url, its URL), computed anew on every build
        (mkdocs.structure.pages calls urljoin, then urlsplit): functions of their texts."""
        import urllib.parse

        from mkdocs.structure import pages

        self._pure(patches, pages, "urljoin", urllib.parse.urljoin)
        self._pure(patches, pages, "urlsplit", urllib.parse.urlsplit)

    def _memoize_relative_paths(self, patches: Patches) -> None:
        """Material's blog works out, for every post on every build, docs/ relative to the working
        folder and the post relative to docs/ (os.path.relpath in Post.__init__, through its
        module's `os`): the same paths from the same working folder give the same answer."""
        from material.plugins.blog import structure as blog_structure

        if getattr(blog_structure, "os", None) is not os:
            raise Mismatch("Material's blog structure no longer works out paths with the os module")
        if os.path.relpath not in self.pure:
            self.pure[os.path.relpath] = _memoized(lambda path, start, cwd: os.path.relpath(path, start))
        relative = self.pure[os.path.relpath]

        def relpath(path, start=None):
            return relative(path, start, os.getcwd())

        patches.set(blog_structure, "os", _module_like(os, path=_module_like(os.path, relpath=relpath)))

    @staticmethod
    def _memoize_file_lookups(patches: Patches) -> None:
        """Files.get_file_from_path puts its path in normal form with pathlib on every call, and
        Material's blog asks it three times for every post on every build (its archive, author
        and pagination views): the same path has the same normal form."""
        stock = getattr(Files, "get_file_from_path", None)
        if not callable(stock) or list(inspect.signature(stock).parameters) != ["self", "path"]:
            raise Mismatch("mkdocs.structure.files.Files.get_file_from_path(self, path) changed")

        def get_file_from_path(files: Files, path: str) -> File | None:
            return files.src_uris.get(normal_path(path))

        patches.set(Files, "get_file_from_path", get_file_from_path)

    def _memoize_post_dates(self, patches: Patches) -> None:
        """Material's blog and the plugin's addresses format every post's date with Babel on every
        build, for its URL and its archive: the same date, format and locale give the same text."""
        from babel import dates
        from material.plugins.blog import plugin as blog_plugin

        from blogpost.content import addresses

        for module, names in ((blog_plugin, ("format_date", "format_datetime")), (addresses, ("format_datetime",))):
            for name in names:
                self._pure(patches, module, name, getattr(dates, name))

    def _pure(self, patches: Patches, module, name: str, stock) -> None:
        """module.name, found to be `stock` (a pure function), replaced by one memoized copy of
        it kept for the whole preview."""
        if getattr(module, name, None) is not stock:
            raise Mismatch(f"{module.__name__}.{name} is no longer {stock.__module__}.{stock.__qualname__}")
        if stock not in self.pure:
            self.pure[stock] = _memoized(stock)
        patches.set(module, name, self.pure[stock])

    def _save_views_once(self, patches: Patches) -> None:
        """Material's blog writes the source of each archive and author view on every build
        (BlogPlugin._save_to_file): a file that already reads the same is not written again."""
        from material.plugins.blog.plugin import BlogPlugin

        stock = getattr(BlogPlugin, "_save_to_file", None)
        if not callable(stock) or list(inspect.signature(stock).parameters) != ["self", "path", "content"]:
            raise Mismatch("Material's blog no longer writes views with _save_to_file(self, path, content)")

        def save(plugin, path: str, content: str) -> None:
            try:
                if Path(path).read_text(encoding="utf-8") == content:
                    return
            except (OSError, UnicodeDecodeError):
                pass
            stock(plugin, path, content)

        patches.set(BlogPlugin, "_save_to_file", save)

    @staticmethod
    def _gzip_sitemap_once(patches: Patches, config: MkDocsConfig) -> None:
        """MkDocs compresses sitemap.xml into sitemap.xml.gz as it writes it (in
        mkdocs.commands.build._build_theme_template, through its module's `gzip`); the site
        plugin writes sitemap.xml.gz again from sitemap.xml after every build, dated by its
        content (sitemap.repeatable_gzip). MkDocs' compression, which that replaces, is left
        out: about 0.05 s of every rebuild at 3000 posts. Its file is written empty until then,
        and a build that fails before then is never served."""
        if getattr(mkdocs_build, "gzip", None) is not gzip:
            raise Mismatch("MkDocs no longer compresses sitemap.xml through mkdocs.commands.build.gzip")
        if config.plugins.get("blogpost") is None:
            raise Mismatch("no site plugin writes sitemap.xml.gz")

        def uncompressed(*args, **kwargs):  # its GzipFile: writes into a buffer nothing reads
            return contextlib.nullcontext(io.BytesIO())

        patches.set(mkdocs_build, "gzip", _module_like(gzip, GzipFile=uncompressed))

    def _copy_views_once(self, patches: Patches) -> None:
        """Material's blog copies each paginated view's source once per further page, into a
        folder of its own, on every build (mkdocs.utils.copy_file): a copy whose source reads
        the same as when it was made, and is still there, is not made again."""
        from material.plugins.blog import plugin as blog_plugin
        from mkdocs import utils

        stock = getattr(blog_plugin, "copy_file", None)
        if stock is not utils.copy_file:
            raise Mismatch("Material's blog no longer copies views with mkdocs.utils.copy_file")
        copied = self.view_copies

        def copy_file(source_path: str, output_path: str) -> None:
            # By content: Material writes the source of its author and archive views anew on
            # every build.
            source = Path(source_path).read_bytes()
            if copied.get(output_path) == source and os.path.isfile(output_path):
                return
            stock(source_path, output_path)
            copied[output_path] = source

        patches.set(blog_plugin, "copy_file", copy_file)

    def _memoize_post_config(self, patches: Patches) -> None:
        """Material's blog validates every post's settings again on every build (a PostConfig,
        validated in Post.__init__); validation only sets the config's values from what was
        loaded into it, so the same loaded values give the same validated ones. A validation
        that found anything to say is not kept: it says it again."""
        from material.plugins.blog.structure.config import PostConfig
        from mkdocs.config.base import Config

        if PostConfig.validate is not Config.validate or not isinstance(getattr(PostConfig(), "data", None), dict):
            raise Mismatch("Material's PostConfig is no longer validated as a MkDocs Config")
        stock, memo = Config.validate, self.post_configs
        memo.next_build()

        def validate(config):
            if type(config) is not PostConfig:
                return stock(config)
            key = (config.config_file_path, repr(config.data))
            found = memo.find(key)
            if found is None:
                failed, warnings = stock(config)
                if failed or warnings:
                    return failed, warnings
                found = fresh(config.data)
            memo.keep(key, found)
            config.data = fresh(found)
            return [], []

        patches.set(PostConfig, "validate", validate)

    def _memoize_build_date(self, patches: Patches) -> None:
        """Every page asks for the build's date (Page.__init__ calls get_build_date, which reads
        SOURCE_DATE_EPOCH or the clock): one answer per build."""
        import functools

        from mkdocs.structure import pages
        from mkdocs.utils import get_build_date

        if getattr(pages, "get_build_date", None) is not get_build_date:
            raise Mismatch("mkdocs.structure.pages no longer dates pages with mkdocs.utils.get_build_date")
        patches.set(pages, "get_build_date", functools.lru_cache(maxsize=1)(get_build_date))

    def _memoize_theme_listing(self, patches: Patches) -> None:
        """MkDocs lists the theme's static files on every build (Files.add_files_from_theme walks
        the theme's folders through env.list_templates): the same folders list the same files
        (a change to overrides/ changes the inputs, which clears this)."""
        stock = Files.add_files_from_theme
        if list(inspect.signature(stock).parameters) != ["self", "env", "config"]:
            raise Mismatch("Files.add_files_from_theme(self, env, config) changed")
        listed = self.theme_files

        def add_files_from_theme(files: Files, env, config: MkDocsConfig) -> None:
            key = (tuple(config.theme.dirs), tuple(config.theme.static_templates),
                   tuple(config.markdown_extensions))
            list_templates = env.list_templates

            def listing(extensions=None, filter_func=None):
                if (key, extensions) not in listed:
                    listed[key, extensions] = list_templates(extensions=extensions, filter_func=filter_func)
                return listed[key, extensions]

            env.list_templates = listing
            try:
                stock(files, env, config)
            finally:
                del env.list_templates

        patches.set(Files, "add_files_from_theme", add_files_from_theme)


class Collector:
    """Python's collector of reference cycles, run between the preview's builds instead of
    during them. A rebuild at 1000 posts spent a fifth of its time in it (full collections
    walk every object the memos keep), while the author waited. Automatic collection is off
    during an incremental build; a collection runs once the preview has been idle for IDLE
    seconds after a build, or before a build when BUILDS builds in a row went without one."""

    IDLE = 1.0
    BUILDS = 3

    def __init__(self) -> None:
        self.timer: threading.Timer | None = None
        self.uncollected = 0  # builds since the last collection
        self.enabled = gc.isenabled()  # as serve started: restored when it ends

    def building(self, full: bool) -> None:
        self._cancel()
        if full:  # a full build makes most of its garbage
            if self.enabled:
                gc.enable()
            return
        if self.uncollected >= self.BUILDS:
            self.collect()
        gc.disable()

    def built(self) -> None:
        self.uncollected += 1
        self._cancel()
        self.timer = threading.Timer(self.IDLE, self.collect)
        self.timer.daemon = True
        self.timer.start()

    def collect(self) -> None:
        gc.collect()
        self.uncollected = 0

    def release(self) -> None:
        self._cancel()
        if self.enabled:
            gc.enable()

    def _cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class Compiled(BytecodeCache):
    """Jinja's compiled templates kept in memory across the preview's builds (MkDocs makes a new
    environment for each); Jinja checks each one against its template's source."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


def _module_like(module: types.ModuleType, **replaced) -> types.ModuleType:
    """A stand-in for a module one other module reads through: the same names, some replaced."""
    like = types.ModuleType(module.__name__)
    like.__dict__.update(vars(module))
    like.__dict__.update(replaced)
    return like


def _memoized(function):
    """A pure function of hashable arguments, memoized (called as is with any other)."""
    cached = functools.lru_cache(maxsize=1 << 15)(function)

    def call(*args, **kwargs):
        try:
            return cached(*args, **kwargs)
        except TypeError:  # an argument that cannot be hashed
            return function(*args, **kwargs)

    return call


def _yes() -> bool:
    return True


def _no() -> bool:
    return False


def _stat(path: str) -> tuple:
    try:
        found = os.stat(path)
    except OSError:
        return (path,)
    return (path, found.st_size, found.st_mtime_ns)


def _without_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(DIRTY_WARNING)


def _inputs(config: MkDocsConfig) -> str:
    """What every page depends on, by file: the configuration, the theme layer, the plugins' code,
    the dot-files of docs/ (vocabularies), and the checked packages' versions."""
    paths = [os.path.abspath(config.config_file_path)] if config.config_file_path else []
    roots = [Path(blogpost.__file__).parent.absolute()]
    if config.theme.custom_dir:  # (relative to the working folder when mkdocs.yml is named so)
        roots.append(Path(config.theme.custom_dir).absolute())
    for root in roots:
        paths += sorted(str(p) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for folder, dirs, names in os.walk(config.docs_dir):
        paths += sorted(os.path.join(folder, n) for n in names if n.startswith("."))
        dirs.sort()
    facts = [(p, Path(p).read_bytes()) if p.endswith((".yml", ".yaml")) else _stat(p) for p in paths]
    return fingerprint.digest(facts, {name: version(name) for name in CHECKED})


class World:
    """What a page's events read of the site besides its own source (see Preview._made).

    Every page's events read the preview's inputs, the navigation and the configuration as
    templates read it (`shared`), and the build's date. Of the rest of the site, the site
    plugin's events read the page's own entry in the model, whether and why it is held back,
    and its link-preview image; Markdown's conversion reads the address of every file the page
    links to (render_memo.py records them). A page with a list marker (listings.MARKER) reads
    the whole model, and so does a blog view (Material gives it its posts; the site plugin
    dates it by them): for these, and for a page whose conversion was not recorded, the world
    is all of these for every page, as one digest."""

    def __init__(self, shared: str, files: Files, config: MkDocsConfig, renders: RenderMemo) -> None:
        self.site = config.plugins.get("blogpost")
        self.model, self.held = getattr(self.site, "model", None), getattr(self.site, "held", None)
        self.images = getattr(self.site, "preview_images", None)
        self.shared, self.files, self.renders = (shared, get_build_date()), files, renders
        self._whole: str | None = None

    def of(self, page: Page, text: str):
        """The facts the page's events read besides its source; None when they are not known."""
        src = page.file.src_uri
        lookups = self.renders.lookups(src)
        if lookups is None or listings.MARKER.search(text) or isinstance(page, fingerprint.View):
            whole = self.whole()
            return None if whole is None else (self.shared, whole)
        facts = page_facts(self.site, src, lookups)
        return None if facts is None else (self.shared, facts)

    def whole(self) -> str | None:
        if self._whole is None:
            try:
                self._whole = fingerprint.digest(
                    self.shared,
                    tuple([(f.src_uri, f.dest_uri, f.url, f.inclusion.name, bool(f.generated_by)) for f in self.files]),
                    fingerprint.value(self.model.entries), fingerprint.value(self.held.pages),
                    fingerprint.value(self.held.left_out), sorted(self.held.withheld), sorted(self.held.unsafe),
                    fingerprint.value(self.images))
            except (fingerprint.Unknown, AttributeError, TypeError):
                return None
        return self._whole


def _replace_end(path: str, written: str, before: str, after: str) -> None:
    """The page as written, its one end `before` replaced by `after`: only what follows the end's
    start is written again, over the file in place (rewriting it whole, truncated first, takes
    several times as long on ext4, which then allocates its blocks when it is closed)."""
    at = written.index(before)
    with open(path, "r+b") as out:
        out.seek(len(written[:at].encode("utf-8")))
        out.write((after + written[at + len(before):]).encode("utf-8"))
        out.truncate()


def _cards_region(written: str, before: tuple[str, ...], after: tuple[str, ...]) -> tuple[str, str] | None:
    """The span of `written` from the first card of `before` to the end of its last, and the same
    span with each card of `after` in place of the one at its place in `before`; None unless
    each card of `before` follows the one before it, apart by white space only."""
    if not before:
        return None
    start = end = written.find(before[0])
    if start < 0:
        return None
    pieces: list[str] = []
    for old, new in zip(before, after):
        at = written.find(old, end)
        between = written[end:at]
        if at < 0 or (between and not between.isspace()):
            return None
        pieces += [between, new]
        end = at + len(old)
    return written[start:end], "".join(pieces)


class _Views:
    """What a blog view's page shows besides its cards, as Material's blog (9.x) decides it.
    Its cards are its posts' excerpts, drawn as cards (partials/post.html); its pager shows its
    place among its pages, and counts its posts only if the pagination's format says so; with
    a table of contents of its posts (Material's `blog_toc` and the like), the page itself
    shows their headings. Reads the blog plugin's `_config_toc` and `config.pagination_format`:
    without them, a view's cards are never replaced, and its page is templated whole."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.site = config.plugins.get("blogpost")
        blog = config.plugins.get("material/blog")
        self.toc = getattr(blog, "_config_toc", None)
        self.format = getattr(getattr(blog, "config", None), "pagination_format", None)
        self.known = (callable(self.toc) and isinstance(self.format, str)
                      and callable(getattr(self.site, "view_card_markup", None)))

    def frame(self, page, shared: str, shows: list) -> tuple[str, tuple[str, ...] | None] | None:
        """(The digest of all the view's page shows but its cards, each card's HTML or None
        when one was not drawn yet), or None. Its date for the sitemap is not on the page
        (fingerprint.own(framed=True))."""
        if not self.known:
            return None
        try:
            if self.toc(page):
                return None
        except Exception:  # noqa: BLE001 (a view it does not know: templated whole)
            return None
        markup = self.site.view_card_markup(page, shows)
        counted = len(page.posts) if "item" in self.format else None  # $first_item, $item_count...
        frame = fingerprint.digest(shared, fingerprint.own(page, framed=True), fingerprint.pages_of(page),
                                   self.format, counted)
        return frame, None if markup is None else tuple(markup)


def _lists(page: Page) -> bool:
    """Whether the page may show lists of cards (PageData.lists; without PageData, unknown)."""
    found = data_of(page)
    return found is None or bool(found.lists)


def _lists_of(page: Page):
    """The page's lists of cards (PageData.lists), plain; None without PageData."""
    found = data_of(page)
    return None if found is None else ("lists", fingerprint.value(found.lists))


def _config_facts(config: MkDocsConfig) -> tuple:
    """The configuration as the templates read it after every plugin's on_config (the file's
    digest is in _inputs; plugins add to extra)."""
    try:
        return (fingerprint.value(dict(config.extra)), config.site_url, config.site_name,
                tuple(map(str, config.extra_css)), tuple(map(str, config.extra_javascript)))
    except fingerprint.Unknown as unknown:
        return ("unknown", str(unknown), time.time())


def _per_page(config: MkDocsConfig):
    """How many posts each page of a view shows, as Material's blog decides it (None: all of
    them, or unknown, which fingerprints them all)."""
    blog = config.plugins.get("material/blog")
    paginated = getattr(blog, "_config_pagination", None)
    per_page = getattr(blog, "_config_pagination_per_page", None)
    if not callable(paginated) or not callable(per_page):
        return lambda view: None

    def of(view) -> int | None:
        n = per_page(view) if paginated(view) else None
        return n if isinstance(n, int) and n > 0 else None

    return of


def _remove(site_dir: str, stale: set[str]) -> int:
    """Remove these files, then the folders they leave empty (up to the site's own)."""
    removed = 0
    for path in stale:
        try:
            os.remove(path)
        except FileNotFoundError:
            continue
        removed += 1
        folder = os.path.dirname(path)
        while folder != site_dir and folder.startswith(site_dir) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
    return removed


def _sweep(site_dir: str, expected: set[str], started: float) -> int:
    """Remove files older than this build that it does not make; then empty folders."""
    removed = 0
    for folder, dirs, names in os.walk(site_dir, topdown=True):
        if folder == site_dir:
            dirs[:] = [d for d in dirs if d not in KEPT and not d.startswith(".")]
        for name in names:
            path = os.path.join(folder, name)
            if path not in expected and os.path.getmtime(path) < started:
                os.remove(path)
                removed += 1
    for folder, dirs, names in os.walk(site_dir, topdown=False):
        if folder != site_dir and not os.listdir(folder) and not any(
                Path(folder).relative_to(site_dir).parts[0] == k for k in KEPT):
            os.rmdir(folder)
    return removed
