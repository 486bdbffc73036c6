"""The site navigation rendered once per distinct view of it, not once per page.

Material's partials/nav.html draws the whole navigation into every page: about 1.2 ms a
page, 7% of the build at 3000 posts. What it draws depends on the build's settings and, for
each item, on its identity, title, icons, whether it is active, its URL relative to the
page, and whether it is the page itself (then the page's own table of contents is drawn
into it). Posts are not in the navigation and sit at one depth, so thousands see it alike.
The first rendering for each key of those facts is kept for the rest of the build (the
Jinja environment, and so this cache, is new on every build); a page that is itself an
item is drawn afresh. A further page of a blog view (its page 2, 3...) shares the drawing
too: the blog's `url` filter changes only links to the page itself, and no item links there.
"""

from __future__ import annotations

import functools
import posixpath

from jinja2 import Environment
from material.plugins.blog.structure import View

from blogpost.speed.compat import Mismatch, Patches

TEMPLATE = "partials/nav.html"
# What Material's nav-item.html reads from an item's meta.
META = ("icon", "subtitle", "status")


def draw_once(env: Environment, patches: Patches) -> None:
    template = env.get_template(TEMPLATE)
    render, kept = getattr(template, "root_render_func", None), {}
    if not callable(render):
        raise Mismatch("Jinja templates no longer render through root_render_func")
    shapes: dict[int, tuple] = {}

    def render_once(context):
        key = _key(context, shapes)
        if key is None:
            yield from render(context)
            return
        if key not in kept:
            kept[key] = "".join(render(context))
        yield kept[key]

    patches.set(template, "root_render_func", render_once)


def _key(context, shapes: dict[int, tuple] | None = None) -> tuple | None:
    """The facts the navigation of this page is drawn from; None: draw it afresh. `shapes`:
    what is the same for every page of the build, by navigation (made once)."""
    page, nav, config = context.get("page"), context.get("nav"), context.get("config")
    if page is None or nav is None or config is None:
        return None
    shapes = {} if shapes is None else shapes
    found = shapes.get(id(nav))
    if found is None or found[0] is not nav or found[1] is not config:
        found = shapes[id(nav)] = (nav, config, _shape(nav, config))
    shape = found[2]
    if shape is None:
        return None
    home, items, urls, facts, positions, linked = shape
    if page.url in linked or (isinstance(page, View) and home == page.url):
        # The page is an item (its table of contents is drawn into the navigation), or a blog
        # view whose links to itself the blog's url filter rewrites.
        return None
    folder, _, name = page.url.rpartition("/")
    here = folder if "." in name else page.url
    if here not in positions:
        positions[here] = _position(page.url, urls)
    return (*positions[here], tuple([bool(item.active) for item in items]), facts)


def _shape(nav, config) -> tuple | None:
    """What a build's navigation draws the same on every page: its home, its items (whose
    active state is the page's own) with their URLs, titles and icons, in order; None when some
    item needs every page to draw it afresh."""
    home = config.extra.get("homepage") or (nav.homepage.url if nav.homepage else None)
    facts, urls, found, items = [home], [home or ""], [], list(nav.items)
    while items:
        item = items.pop()
        # Items a plugin we have not checked decorates (typeset, encrypted): draw afresh.
        if hasattr(item, "typeset") or hasattr(item, "encrypted"):
            return None
        # A blog view's pagination pages are views, which a page that is not one never equals
        # (Page.__eq__ compares classes): only something else there needs a fresh drawing.
        if not all(isinstance(other, View) for other in getattr(item, "pages", None) or ()):
            return None
        url = getattr(item, "url", None)
        meta = getattr(item, "meta", None) or {}
        facts.append((id(item), item.title, url, *(repr(meta.get(name)) for name in META)))
        urls.append(url or "")
        found.append(item)
        items.extend(getattr(item, "children", None) or ())
    linked = {item.url for item in found if getattr(item, "url", None) is not None}
    return home, tuple(found), urls, tuple(facts), {}, linked


def _position(page_url: str, urls: list[str]) -> tuple[int, ...]:
    """All that the given URLs made relative to this page depend on: how many path parts the
    page's folder has and how many leading parts it shares with each (as
    mkdocs.utils.get_relative_url counts them)."""
    folder, _, name = page_url.rpartition("/")
    here = _parts(folder if "." in name else page_url)
    return (len(here), *(_shared(here, _parts(url)) for url in urls))


@functools.lru_cache(maxsize=1024)
def _parts(url: str) -> tuple[str, ...]:
    """A URL's path parts, as MkDocs counts them."""
    path = posixpath.normpath("/" + url).strip("/")
    return tuple(path.split("/")) if path else ()


def _shared(here: tuple[str, ...], there: tuple[str, ...]) -> int:
    """How many leading parts two paths share."""
    n = 0
    for a, b in zip(here, there):
        if a != b:
            break
        n += 1
    return n
