"""One conversion per excerpt, not one per list page that shows it.

Material 9.8.1's Excerpt.render converts the whole post again for every list page that
shows it, only to make its links relative to that page, on a Markdown parser made for
each post. Here an excerpt is converted once (only up to its separator when that gives
the same HTML), by one parser shared by all excerpts, and each list page fills in its
own URLs; footnote references are numbered as Material's repeated conversions number
them. Material's own per-excerpt parser is made only if its own render is needed.
"""

from __future__ import annotations

import collections
import copy
import functools
import itertools
import re
from types import MethodType

from markdown import Markdown
from material.plugins.blog import structure as blog_structure
from material.plugins.blog.structure import Excerpt, Post
from material.plugins.blog.structure.markdown import ExcerptTreeprocessor
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from blogpost.speed.compat import Mismatch, Patches
from blogpost.speed.render_memo import Logged, fact


def make_parsers_lazily(patches: Patches) -> None:
    """Each excerpt's own parser is made only if Material's render needs it (_LazyMarkdown), and
    the copy of the configuration it is made from once per build, not once per excerpt."""
    stock = getattr(blog_structure, "_patch", None)
    if not callable(stock):
        raise Mismatch("Material's excerpts no longer copy the configuration with _patch")
    patches.set(blog_structure, "Markdown", _LazyMarkdown)
    patches.set(blog_structure, "_patch", _once_per_config(stock))


def _once_per_config(stock):
    """_patch(config) returns a patched copy of the build's configuration, which no one changes
    afterwards: one copy serves every excerpt of the build."""
    made: dict[int, tuple] = {}

    def patch(config):
        found = made.get(id(config))
        if found is None or found[0] is not config:
            made.clear()
            found = made[id(config)] = (config, stock(config))
        return found[1]

    return patch


def render_once(page: Page, parsers: dict[str, Markdown], kept=None) -> None:
    """After the blog plugin has made the post's excerpt: its render converts once.

    `kept`: the preview's conversions from its last build (incremental.Memo), reused when the
    same Markdown of the same post converts with the same answers to its file lookups."""
    excerpt = getattr(page, "excerpt", None)
    if isinstance(page, Post) and isinstance(excerpt, Excerpt):
        _processors(excerpt)  # raises Mismatch before any render if Material's excerpt changed
        excerpt.render = MethodType(functools.partial(_fast_render, parsers=parsers, kept=kept), excerpt)


def rendered_before(excerpt: Excerpt, k: int) -> None:
    """Render the excerpt next as the (k+1)-th list page showing it in a full build would: a
    build that renders only some list pages numbers its footnote references as a full one."""
    excerpt.__dict__.setdefault("_excerpt_once", {})["renders"] = k


class _Tokens:
    """Placeholders for the view-dependent URLs of one conversion.

    STX/ETX cannot occur in converted text (Markdown strips them from the source), so a
    placeholder is found exactly where it was put. Each maps to the URL it stands for.
    """

    def __init__(self) -> None:
        self.urls: dict[str, str] = {}
        self._n = itertools.count()

    def __call__(self, url: str) -> str:
        token = f"\x02excerpt-once-{next(self._n)}\x03"
        self.urls[token] = url
        return token


class _TokenFile:
    """A File whose URL is a placeholder: get_relative_url(token, "") returns it unchanged."""

    def __init__(self, file: File, url: str) -> None:
        self._file, self.url = file, url

    def __getattr__(self, name):
        return getattr(self._file, name)


class _TokenFiles:
    def __init__(self, files: Files, tokens: _Tokens) -> None:
        self._files, self._tokens = files, tokens
        self.lookups: dict[str, tuple | None] = {}  # each path looked up, with what it found

    def get_file_from_path(self, path: str):
        file = self._files.get_file_from_path(path)
        self.lookups[path] = fact(file)
        return None if file is None else _TokenFile(file, self._tokens(file.url))

    def __getattr__(self, name):
        return getattr(self._files, name)


class _Root:
    url = ""


class _LazyMarkdown:
    """The parser Material makes for every excerpt, made only when Material's own render
    needs it (it costs as much as converting a short excerpt). Until then the excerpt's
    tree processors are kept here, and a parser shared by all excerpts does the work."""

    def __init__(self, **options) -> None:
        self.options, self.registered, self.conversions, self._md = options, {}, 0, None

    @property
    def treeprocessors(self):
        return self._md.treeprocessors if self._md else _Registering(self)

    def convert(self, source: str) -> str:
        self.conversions += 1
        return self.real().convert(source)

    def real(self) -> Markdown:
        if self._md is None:
            self._md = Markdown(**self.options)
            for name, (item, priority) in self.registered.items():
                self._md.treeprocessors.register(item, name, priority)
        return self._md

    def __getattr__(self, name):
        return getattr(self.real(), name)


class _Registering:
    """A lazy parser's tree processors: registered ones are kept, anything else makes the parser."""

    def __init__(self, lazy: _LazyMarkdown) -> None:
        self._lazy = lazy

    def register(self, item, name: str, priority: float) -> None:
        self._lazy.registered[name] = (item, priority)

    def __getattr__(self, name):
        return getattr(self._lazy.real().treeprocessors, name)

    def __getitem__(self, key):
        return self._lazy.real().treeprocessors[key]

    def __contains__(self, key) -> bool:
        return key in self._lazy.real().treeprocessors


def _processors(excerpt: Excerpt) -> tuple[_RelativePathTreeprocessor, ExcerptTreeprocessor]:
    lazy = excerpt.md
    registered = lazy.registered if isinstance(lazy, _LazyMarkdown) else {}
    relpath, anchors = (registered.get(name, (None,))[0] for name in ("relpath", "excerpt"))
    if not isinstance(relpath, _RelativePathTreeprocessor) or not isinstance(anchors, ExcerptTreeprocessor):
        raise Mismatch("Material's excerpt no longer registers the "
                          "'relpath' and 'excerpt' tree processors it relies on")
    for obj, names in ((relpath, ("file", "files")), (anchors, ("page", "base"))):
        if not all(hasattr(obj, n) for n in names):
            raise Mismatch(f"{type(obj).__name__} changed its attributes")
    return relpath, anchors


def _shared_parser(lazy: _LazyMarkdown, parsers: dict[str, Markdown]) -> Markdown:
    """One parser per build for all excerpts made with the same settings, reset before
    each conversion: the state a new parser starts a conversion with."""
    key = repr(lazy.options)
    if key not in parsers:
        parsers[key] = Markdown(**lazy.options)
    return parsers[key]


# A footnote reference as the footnotes extension writes it, with its default settings.
_FOOTNOTE_REF = re.compile(r'<sup id="fnref(\d*):([^"]*)">')


def _footnotes_as_checked(parser: Markdown) -> bool:
    found = [e for e in parser.registeredExtensions if type(e).__name__ == "FootnoteExtension"]
    return all(not e.getConfig("UNIQUE_IDS") and e.get_separator() == ":" for e in found)


def _convert_once(excerpt: Excerpt, markdown: str, parsers: dict[str, Markdown], kept=None):
    """(HTML with placeholders, placeholder -> URL, toc tokens, footnote references per
    name), or None when not reusable.

    The URLs that depend on the list page are those made relative to it: links to other
    files (relpath) and in-page anchors turned into links to the post (excerpt). Here they
    are computed relative to the site root with their targets replaced by placeholders.
    A conversion that logged anything is not kept for the next build: it logs again.
    """
    if kept is None:
        return _convert(excerpt, markdown, parsers)[0]
    relpath, _ = _processors(excerpt)
    key = (excerpt.file.src_uri, excerpt.file.inclusion.name, excerpt.post.url, markdown)
    found = kept.get(key)
    if found and all(fact(relpath.files.get_file_from_path(path)) == answer for path, answer in found[0]):
        return _copied(found[1])
    with Logged() as logged:
        converted, lookups = _convert(excerpt, markdown, parsers)
    if not logged.records:
        kept.put(key, (tuple(lookups.items()), _copied(converted)))
    return converted


class Conversions:
    """The preview's excerpt conversions, kept across its builds (a list page renders the
    excerpts of the posts it shows, and most builds render few list pages). After each build,
    a post keeps only the conversions that build used, if it used any; a post that is gone
    keeps none."""

    def __init__(self) -> None:
        self.kept: dict[tuple, tuple] = {}
        self.used: dict[str, set[tuple]] = {}

    def get(self, key: tuple):
        found = self.kept.get(key)
        if found is not None:
            self.used.setdefault(key[0], set()).add(key)
        return found

    def put(self, key: tuple, conversion: tuple) -> None:
        self.kept[key] = conversion
        self.used.setdefault(key[0], set()).add(key)

    def prune(self, present: set[str]) -> None:
        for key in list(self.kept):
            if key[0] not in present or (key[0] in self.used and key not in self.used[key[0]]):
                del self.kept[key]
        self.used = {}

    def clear(self) -> None:
        self.kept, self.used = {}, {}


def _copied(converted):
    if converted is None:
        return None
    html, urls, toc, footnotes = converted
    return html, dict(urls), copy.deepcopy(toc), collections.Counter(footnotes)


def _convert(excerpt: Excerpt, markdown: str, parsers: dict[str, Markdown]):
    """_convert_once's conversion, with the file lookups it made."""
    relpath, anchors = _processors(excerpt)
    parser = _shared_parser(excerpt.md, parsers)
    if "[^" in markdown and not _footnotes_as_checked(parser):
        return None, {}
    for name, (item, priority) in excerpt.md.registered.items():
        parser.treeprocessors.register(item, name, priority)
    tokens = _Tokens()
    saved = relpath.file, relpath.files, anchors.page, anchors.base
    relpath.file = _TokenFile(excerpt.file, "")
    relpath.files = recording = _TokenFiles(relpath.files, tokens)
    anchors.page, anchors.base = _TokenFile(excerpt.post, tokens(excerpt.post.url)), _Root()
    try:
        html = parser.reset().convert(markdown)
    finally:
        relpath.file, relpath.files, anchors.page, anchors.base = saved
    footnotes = collections.Counter(name for _, name in _FOOTNOTE_REF.findall(html))
    return (html, tokens.urls, list(getattr(parser, "toc_tokens", [])), footnotes), recording.lookups


def _renumbered(html: str, footnotes: dict[str, int], k: int) -> str:
    """The footnote references of a post's first conversion as Material's k-th conversion
    of it numbers them: its parser is never reset, so each conversion numbers on from the
    last (fnref:a, then fnref2:a...), m more for a footnote referred to m times."""
    if k == 1 or not footnotes:
        return html

    def renumber(ref: re.Match) -> str:
        n = (k - 1) * footnotes[ref[2]] + int(ref[1] or 1)
        return f'<sup id="fnref{n}:{ref[2]}">'

    return _FOOTNOTE_REF.sub(renumber, html)


def _material_render(excerpt: Excerpt, page: Page, separator: str, k: int) -> None:
    """Material's own k-th render of the excerpt, on its own parser, after the earlier
    conversions that parser would have made (footnotes are numbered across them)."""
    render = type(excerpt).render
    while excerpt.md.conversions < k - 1:
        render(excerpt, page, separator)
    render(excerpt, page, separator)


def _at(html: str, urls: dict[str, str], base: str) -> str | None:
    for token, url in urls.items():
        relative = get_relative_url(url, base)
        if any(c in relative for c in '&<>"\x02\x03'):
            return None  # would need escaping: leave this one to Material
        html = html.replace(token, relative)
    # A placeholder that something changed: leave this excerpt to Material.
    return None if "\x02excerpt-once-" in html else html


# What, in the rest of a post, could change how the part before the separator converts:
# definitions used anywhere (references, abbreviations; footnotes matter only if the
# head refers to one, and then the whole post is converted), explicit ids (they steer the
# ids of headings), level-1 headings (the excerpt's table of contents lists them) and
# HTML that Markdown parses. Before the separator: anything that could swallow it.
# (Two patterns: the second only where its literal parts occur, a fifth of the cost of one.)
_REACHES_BACK_LINE = re.compile(r"^ {0,3}(\[(?!\^)[^\]\n]*\]:|\*\[|#(\s|$)|=+\s*$)", re.M)
_REACHES_BACK_ANYWHERE = re.compile(r"\{[^}\n]*#|\bid=|\bmarkdown\b|\[TOC\]")
_OPENS = re.compile(r"^ {0,3}(```|~~~|<)|\[TOC\]", re.M)


@functools.lru_cache(maxsize=1 << 13)  # a pure function of two texts; every build asks again
def _head(markdown: str, separator: str) -> str | None:
    """The post up to and including its separator line, when converting only that gives
    the same excerpt as converting the whole post; else None."""
    at = markdown.find(f"\n\n{separator}\n")
    if at < 0 or markdown.count(separator) != 1:
        return None
    head, tail = markdown[: at + 2 + len(separator)], markdown[at + 2 + len(separator):]
    if tail.strip() and not tail.startswith("\n\n") or _OPENS.search(markdown, 0, at) or _reaches_back(tail):
        return None
    return head


def _reaches_back(tail: str) -> bool:
    if _REACHES_BACK_LINE.search(tail):
        return True
    return any(part in tail for part in ("{", "id=", "markdown", "[TOC]")) and bool(_REACHES_BACK_ANYWHERE.search(tail))


class _More:
    """Excerpt.more, the HTML after the separator, converted only when a template prints
    it: templates ask only whether there is more, which the Markdown already tells."""

    def __init__(self, excerpt: Excerpt, page: Page, separator: str, k: int) -> None:
        self._excerpt, self._page, self._separator, self._k, self._html = excerpt, page, separator, k, None

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        if self._html is None:
            excerpt = self._excerpt
            saved = excerpt.content, excerpt.toc, excerpt.markdown, excerpt.more
            _material_render(excerpt, self._page, self._separator, self._k)
            self._html = excerpt.more
            excerpt.content, excerpt.toc, excerpt.markdown, excerpt.more = saved
        return self._html

    def __len__(self) -> int:
        return len(str(self))


def _fast_render(self: Excerpt, page: Page, separator: str, *, parsers: dict[str, Markdown], kept=None) -> None:
    """Excerpt.render with the conversion done once and its page-relative URLs filled in."""
    # As Material does: the excerpt's title links to the post, so it must have one.
    markdown = self.post.markdown
    if not self.post._title_from_render:
        markdown = "\n\n".join([f"# {self.post.title}", markdown])
    cache = self.__dict__.setdefault("_excerpt_once", {})
    # Material's render converts the post anew each time, on a parser that keeps counting.
    cache["renders"] = k = cache.get("renders", 0) + 1
    if cache.get("markdown") is not markdown and cache.get("markdown") != markdown:
        head = _head(markdown, separator)
        # A footnote referred to before the separator is defined after it: convert it all.
        head = head if head and "[^" not in head else None
        converted = _convert_once(self, head or markdown, parsers, kept)
        if head and converted and not converted[0].endswith(separator):
            head, converted = None, _convert_once(self, markdown, parsers, kept)
        cache.update(markdown=markdown, head=head, converted=converted)
    converted, head = cache["converted"], cache["head"]
    html = converted and _at(converted[0], converted[1], page.url)
    if html is None:
        return _material_render(self, page, separator, k)
    _, anchors = _processors(self)
    anchors.base = page
    self.markdown = markdown
    self.content, *more = _renumbered(html, converted[3], k).split(separator, 1)
    if more:
        if head:
            # Converting the whole post leaves nothing after the separator only when nothing follows it.
            self.more = _More(self, page, separator, k) if markdown[len(head):].strip() else ""
        else:
            # Footnotes after the separator are numbered on too, with back links for each conversion.
            self.more = _More(self, page, separator, k) if converted[3] and more[0] else more[0]
    self.toc = get_toc(converted[2])
