"""Titles, descriptions, author and tag names are plain text: escaped once, early, so that every
template shows them literally (templates print them without `| e`; Markup is already-escaped
text, which `| e` leaves alone)."""

from __future__ import annotations

from markupsafe import Markup, escape
from material.plugins.blog.structure import Profile
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from blogpost.text import markdown_text, text_of

PAGE_FIELDS = ("title", "description")


def _plain(value):
    return Markup(escape(value)) if isinstance(value, str) else value


def escape_authors(config: MkDocsConfig) -> None:
    """The blog's authors, which the blog plugin read from .authors.yml in its own on_config."""
    blog = config.plugins.get("material/blog")
    for author in getattr(blog, "authors", {}).values():
        author.name = _plain(author.name)
        author.description = _plain(author.description)


def escape_fields(page: Page) -> None:
    """A page's title and description, before the blog plugin writes the title into its excerpt."""
    for name in PAGE_FIELDS:
        if name in page.meta:
            page.meta[name] = _plain(page.meta[name])
    if isinstance(page, Profile):
        # An author's page (and its further pages) is titled by the author's name, escaped in
        # on_config: not by the text of its H1, which MkDocs gives the templates unescaped.
        original = page.pages[0] if page.pages else page
        if original.name:
            page.meta.setdefault("title", original.name)


def titled(markdown: str, page: Page) -> str:
    """A post's Markdown with its title as its first heading when it has none: Material's list
    pages would otherwise render the bare title as Markdown (links, attributes, images)."""
    if markdown.lstrip().startswith("# ") or "title" not in page.meta:
        return markdown
    return f"# {markdown_text(text_of(page.meta['title']))}\n\n{markdown}"
