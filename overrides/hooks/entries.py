"""Shared by the hooks: the tag vocabulary, the dated, tagged pages (posts and guides) of one
build, and the check that a speed hook runs on the versions it was checked against."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import weakref
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data

VOCABULARY = ".tags.yml"
POSTS_DIR = "blog/posts/"
TAGS_DIR = "tags"


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    description: str

    @property
    def src_uri(self) -> str:
        return f"{TAGS_DIR}/{self.slug}.md"

    @property
    def feed_uri(self) -> str:
        return f"{TAGS_DIR}/{self.slug}/feed.xml"


@dataclass(frozen=True)
class Entry:
    """A published page that carries tags: a blog post or a guide page."""

    title: str
    description: str
    date: dt.datetime
    updated: dt.datetime | None
    tags: tuple[str, ...]
    file: File

    @property
    def is_post(self) -> bool:
        return self.file.src_uri.startswith(POSTS_DIR)


def load_vocabulary(docs_dir: str) -> dict[str, Tag]:
    """The tags of docs/.tags.yml by name, in the file's order."""
    path = Path(docs_dir, VOCABULARY)
    stat = path.stat()
    # Hooks ask for it on every page: parse the file again only when it changes.
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _vocabularies:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        _vocabularies.clear()
        _vocabularies[key] = {item["name"]: Tag(**item) for item in data["tags"]}
    return dict(_vocabularies[key])


_vocabularies: dict[tuple, dict[str, Tag]] = {}


def timezone(config: MkDocsConfig) -> ZoneInfo:
    return ZoneInfo(config.extra.get("timezone", "UTC"))


def to_datetime(value: object, tz: ZoneInfo) -> dt.datetime | None:
    """A front-matter date as an aware datetime: a bare date is midnight in the site's timezone."""
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=tz)
    return None


_entries: weakref.WeakKeyDictionary[Files, list[Entry]] = weakref.WeakKeyDictionary()


def entries(files: Files, config: MkDocsConfig) -> list[Entry]:
    """Every published page with tags, newest first; read once per build.

    Call from on_files after the blog plugin has run (priority below -50), so that
    posts have their URLs. Drafts and scheduled pages are not in `files` by then:
    front_matter.py removed them before any other stage (they stay in `mkdocs serve`).
    """
    if files in _entries:
        return _entries[files]
    tz = timezone(config)
    found = []
    # Posts are all "excluded" from the navigation by the blog plugin, so ask for every page.
    for file in files.documentation_pages(inclusion=lambda _: True):
        if file.generated_by or (file.inclusion.is_excluded() and not file.src_uri.startswith(POSTS_DIR)):
            continue
        _, meta = get_data(file.content_string)
        if not meta.get("tags"):
            continue
        found.append(
            Entry(
                title=str(meta.get("title") or file.name),
                description=str(meta.get("description") or ""),
                date=to_datetime(meta.get("date"), tz) or dt.datetime.min.replace(tzinfo=tz),
                updated=to_datetime(meta.get("updated"), tz),
                tags=tuple(meta["tags"]),
                file=file,
            )
        )
    # Newest first; a stable sort keeps pages of one date in file order, so a
    # guide's chapters dated together stay in reading order.
    found.sort(key=lambda e: e.date, reverse=True)
    _entries[files] = found
    return found


def absolute_url(config: MkDocsConfig, url: str) -> str:
    return config.site_url.rstrip("/") + "/" + url.lstrip("/")


def relative_link(from_src_uri: str, to_src_uri: str) -> str:
    """A Markdown link target from one source file to another, for MkDocs to resolve and check."""
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


def markdown_text(text: str) -> str:
    """Text that Markdown shows literally: never markup, never a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def text_of(value: object) -> str:
    """The plain text of a front-matter value, which plain_text.py hands to templates as escaped Markup."""
    return value.unescape() if isinstance(value, Markup) else str(value)


def yaml_string(text: str) -> str:
    """Text as a double-quoted YAML scalar, for front matter written by code."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def human_date(value: dt.datetime) -> str:
    return f"{value.day} {value:%B %Y}"


_by_uri: weakref.WeakKeyDictionary[Files, dict[str, Entry]] = weakref.WeakKeyDictionary()


def entry_of(page_file: File, files: Files, config: MkDocsConfig) -> Entry | None:
    """The entry of a page, if it is one (looked up in a table made once per build)."""
    if files not in _by_uri:
        _by_uri[files] = {entry.file.src_uri: entry for entry in entries(files, config)}
    return _by_uri[files].get(page_file.src_uri)


_posts: weakref.WeakKeyDictionary[Files, list[Entry]] = weakref.WeakKeyDictionary()


def posts(files: Files, config: MkDocsConfig) -> list[Entry]:
    """The published posts, newest first (entries() without guides), made once per build."""
    if files not in _posts:
        _posts[files] = [entry for entry in entries(files, config) if entry.is_post]
    return _posts[files]


def version_problems(pinned: dict[str, str]) -> list[str]:
    """'name is 9.9.0, not 9.8.1' for each installed distribution other than the version a
    hook that relies on its internals was checked against."""
    return [f"{name} is {version(name)}, not {want}" for name, want in pinned.items() if version(name) != want]


# Markdown extensions checked to convert a document the same way on a parser reset before
# each conversion as on a new parser: the speed hooks reuse parsers only with these.
RESET_SAFE = {
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist",
}


def unchecked_extensions(config: MkDocsConfig) -> list[str]:
    """The configured Markdown extensions not in RESET_SAFE."""
    return sorted({str(e) for e in config.markdown_extensions
                   if not isinstance(e, str) or e.removeprefix("markdown.extensions.") not in RESET_SAFE})
