"""What a page's template output depends on, as one digest: the page's own data, the titles and
addresses of the pages it refers to (parent, neighbours, related posts) and, for a blog list
page, everything each post it shows puts on its card. Used by the incremental preview to tell
which pages must be rendered again; a value it does not know makes the page count as changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import UserDict
from collections.abc import Mapping

from material.plugins.blog.structure import Excerpt, Post, View
from markupsafe import Markup
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

DEPTH = 12
PLAIN = {str, int, float, bool, type(None), bytes}
# Set on a page while MkDocs templates it, or by us: not part of what it shows.
SKIPPED = {"active", "is_modified"}


class Unknown(Exception):
    """A value that cannot be fingerprinted with certainty."""


def digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def value(item, depth: int = 0):
    """A plain, comparable form of a value held by a page; other pages only by title and address."""
    kind = type(item)
    if kind in PLAIN:
        return item
    if kind is list or kind is tuple:
        return tuple([value(v, depth + 1) for v in item])
    if kind is dict:
        return ("map", *sorted([(repr(k), value(v, depth + 1)) for k, v in item.items()], key=_first))
    if depth > DEPTH:
        raise Unknown("nested too deep")
    if item is None or isinstance(item, (bool, int, float, str, bytes)):
        return item if not isinstance(item, Markup) else str(item)
    if isinstance(item, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return (type(item).__name__, item.isoformat() if hasattr(item, "isoformat") else repr(item),
                str(getattr(item, "tzinfo", None)))
    if isinstance(item, InclusionLevel):
        return item.name
    if isinstance(item, File):
        return ("File", item.src_uri, item.dest_uri, item.url, item.inclusion.name)
    if isinstance(item, Page):
        return reference(item)
    if isinstance(item, Section):
        return ("Section", item.title, value(item.parent, depth + 1))
    if isinstance(item, Link):
        return ("Link", item.title, item.url)
    if isinstance(item, TableOfContents):
        return ("toc", *(value(link, depth + 1) for link in item.items))
    if isinstance(item, AnchorLink):
        return ("a", item.title, item.id, item.level, *(value(c, depth + 1) for c in item.children))
    if isinstance(item, (list, tuple)):
        return tuple(value(v, depth + 1) for v in item)
    if isinstance(item, (set, frozenset)):
        return ("set", *sorted((value(v, depth + 1) for v in item), key=repr))
    if isinstance(item, (Mapping, UserDict)):
        return ("map", *sorted([(repr(k), value(v, depth + 1)) for k, v in item.items()], key=_first))
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return (type(item).__name__,
                *((f.name, value(getattr(item, f.name), depth + 1)) for f in dataclasses.fields(item)))
    raise Unknown(f"{type(item).__module__}.{type(item).__qualname__}")


def _first(pair: tuple) -> str:
    return pair[0]


def reference(page: Page) -> tuple:
    """Another page as a template shows it from elsewhere: its kind, title and address."""
    return (type(page).__name__, page.url, page.title, page.file.src_uri)


def own(page: Page) -> tuple:
    """Everything the page itself holds, other pages by reference."""
    found = []
    for name, item in sorted(vars(page).items()):
        if name in SKIPPED or name.startswith("__"):
            continue
        if name == "excerpt" and isinstance(item, Excerpt):
            continue  # shown on list pages (see card), not on the post's own page
        if name in ("posts", "pages", "views") and isinstance(page, View):
            continue  # see view()
        found.append((name, value(item)))
    return (type(page).__name__, page.title, page.url, tuple(found))


def card(post: Post, own_digest: str) -> tuple:
    """What a post puts on a list page: everything it holds (own_digest: the digest of own(post));
    its excerpt is converted from its whole text, with links relative to the list, and its own
    rendered content changes whenever those links' targets move."""
    excerpt = post.excerpt if isinstance(post.excerpt, Excerpt) else None
    return ("card", own_digest, excerpt is None,
            None if excerpt is None else (value(excerpt.authors), value(excerpt.categories)))


def shown(page: View, per_page) -> list[Post]:
    """The posts a blog list page shows: Material shows posts[k*n:(k+1)*n] on the k-th page of
    a paginated view, all of them otherwise."""
    posts = list(page.posts)
    n = per_page(page)
    if n and page in page.pages:
        at = page.pages.index(page)
        posts = posts[at * n:(at + 1) * n]
    return posts


def view(page: View, posts: list[tuple[Post, int]], cards: dict[int, str], owns: dict[int, str]) -> tuple:
    """A blog list page: the cards of the posts it shows, each with how many list pages showed
    it before this one (footnote references in excerpts are numbered on from one list page to
    the next), its place among its pages, and the views it lists."""
    found = []
    for post, k in posts:
        key = id(post)
        if key not in cards:
            if key not in owns:
                owns[key] = digest(own(post))
            cards[key] = digest(card(post, owns[key]))
        found.append((cards[key], k))
    return ("view", tuple(found), tuple(reference(p) for p in page.pages),
            tuple(reference(v) for v in page.views))


def navigation(nav: Navigation) -> str:
    """The navigation every page draws: each item's kind, title and address, in order."""
    def walk(items):
        for item in items:
            children = getattr(item, "children", None) or ()
            yield (type(item).__name__, item.title, getattr(item, "url", None),
                   bool(getattr(item, "is_section", False)), tuple(walk(children)))

    homepage = nav.homepage.url if nav.homepage else None
    return digest(homepage, tuple(walk(nav.items)))

