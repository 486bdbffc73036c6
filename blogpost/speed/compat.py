"""Every private name of another package that the speed plugin touches, the versions it was
checked against, and the one place that applies and undoes its patches.

To take a new release of one of these packages: run `make test` (tests/test_speed.py builds a
corpus with and without the plugin and compares the output file by file) and read the release's
changes to the names below; when both hold, raise the version here.
"""

from __future__ import annotations

from importlib.metadata import version

import markdown
import yaml
from material.plugins.blog import plugin as blog_plugin
from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog import structure as blog_structure
from material.plugins.blog.structure import Post
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import meta as mkdocs_meta

from blogpost import model
from blogpost.content import addresses, gate

# The versions every patch was checked against (requirements.txt pins the same).
CHECKED = {
    "mkdocs-material": "9.8.1",
    "mkdocs": "1.6.1",
    "Markdown": "3.11.3",
    "pymdown-extensions": "13.1.2",
    "Jinja2": "3.1.6",
}

# What the patches touch, by name, and which patch touches it.
PRIVATE_NAMES = {
    "material.plugins.blog.structure.SafeLoader (replaced)": "post_lookup",
    "BlogPlugin.blog.posts, a list (replaced per build)": "post_lookup",
    "Page.__eq__ and File equality (relied on)": "post_lookup",
    "material.plugins.blog.structure.Markdown (replaced)": "excerpts",
    "Excerpt.__init__ registering tree processors on the parser it makes (kept until it is used)": "excerpts",
    "Template.root_render_func of partials/nav.html (replaced per build)": "nav",
    "mkdocs.structure.pages.markdown, the module MkDocs makes parsers from (replaced)": "page_parser",
    "mkdocs.commands.serve.build, serve's build function (replaced while serving: always dirty)": "incremental",
    "File.is_modified, asked by MkDocs' dirty build (set per File instance)": "incremental",
    "Page.render (replaced per build) and what it sets: content, toc, _title_from_render, "
    "present_anchor_ids, links_to_anchors": "incremental",
    "material.plugins.blog.plugin.readtime (replaced per build)": "incremental",
    "material.plugins.blog.structure.yaml, the module posts are read with (replaced per build)": "incremental",
    "BlogPlugin._config_pagination, _config_pagination_per_page; View.posts, .pages, .views (read)": "incremental",
    "MkDocs' warning on a dirty build (filtered while serving)": "incremental",
    "LiveReloadServer.observer, ._watched_paths, ._watch_refs (the polling observer replaced before serve "
    "starts it), .build_delay (shortened)": "incremental",
    "mkdocs.utils.meta.get_data and mkdocs.structure.pages.urljoin (replaced per build)": "incremental",
    "Files.add_files_from_theme(self, env, config), and its call of env.list_templates (replaced per build)":
    "incremental",
    "BlogPlugin._save_to_file(self, path, content) (replaced per build)": "incremental",
    "PostConfig.validate (set on the class per build; Config.data replaced on a kept validation)": "incremental",
    "mkdocs.structure.pages.get_build_date (replaced per build: one date per build)": "incremental",
    "mkdocs.structure.pages.urlsplit; material.plugins.blog.plugin.format_date, .format_datetime, "
    ".copy_file (replaced per build)": "incremental",
    "material.plugins.blog.structure._patch, the copy of the configuration each excerpt makes "
    "(replaced per build)": "excerpts",
    "material.plugins.blog.structure.os, the module Post.__init__ works out paths with (replaced per "
    "build: os.path.relpath memoized)": "incremental",
    "File.content_string (replaced per build: a file's text kept while its stat is unchanged)": "incremental",
    "BlogPlugin._resolve_post(self, file, config) (replaced per build), the Post it returns (copied "
    "attribute by attribute) and the File attributes it sets (dest_uri, abs_dest_path, url)": "incremental",
    "mkdocs.commands.build._populate_page(page, config, files, dirty) (replaced per build: a page whose "
    "events would make the same is restored from the last build); the tags plugin's and the blog's "
    "on_page_markdown called again for it; the attributes a page's events set (kept.py)": "incremental",
    "mkdocs.commands.build._build_page(page, config, doc_files, nav, env, dirty, excluded) (replaced per "
    "build: half the pages of a build with many templated by a second, forked process, parallel.py)":
    "incremental",
    "mkdocs.commands.build._populate_page and _build_page called between builds on the last good build's "
    "pages, files, navigation and Jinja environment; a Post's attributes set back to those Material made "
    "(quick.py)": "incremental",
}

# The module attributes the patches replace, as imported before any patch.
STOCK = {
    (blog_structure, "SafeLoader"): blog_structure.SafeLoader,
    (blog_structure, "Markdown"): blog_structure.Markdown,
    (mkdocs_pages, "markdown"): mkdocs_pages.markdown,
    (mkdocs_pages, "urljoin"): mkdocs_pages.urljoin,
    (mkdocs_meta, "get_data"): mkdocs_meta.get_data,
    (model, "get_data"): model.get_data,
    (blog_structure, "_patch"): getattr(blog_structure, "_patch", None),
    (Files, "add_files_from_theme"): Files.add_files_from_theme,
    (mkdocs_pages, "urlsplit"): mkdocs_pages.urlsplit,
    (mkdocs_pages, "get_build_date"): mkdocs_pages.get_build_date,
    (BlogPlugin, "_save_to_file"): getattr(BlogPlugin, "_save_to_file", None),
    (blog_plugin, "format_date"): getattr(blog_plugin, "format_date", None),
    (blog_plugin, "format_datetime"): getattr(blog_plugin, "format_datetime", None),
    (blog_plugin, "copy_file"): getattr(blog_plugin, "copy_file", None),
    (addresses, "format_datetime"): addresses.format_datetime,
    (blog_structure, "os"): blog_structure.os,
    (File, "content_string"): File.content_string,
    (gate, "read_source"): gate.read_source,
    (BlogPlugin, "_resolve_post"): getattr(BlogPlugin, "_resolve_post", None),
    (mkdocs_build, "_populate_page"): getattr(mkdocs_build, "_populate_page", None),
    (mkdocs_build, "_build_page"): getattr(mkdocs_build, "_build_page", None),
}

# Markdown extensions checked to convert a document the same way on a parser reset before
# each conversion as on a new parser: the patches reuse parsers only with these.
RESET_SAFE = {
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist",
}


# The plugins whose page events the preview knows: kept.py makes their effects again, and their
# page-templating events change only the page templated (parallel.py, quick.py).
KNOWN_PLUGINS = ("BlogPlugin", "TagsPlugin", "SitePlugin", "SpeedPlugin")


def other_plugins(config: MkDocsConfig, events: tuple[str, ...]) -> list[str]:
    """The plugins besides KNOWN_PLUGINS with a handler of one of these events (MkDocs' names,
    without "on_"), by class name."""
    return sorted({type(getattr(handler, "__self__", handler)).__name__ for event in events
                   for handler in config.plugins.events[event]} - set(KNOWN_PLUGINS))


class Mismatch(Exception):
    """Internals found changed during a build, where only then they can be seen."""


def problems() -> list[str]:
    """What differs from the versions and internals the patches were checked against."""
    found = [f"{name} is {version(name)}, not {want}" for name, want in CHECKED.items() if version(name) != want]
    if Post.__eq__ is not Page.__eq__ or hasattr(File, "__eq__") and File.__eq__ is not object.__eq__:
        found.append("Page/File equality changed")
    if STOCK[(blog_structure, "SafeLoader")] is not yaml.SafeLoader:
        found.append("the blog no longer reads posts with yaml.SafeLoader")
    if STOCK[(blog_structure, "Markdown")] is not markdown.Markdown:
        found.append("the blog no longer makes excerpts' parsers with markdown.Markdown")
    if STOCK[(mkdocs_pages, "markdown")] is not markdown:
        found.append("MkDocs' pages no longer make their parser with markdown.Markdown")
    if not callable(getattr(Files, "get_file_from_path", None)):
        found.append("Files.get_file_from_path is gone")
    return found


def unchecked_extensions(config: MkDocsConfig) -> list[str]:
    """The configured Markdown extensions not in RESET_SAFE."""
    return sorted({str(e) for e in config.markdown_extensions
                   if not isinstance(e, str) or e.removeprefix("markdown.extensions.") not in RESET_SAFE})


class Patches:
    """Attributes replaced for one build, each with its value before, to be put back."""

    def __init__(self) -> None:
        self._saved: list[tuple[object, str, object]] = []

    def set(self, owner: object, name: str, value: object) -> None:
        self._saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def active(self) -> bool:
        return bool(self._saved)

    def undo(self) -> None:
        while self._saved:
            owner, name, value = self._saved.pop()
            setattr(owner, name, value)


def restore_stock() -> None:
    """Put back every module attribute a patch replaces, whatever an earlier build left."""
    for (module, name), value in STOCK.items():
        setattr(module, name, value)


def patched() -> list[str]:
    """The module attributes that differ from stock now: none, outside a build with the plugin."""
    return [f"{module.__name__}.{name}" for (module, name), value in STOCK.items() if getattr(module, name) is not value]
