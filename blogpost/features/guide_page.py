"""Under a guide page's title: when it was last reviewed (its `updated`, else its `date`)."""

from __future__ import annotations

from jinja2 import Environment
from mkdocs.structure.pages import Page

from blogpost.features.listings import reviewed
from blogpost.model import Entry

REVIEWED = "partials/guide-reviewed.html"


def mark_reviewed(page: Page, entry: Entry, env: Environment) -> None:
    """The review date after the page's H1 (before its text when it has none)."""
    line = env.get_template(REVIEWED).render(reviewed=reviewed(entry))
    head, closed, body = page.content.partition("</h1>")
    page.content = head + closed + line + body if closed else line + page.content
