"""Navigation that stays within a section: previous and next lead from a post to the older and
newer post, from a guide page to the pages of its own guide, and from no other page to anything
(Material's footer and its <link rel="prev/next"> follow the whole navigation, across sections);
the phone's menu opens where every section can be reached."""

from __future__ import annotations

import re

from mkdocs.structure.pages import Page

from blogpost.layout import Layout
from blogpost.page_data import PostLinks


def confine(page: Page, layout: Layout, post: PostLinks | None) -> None:
    """Set the page's previous and next page (read by Material's footer and <head>)."""
    if post is not None:
        page.previous_page = post.older.file.page if post.older else None
        page.next_page = post.newer.file.page if post.newer else None
        return
    if layout.kind_of(page.file.src_uri) == "guide" and page.parent is not None:
        page.previous_page = _same_parent(page, page.previous_page)
        page.next_page = _same_parent(page, page.next_page)
        return
    page.previous_page = page.next_page = None


def _same_parent(page: Page, other: Page | None) -> Page | None:
    return other if other is not None and other.parent is page.parent else None


# The theme opens the phone's menu (its drawer) inside the section of the page shown: on a blog
# page that is "Blog", which lists only its archive and authors, and the other sections are a
# tap back. Outside the guides the menu opens at the top, listing every section; on a guide
# page it still opens at the guide's chapters. The toggle of a top-level section as the theme
# writes it; if that markup changes, nothing matches and the theme's behaviour stays.
TOP_LEVEL_TOGGLE = re.compile(r'(<input class="md-nav__toggle md-toggle ?" type="checkbox" id="__nav_\d+") checked>')


def drawer_from_top(output: str, page: Page, layout: Layout) -> str:
    if layout.kind_of(page.file.src_uri) == "guide":
        return output
    return TOP_LEVEL_TOGGLE.sub(r"\1>", output)
