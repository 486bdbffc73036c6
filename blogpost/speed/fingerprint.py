"""What a page's template output depends on, as one digest: the page's own data, the titles and
addresses of the pages it refers to (parent, neighbours, related posts) and, for a blog list
page, everything each post it shows puts on its card. Used by the incremental preview to tell
which pages must be rendered again; a value it does not know makes the page count as changed."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import marshal
from collections import UserDict
from collections.abc import Mapping

from material.plugins.blog.structure import Excerpt, Post, View
from markupsafe import Markup
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from blogpost.page_data import KEY, Card, PageData, data_of

DEPTH = 12
PLAIN = {str, int, float, bool, type(None), bytes}
# Set on a page while MkDocs templates it, or by us: not part of what it shows. And what MkDocs
# notes of a page's anchors and of its links to other pages' anchors, for its own validation:
# both come from the page's HTML (in the fingerprint), and no template shows them.
SKIPPED = {"active", "is_modified", "present_anchor_ids", "links_to_anchors"}


class Unknown(Exception):
    """A value that cannot be fingerprinted with certainty."""


def digest(*parts) -> str:
    """A digest of plain values (as value() makes them). marshal writes equal plain values as
    equal bytes (format 2 has no back-references), at C speed; repr is the fallback."""
    return _token(parts).hex()


def value(item, depth: int = 0):
    """A plain, comparable form of a value held by a page; other pages only by title and address."""
    kind = type(item)
    if kind in PLAIN:
        return item
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(item, depth)


def _converter(kind: type):
    """How to make values of one type plain: decided once per type, in the order of the checks."""
    if issubclass(kind, Markup) or issubclass(kind, str):
        return lambda item, depth: str(item)
    if issubclass(kind, (bool, int, float, bytes)):
        return lambda item, depth: (kind.__name__, repr(item))
    if issubclass(kind, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return lambda item, depth: (kind.__name__, item.isoformat() if hasattr(item, "isoformat") else repr(item),
                                    str(getattr(item, "tzinfo", None)))
    if issubclass(kind, InclusionLevel):
        return lambda item, depth: item.name
    if issubclass(kind, File):  # many pages refer to one File
        return _shared(lambda item, depth: ("File", item.src_uri, item.dest_uri, item.url, item.inclusion.name))
    if issubclass(kind, Page):
        return lambda item, depth: reference(item)
    if issubclass(kind, Section):
        return _nested(lambda item, depth: ("Section", value(item.title), value(item.parent, depth + 1)))
    if issubclass(kind, Link):
        return lambda item, depth: ("Link", value(item.title), item.url)
    if issubclass(kind, TableOfContents):
        return _nested(lambda item, depth: ("toc", *[value(link, depth + 1) for link in item.items]))
    if issubclass(kind, AnchorLink):
        return _nested(lambda item, depth: ("a", value(item.title), item.id, item.level,
                                            *[value(c, depth + 1) for c in item.children]))
    if issubclass(kind, (list, tuple)):
        items = _nested(lambda item, depth: tuple([value(v, depth + 1) for v in item]))
        return _marshalled(items, "marshal", _same) if kind in (list, tuple) else items
    if issubclass(kind, (set, frozenset)):
        return _nested(lambda item, depth: ("set", *sorted([value(v, depth + 1) for v in item], key=repr)))
    if issubclass(kind, dict):
        return _marshalled(_nested(_map), "marshal-map", _sorted_items) if kind is dict else _nested(_map)
    if issubclass(kind, UserDict):  # a configuration (an author's, say) many pages share
        return _shared(_nested(lambda item, depth: _map(item.data, depth)))
    if issubclass(kind, Mapping):
        return _shared(_nested(_map))
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind))
        convert = _nested(lambda item, depth: (kind.__name__, *[(n, value(getattr(item, n), depth + 1))
                                                                for n in names]))
        return _shared(convert, kind in BY_VALUE) if kind.__dataclass_params__.frozen else convert
    return _unknown


def _marshalled(convert, name: str, arrange):
    """A list, tuple or dict of plain values only (texts, numbers, and lists, tuples and dicts of
    them, a dict by its items in the order of its keys) as marshal writes it, at C speed: equal
    bytes are equal values of equal types. Sets within are written in their order of iteration:
    equal sets in another order differ, which only renders a page again. Anything else (a
    date, a page, Markup, keys of mixed types) makes marshal refuse: then item by item."""
    def fast(item, depth: int):
        try:
            return (name, marshal.dumps(arrange(item), 2))
        except (ValueError, TypeError):
            return convert(item, depth)
    return fast


def _same(item):
    return item


def _sorted_items(item: dict) -> list:
    return sorted(item.items(), key=_first)


def _map(item, depth: int):
    try:  # text keys, the usual case, sort as they are
        pairs = sorted(item.items(), key=_first)
    except TypeError:
        return ("map", *sorted([(_key(k), value(v, depth + 1)) for k, v in item.items()], key=_first))
    if pairs and type(pairs[0][0]) is str and all(type(k) is str for k, _ in pairs):
        return ("map", *[(k, value(v, depth + 1)) for k, v in pairs])
    return ("map", *sorted([(_key(k), value(v, depth + 1)) for k, v in pairs], key=_first))


def _key(key) -> str:
    """A mapping's key as text, to sort by: a file (links_to_anchors) by its source, cheaply."""
    return f"File {key.src_uri}" if isinstance(key, File) else repr(key)


def _nested(convert):
    def guarded(item, depth: int):
        if depth > DEPTH:
            raise Unknown("nested too deep")
        return convert(item, depth)
    return guarded


def _shared(convert, by_value: bool = False):
    """A value that many pages refer to (a model entry, a file, an author) is made plain once
    per batch (nothing changes while a batch runs), as its digest: every page that refers to
    it then carries 16 bytes into its own digest, not the whole of it (a post's related posts
    are model entries, each with its title, description, tags and dates). `by_value`: one of
    BY_VALUE, also kept by value from batch to batch."""
    def token(item, depth: int):
        return ("=", _token(convert(item, depth)))

    def once(item, depth: int):
        if _batch is None:
            return token(item, depth)
        found = _batch.get(id(item))
        if found is None or found[0] is not item:
            made = _by_value(item, token, depth) if by_value else token(item, depth)
            found = _batch[id(item)] = (item, made)
        return found[1]
    return once


# Frozen values made anew on every build and shown by many pages, kept by value from one batch
# to the next (see _shared): a card is made for every list that shows its post, and a tag page
# lists a thousand at 3000 posts. Equal values of these must have equal plain forms (a card
# holds its date's offset for that: Card.offset).
BY_VALUE = (Card,)


def _by_value(item, token, depth: int):
    """The plain form of a value equal to one made in this batch or the last one: that one's,
    found by value (a hash and a comparison, not a conversion)."""
    try:
        found = _kept_now.get(item)
    except TypeError:  # a field that cannot be a key (a list): made plain as it is
        return token(item, depth)
    if found is None:
        found = _kept_last.get(item) or token(item, depth)
        _kept_now[item] = found
    return found


def _token(plain) -> bytes:
    """The digest of a plain value, as bytes: equal values, equal tokens (see digest)."""
    try:
        data = marshal.dumps(plain, 2)
    except ValueError:
        data = repr(plain).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


@contextlib.contextmanager
def batch(texts=None):
    """Within it, each shared value (see _shared) is made plain once: nothing changes meanwhile.
    `texts`: long texts' digests kept by the caller (get(text, compute), as the preview's Memo)."""
    global _batch, _texts, _kept_now, _kept_last
    _batch, _texts = {}, texts
    _kept_last, _kept_now = _kept_now, {}
    try:
        yield
    finally:
        _batch = _texts = None


_batch: dict[int, tuple] | None = None
_texts = None  # see batch()
_kept_now: dict = {}  # see _by_value(): this batch's values by value, and the last batch's
_kept_last: dict = {}


def _unknown(item, depth: int):
    raise Unknown(f"{type(item).__module__}.{type(item).__qualname__}")


# Each type met so far, with how its values are made plain.
_CONVERTERS: dict[type, object] = {}


def _first(pair: tuple) -> str:
    return pair[0]


def reference(page: Page) -> tuple:
    """Another page as a template shows it from elsewhere: its kind, title and address."""
    return (type(page).__name__, page.url, value(page.title), page.file.src_uri)


def own(page: Page, *, listed: bool = False, made: bool = False, framed: bool = False) -> tuple:
    """Everything the page itself holds, other pages by reference.

    `listed`: what a list page can show of a post, which is all of it but its way to other
    posts (previous and next, and the related posts and older/newer links the plugin prepares):
    only its own page shows those. Without that, a new post would change every list page
    showing a post it is related to.
    `made`: all of it but what other pages decide (see later()): what the page's own events
    made of it from its source and its own entry.
    `framed`: all of it but its date for sitemap.xml (PageData.lastmod), which no page shows:
    a blog view is dated by its newest post, which a new post moves (see incremental._Views)."""
    parts = _once(_own, page)
    if made:
        parts = tuple((name, _in_meta(item, _made) if name == "meta" else item) for name, item in parts
                      if name not in LATER)
    elif framed:
        parts = tuple((name, _in_meta(item, _framed) if name == "meta" else item) for name, item in parts)
    elif listed:
        parts = tuple((name, _in_meta(item, _listed) if name == "meta" else item) for name, item in parts
                      if name not in ("previous_page", "next_page"))
    return (type(page).__name__, value(page.title), page.url, parts)


def _in_meta(meta, change):
    """The plain form of a page's meta (value() of a dict), its PageData (plain) changed."""
    if not isinstance(meta, tuple) or meta[:1] != ("map",):
        return meta
    return ("map", *((key, change(item) if key == KEY else item) for key, item in meta[1:]))


def _fields(data, changes: dict):
    """A plain dataclass (value() of one) with some fields replaced."""
    if not isinstance(data, tuple) or not data or not isinstance(data[0], str):
        return data
    return (data[0], *((name, changes[name](item) if name in changes else item) for name, item in data[1:]))


# What own(page, made=True) leaves out: the page's previous and next pages (Material's blog
# links each post to its neighbours by date), and in its PageData the lists of cards and the
# post's end (the site plugin adds them in on_env) and its related posts and older/newer links.
LATER = ("previous_page", "next_page")
LATER_DATA = ("lists", "end", "post")


def later(page: Page, *, ended: bool = False) -> tuple:
    """What own(page, made=True) leaves out (LATER, LATER_DATA). `ended`: but what the post's
    end shows (PageData.end, the related posts and the older/newer links after its text): a
    post whose page differs only there can have its end replaced in the last build's output
    (see Preview)."""
    neighbours = tuple(value(getattr(page, name, None)) for name in LATER)
    found = data_of(page)
    if found is None:
        return neighbours
    post = value(found.post)
    if ended:
        return (*neighbours, value(found.lists), None, _fields(post, _END_LINKS) if post else post)
    return (*neighbours, value(found.lists), _compact(found.end), post)


def _made(data):
    if not isinstance(data, tuple) or data[:1] != (PageData.__name__,):
        return data
    return _fields(data, dict.fromkeys(LATER_DATA, _none))


def _listed(data):
    if not isinstance(data, tuple) or data[:1] != (PageData.__name__,):
        return data
    return _fields(data, {"post": _none, "end": _none})


def _framed(data):
    if not isinstance(data, tuple) or data[:1] != (PageData.__name__,):
        return data
    return _fields(data, {"lastmod": _none})


def _none(_):
    return None


_END_LINKS = {"newer": _none, "older": _none, "related": _none}  # PostLinks, as the end shows them


def _own(page: Page) -> tuple:
    found = []
    for name, item in sorted(vars(page).items()):
        if name in SKIPPED or name.startswith("__"):
            continue
        if name == "excerpt" and isinstance(item, Excerpt):
            continue  # shown on list pages (see card), not on the post's own page
        if name in ("posts", "pages", "views") and isinstance(page, View):
            continue  # see view()
        found.append((name, _compact(value(item))))
    return tuple(found)


def _compact(item):
    """A long text (the page's Markdown, its HTML) by its digest: hashed once, though the page
    and its card on list pages both hold it, and, when the batch is given the texts kept from
    the last one, once while it is kept (a page's Markdown and HTML are the same objects from
    build to build while they do not change, see render_memo.py)."""
    if type(item) is str and len(item) > 512:
        if _texts is None:
            return ("text", _hashed(item))
        return ("text", _texts.get(item, lambda: _hashed(item)))
    return item


def _hashed(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def card(post: Post, listed_digest: str) -> tuple:
    """What a post puts on a list page: everything it holds but its links to other posts
    (listed_digest: the digest of own(post, listed=True)), and its excerpt's authors and
    categories, as Material's blog lists them."""
    excerpt = post.excerpt if isinstance(post.excerpt, Excerpt) else None
    return ("card", listed_digest, excerpt is None,
            None if excerpt is None else (value(excerpt.authors), value(excerpt.categories)))


def shown(page: View, per_page) -> list[Post]:
    """The posts a blog list page shows: Material shows posts[k*n:(k+1)*n] on the k-th page of
    a paginated view, all of them otherwise."""
    n = per_page(page)
    # Each view's pages numbered once per batch (a view of 3000 posts has 300 of them).
    at = _once(_positions, page.pages).get(id(page)) if n else None
    if at is None:
        return list(page.posts)
    return page.posts[at * n:(at + 1) * n]


def _positions(pages: list) -> dict[int, int]:
    return {id(other): i for i, other in enumerate(pages)}


def view(page: View, posts: list[Post], cards: dict[int, str], listed=None) -> tuple:
    """A blog list page: the cards of the posts it shows, its place among its pages, and the
    views it lists. `listed(post)`: the digest of own(post, listed=True), if the caller keeps
    them."""
    found = []
    for post in posts:
        key = id(post)
        if key not in cards:
            cards[key] = digest(card(post, listed(post) if listed else digest(own(post, listed=True))))
        found.append(cards[key])
    # The further pages of a view share one list of its pages.
    return ("view", tuple(found), *pages_of(page))


def pages_of(page: View) -> tuple:
    """What a blog list page shows of its view besides its cards (see view()): the pages of its
    view and the views it lists, each list by its digest, made once per batch (the 300 pages of
    a 3000-post view share one list, which every one of them would otherwise carry whole)."""
    return _once(_references, page.pages), _once(_references, page.views)


def _references(pages: list) -> tuple:
    return ("=", _token(tuple(reference(p) for p in pages)))


def _once(make, item):
    """make(item), once per batch for this very object (nothing changes while a batch runs)."""
    if _batch is None:
        return make(item)
    key = (make, id(item))
    found = _batch.get(key)
    if found is None or found[0] is not item:
        found = _batch[key] = (item, make(item))
    return found[1]


def navigation(nav: Navigation) -> str:
    """The navigation every page draws: each item's kind, title and address, in order."""
    def walk(items):
        for item in items:
            children = getattr(item, "children", None) or ()
            yield (type(item).__name__, value(item.title), getattr(item, "url", None),
                   bool(getattr(item, "is_section", False)), tuple(walk(children)))

    homepage = nav.homepage.url if nav.homepage else None
    return digest(homepage, tuple(walk(nav.items)))

