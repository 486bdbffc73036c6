"""Small formatting helpers shared by the stages: dates as the site writes them, URLs, and text
made safe for the Markdown or YAML that the plugin generates."""

from __future__ import annotations

import datetime as dt
import functools
import html
import posixpath
import re

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


@functools.lru_cache(maxsize=1 << 14)  # every card of every list page shows one: a few thousand dates
def human_date(value: dt.datetime) -> str:
    """2 November 2026."""
    return f"{value.day} {value:%B %Y}"


def absolute_url(config: MkDocsConfig, url: str) -> str:
    return config.site_url.rstrip("/") + "/" + url.lstrip("/")


def relative_link(from_src_uri: str, to_src_uri: str) -> str:
    """A Markdown link target from one source file to another, for MkDocs to resolve and check."""
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


def markdown_text(text: str) -> str:
    """Text that Markdown shows literally: never markup, never a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def text_of(value: object) -> str:
    """The plain text of a front-matter value, which content/plain_text.py hands to templates as escaped Markup."""
    return value.unescape() if isinstance(value, Markup) else str(value)


def yaml_string(text: str) -> str:
    """Text as a double-quoted YAML scalar, for front matter written by code."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
