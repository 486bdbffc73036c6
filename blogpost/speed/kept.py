"""The preview's unchanged pages: a page whose events would make what they made in the last
good build is not read, converted or taken through the page events again.

MkDocs reads and converts every page on every build (mkdocs.commands.build._populate_page),
and every plugin's on_page_markdown and on_page_content runs for it: a quarter of a rebuild
at 3000 posts, though after a save one page's events make anything new. A page's events make
it from its source, the preview's inputs and what they read of the rest of the site (the key
below: its own entry, held state and link-preview image, and the answers to its links'
lookups, as incremental.World.of). When that key is the last good build's, the page gets a
copy of what its events left on it then, and the events' effects outside the page are made
again: Material's blog makes its excerpt (and its authors), Material's tags plugin notes its
tags, the site plugin takes back what it found in its HTML (SitePlugin.kept_page).

Not kept: blog views, generated pages, pages with a list marker (they read the whole model),
pages held back (drafts), a page whose conversion logged anything (render_memo.py keeps none
of those), anything holding a value this module does not know how to copy, and every page
when another plugin with page events is configured.
"""

from __future__ import annotations

import copy
import inspect

from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import View
from material.plugins.tags.plugin import TagsPlugin
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.base import Config
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from blogpost.features import listings
from blogpost.page_data import KEY, PageData
from blogpost.speed import fingerprint
from blogpost.speed.compat import Mismatch, Patches, other_plugins
from blogpost.speed.copies import IMMUTABLE, fresh, fresh_config
from blogpost.speed.render_memo import _copy as copy_toc

# What a page holds before its events run (MkDocs, Material's blog and the navigation set it),
# and what is made again (the excerpt, with the post's authors, by Material's blog).
NOT_KEPT = frozenset({"file", "parent", "previous_page", "next_page", "children", "_Page__active", "update_date",
                      "canonical_url", "abs_url", "excerpt", "authors", "categories"})


class _Unknown(Exception):
    pass


class Kept:
    """Each page's state after its events, by output path, from the last good build."""

    def __init__(self) -> None:
        self.last: dict[str, tuple] = {}  # output path -> (key, state, outside)
        self.now: dict[str, tuple] = {}
        self.count = 0

    def clear(self) -> None:
        self.last, self.now = {}, {}

    def keep(self) -> None:
        """After a good build: its pages are the ones to keep."""
        self.last, self.now = self.now, {}

    def failed(self) -> None:
        self.now = {}

    def apply(self, patches: Patches, preview, config) -> None:
        stock = getattr(mkdocs_build, "_populate_page", None)
        if not callable(stock) or list(inspect.signature(stock).parameters) != ["page", "config", "files", "dirty"]:
            raise Mismatch("mkdocs.commands.build._populate_page(page, config, files, dirty) changed")
        # Only the known plugins' page events are made the effects of again; any other stops it.
        others = other_plugins(config, ("pre_page", "page_read_source", "page_markdown", "page_content"))
        site = config.plugins.get("blogpost")
        if others or not callable(getattr(site, "kept_page", None)) or not callable(getattr(site, "page_findings", None)):
            raise Mismatch(f"page events of other plugins ({', '.join(others) or 'no site plugin'}) "
                           "cannot be made again")
        blogs = [p for p in config.plugins.values() if isinstance(p, BlogPlugin)]
        tags = [p for p in config.plugins.values() if isinstance(p, TagsPlugin)]
        self.now, self.count = {}, 0
        kept = self
        facts = []  # the configuration as templates read it, once every plugin's on_config ran

        def config_facts():
            if not facts:
                facts.append(preview.config_facts(config))
            return facts[0]

        def populate(page: Page, config, files: Files, dirty: bool = False) -> None:
            key = None if preview.full else kept._key(page, preview, site, files, config_facts(), before=True)
            path = page.file.abs_dest_path
            found = kept.last.get(path) if key is not None else None
            if found is not None and found[0] == key:
                _restore(page, found[1], files)
                for plugin in blogs + tags:
                    plugin.on_page_markdown(page.markdown, page=page, config=config, files=files)
                site.kept_page(page, found[2])
                preview.renders.carry(page.file.src_uri)
                kept.now[path] = found
                kept.count += 1
                return
            stock(page, config, files, dirty)
            key = kept._key(page, preview, site, files, config_facts(), before=False)
            if key is not None:
                try:
                    kept.now[path] = (key, _state(page), site.page_findings(page))
                except _Unknown:
                    pass

        patches.set(mkdocs_build, "_populate_page", populate)

    @staticmethod
    def _key(page: Page, preview, site, files: Files, config_facts, *, before: bool):
        """What the page's events read besides the inputs, or None when the page is not kept."""
        src = page.file.src_uri
        text = preview.read.get(src)
        if text is None or isinstance(page, View) or page.file.generated_by or listings.MARKER.search(text):
            return None
        held = getattr(site, "held", None)
        if held is None or src in held.pages or src in held.left_out or src in held.withheld or src in held.unsafe:
            return None
        lookups = preview.renders.still(src, files) if before else preview.renders.lookups(src)
        facts = None if lookups is None else page_facts(site, src, lookups)
        if facts is None:
            return None
        return (preview.inputs, config_facts, type(page).__name__, src, page.file.abs_src_path,
                page.file.url, page.file.dest_uri, page.file.inclusion.name, page.parent is None, text, facts)


def page_facts(site, src: str, lookups: tuple):
    """What a page's events read of the rest of the site besides its own source: its own entry
    in the site plugin's model, whether and why it is held back, its link-preview image, and
    `lookups`, the answers to its links' lookups of other files (render_memo.py). None when the
    site plugin holds no model, or a value cannot be fingerprinted."""
    model, held = getattr(site, "model", None), getattr(site, "held", None)
    images = getattr(site, "preview_images", None)
    if model is None or held is None or not isinstance(images, dict):
        return None
    entry = model.by_uri.get(src)
    try:
        return (None if entry is None else fingerprint.value(entry), fingerprint.value(held.pages.get(src)),
                fingerprint.value(held.left_out.get(src)), src in held.withheld, src in held.unsafe,
                fingerprint.value(images.get(src)), lookups)
    except fingerprint.Unknown:
        return None


def _state(page: Page) -> dict:
    """A copy of what the page's events left on it (links to anchors by the source of the file)."""
    state = {name: _copy(item) for name, item in vars(page).items()
             if name not in NOT_KEPT and name != "links_to_anchors"}
    links = getattr(page, "links_to_anchors", None)
    if links is not None:
        state["links_to_anchors"] = {file.src_uri: dict(anchors) for file, anchors in links.items()}
    return state


def _restore(page: Page, state: dict, files: Files) -> None:
    """The page as its events left it, through copies of what later stages change in place:
    its front matter (the site plugin sets its description, title, `hide` and PageData fields;
    each PageData field is replaced, never changed in place), its settings and table of
    contents. Everything else is text or a fresh copy already (_state)."""
    own = page.__dict__
    for name, item in state.items():
        if name == "links_to_anchors":
            own[name] = {files.src_uris.get(uri): dict(a) for uri, a in item.items()}
        elif name == "meta":
            meta = own[name] = dict(item)
            if isinstance(meta.get(KEY), PageData):
                meta[KEY] = copy.copy(meta[KEY])
        elif type(item) in IMMUTABLE:
            own[name] = item
        else:
            own[name] = _copy(item)


def _copy(item):
    """A copy no later change can reach back through; _Unknown for a value not known here."""
    return fresh(item, _other)


def _other(item):
    if isinstance(item, (TableOfContents, AnchorLink)):
        return copy_toc(item)
    if isinstance(item, Config):
        return fresh_config(item)
    raise _Unknown(f"{type(item).__module__}.{type(item).__qualname__}")
