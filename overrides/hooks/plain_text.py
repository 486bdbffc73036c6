"""Titles, descriptions, author and tag names are plain text: escaped once, early, so that every
template shows them literally (on_config, on_page_markdown)."""

from __future__ import annotations

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Theme templates print these without `| e`; Markup is already-escaped text, which `| e` leaves alone.
PAGE_FIELDS = ("title", "description")


def _plain(value):
    return Markup(escape(value)) if isinstance(value, str) else value


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # The blog plugin has read docs/blog/.authors.yml in its own on_config, which runs before hooks.
    blog = config.plugins.get("material/blog")
    for author in getattr(blog, "authors", {}).values():
        author.name = _plain(author.name)
        author.description = _plain(author.description)
    return config


@event_priority(50)  # before the blog plugin writes a post's title into its excerpt's Markdown
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    for field in PAGE_FIELDS:
        if field in page.meta:
            page.meta[field] = _plain(page.meta[field])
    return markdown
