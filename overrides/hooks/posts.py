"""Around each post: its `updated` date in Material's post sidebar (on_files), a byline
under its title, and related posts and older/newer links at its end (on_page_context)."""

from __future__ import annotations

import weakref

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from entries import Entry, human_date, posts, timezone, to_datetime

BYLINE = "partials/post-byline.html"
END = "partials/post-end.html"

# The theme's template environment of the current build, set in on_env (every build).
_env: Environment | None = None
# Where each post stands in the newest-first list of one build.
_position: weakref.WeakKeyDictionary[Files, dict[str, int]] = weakref.WeakKeyDictionary()


@event_priority(-100)  # after the blog plugin has read the posts
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    # Material's blog reads only date.updated; authors write a top-level `updated`.
    tz = timezone(config)
    for post in config.plugins["material/blog"].blog.posts:
        updated = to_datetime(post.meta.get("updated"), tz)
        if updated:
            post.config.date["updated"] = updated
    return files


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    global _env
    _env = env
    return env


@event_priority(-100)
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    published = posts(files, config)
    if files not in _position:
        _position[files] = {entry.file.src_uri: at for at, entry in enumerate(published)}
    at = _position[files].get(page.file.src_uri)
    if at is not None:
        page.meta["post"] = {
            "entry": published[at],
            "newer": published[at - 1] if at > 0 else None,
            "older": published[at + 1] if at + 1 < len(published) else None,
        }
        # Material's footer would link the same two posts again, without their titles on a phone.
        page.meta["hide"] = [*page.meta.get("hide", []), "footer"]
    return html


# After the search plugin has indexed the page, so that neither the byline nor the
# titles of other posts are found as if they were this post's text.
@event_priority(-100)
def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    post = page.meta.get("post")
    if not post or _env is None:
        return context

    def item(entry: Entry | None) -> dict | None:
        if entry is None:
            return None
        return {
            "title": entry.title,
            "description": entry.description,
            "url": get_relative_url(entry.file.url, page.url),
            "date": entry.date,
            "date_text": human_date(entry.date),
        }

    entry: Entry = post["entry"]
    byline = _env.get_template(BYLINE).render(
        authors=[author.name for author in getattr(page, "authors", [])],
        published=item(entry),
        updated={"date": entry.updated, "date_text": human_date(entry.updated)} if entry.updated else None,
        readtime=page.config.readtime if hasattr(page, "config") else None,
    )
    end = _env.get_template(END).render(
        related=[item(e) for e in page.meta.get("related", [])],
        newer=item(post["newer"]),
        older=item(post["older"]),
    )
    head, closed, body = page.content.partition("</h1>")
    page.content = head + closed + byline + body + end if closed else byline + page.content + end
    return context
