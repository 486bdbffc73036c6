"""Around each post: its `updated` date in Material's post sidebar, a byline under its title, and
related posts and older/newer links at its end."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url, normalize_url

from blogpost.model import Entry, Model, to_datetime
from blogpost.page_data import PostLinks
from blogpost.text import human_date

BYLINE = "partials/post-byline.html"
END = "partials/post-end.html"


def date_updates(config: MkDocsConfig, tz: ZoneInfo) -> None:
    """Material's blog reads only date.updated; authors write a top-level `updated`."""
    blog = config.plugins.get("material/blog")
    for post in blog.blog.posts if blog else ():
        date_update(post, tz)


def date_update(post: Page, tz: ZoneInfo) -> None:
    updated = to_datetime(post.meta.get("updated"), tz)
    if updated:
        post.config.date["updated"] = updated


def links(page: Page, model: Model, related: list[Entry]) -> PostLinks | None:
    """The post's neighbours in the newest-first list, or None when the page is not a post."""
    at = model.post_position.get(page.file.src_uri)
    if at is None:
        return None
    posts = model.posts
    # Material's footer would link the same two posts again, without their titles on a phone.
    hidden = page.meta.get("hide", [])
    if "footer" not in hidden:
        page.meta["hide"] = [*hidden, "footer"]
    return PostLinks(
        entry=posts[at],
        newer=posts[at - 1] if at > 0 else None,
        older=posts[at + 1] if at + 1 < len(posts) else None,
        related=related,
    )


def _item(entry: Entry | None, page: Page) -> dict | None:
    if entry is None:
        return None
    return {
        "title": entry.title,
        "description": entry.description,
        "url": get_relative_url(entry.file.url, page.url),
        "date": entry.date,
        "date_text": human_date(entry.date),
    }


def end_facts(page: Page, post: PostLinks) -> tuple:
    """All that end() draws from: the same facts give the same HTML (with the same template)."""
    def facts(entry: Entry | None):
        return None if entry is None else (entry.title, entry.description, entry.file.url, entry.date)

    return page.url, facts(post.newer), facts(post.older), tuple(facts(e) for e in post.related)


def end(page: Page, post: PostLinks, env: Environment) -> str:
    """The related posts and older/newer links after the post's text (partials/post-end.html)."""
    return env.get_template(END).render(
        related=[_item(e, page) for e in post.related],
        newer=_item(post.newer, page),
        older=_item(post.older, page),
    )


def surround(page: Page, post: PostLinks, env: Environment, ending: str) -> None:
    """The byline after the post's H1 and, after its text, its end (`ending`, made by end())."""
    entry = post.entry
    byline = env.get_template(BYLINE).render(
        # Each author links to their page (the blog's author profiles) or to their own url.
        authors=[{"name": author.name, "url": normalize_url(author.url, page) if author.url else None}
                 for author in getattr(page, "authors", [])],
        published=_item(entry, page),
        updated={"date": entry.updated, "date_text": human_date(entry.updated)} if entry.updated else None,
        readtime=page.config.readtime if hasattr(page, "config") else None,
    )
    head, closed, body = page.content.partition("</h1>")
    page.content = head + closed + byline + body + ending if closed else byline + page.content + ending
