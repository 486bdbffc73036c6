"""Keeps Material's blog plugin linear: O(1) post lookups (on_files), one conversion per excerpt (on_page_markdown).

It also lets the blog read each post's front matter with libyaml's loader, the
same SafeLoader rules at a tenth of the cost (on_config).

Material 9.8.1 asks `page not in self.blog.posts` for every page, twice: a linear scan
whose Page.__eq__ compares titles, so the build is quadratic in the number of posts.
And Excerpt.render converts the whole post again for every list page that shows it,
only to make its links relative to that page. Both are replaced here by equivalents
that build the same site (tests/test_blog_speed.py compares the two builds file by
file). The hook relies on internals of the exact versions pinned; any other version,
or a changed attribute or signature, stops the build with a PluginError.
"""

from __future__ import annotations

import inspect
import itertools
import re
from importlib.metadata import version
from types import MethodType

import yaml
from material.plugins.blog import structure as blog_structure
from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import Excerpt, Post
from material.plugins.blog.structure.markdown import ExcerptTreeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

log = get_plugin_logger(__name__)

# What the equivalence was checked against (requirements.txt pins the same).
PINNED = {
    name: (version(name), want)
    for name, want in (("mkdocs-material", "9.8.1"), ("mkdocs", "1.6.1"), ("Markdown", "3.11.3"),
                       ("pymdown-extensions", "13.1.2"))
}
# Extensions checked to convert a document the same way twice in a row on one Markdown
# instance (footnotes do not, see _convert_once): only with these is one conversion
# reused. Any other extension keeps Material's own rendering, per list page.
REUSABLE_WITH = {
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist",
}


def _check_internals() -> None:
    problems = [f"{name} is {have}, not {want}" for name, (have, want) in PINNED.items() if have != want]
    if list(inspect.signature(Excerpt.render).parameters) != ["self", "page", "separator"]:
        problems.append("Excerpt.render(self, page, separator) changed")
    if Post.__eq__ is not Page.__eq__ or hasattr(File, "__eq__") and File.__eq__ is not object.__eq__:
        problems.append("Page/File equality changed")
    for cls, attr in ((BlogPlugin, "on_page_markdown"), (BlogPlugin, "on_page_content"),
                      (_RelativePathTreeprocessor, "path_to_url"), (Files, "get_file_from_path")):
        if not callable(getattr(cls, attr, None)):
            problems.append(f"{cls.__name__}.{attr} is gone")
    if blog_structure.SafeLoader not in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", None)):
        problems.append("the blog no longer reads posts with yaml.SafeLoader")
    if problems:
        raise PluginError(
            "overrides/hooks/blog_speed.py relies on internals of the versions it was checked with: "
            f"{'; '.join(problems)}. Re-check the hook against the new version (and "
            "tests/test_blog_speed.py), or remove it from mkdocs.yml's hooks."
        )


def _blogs(config: MkDocsConfig) -> list[BlogPlugin]:
    return [p for p in config.plugins.values() if isinstance(p, BlogPlugin) and p.config.enabled]


_settings = {"reuse_excerpts": False}


def on_config(config: MkDocsConfig) -> None:
    _check_internals()
    _settings["reuse_excerpts"] = _reusable(config)
    # Post.__init__ parses every post's front matter with the pure-Python SafeLoader;
    # the C one (when PyYAML was built with libyaml) builds the same values.
    blog_structure.SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# "page in posts" in O(1) ---------------------------------------------------------

class PostList(list):
    """The blog's list of posts, answering `in` from an index by file.

    Page.__eq__ needs the very same File object (File has no __eq__), so only posts
    sharing the page's file can equal it; those few are compared as list.__contains__
    would. Any change to the list drops the index.
    """

    def __contains__(self, page) -> bool:
        if type(page).__eq__ is not Page.__eq__ or not hasattr(page, "file"):
            return list.__contains__(self, page)
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = {}
            for post in self:
                index.setdefault(id(getattr(post, "file", None)), []).append(post)
        return any(post is page or post == page for post in index.get(id(page.file), ()))


def _drops_index(name: str):
    method = getattr(list, name)

    def changed(self, *args, **kwargs):
        self.__dict__.pop("_index", None)
        return method(self, *args, **kwargs)

    return changed


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend",
              "insert", "pop", "remove", "clear", "sort", "reverse"):
    setattr(PostList, _name, _drops_index(_name))


@event_priority(-60)  # right after the blog plugin (-50) has resolved its posts
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for blog in _blogs(config):
        if not isinstance(getattr(getattr(blog, "blog", None), "posts", None), list):
            raise PluginError("overrides/hooks/blog_speed.py: the blog plugin no longer keeps blog.posts as a list")
        blog.blog.posts = PostList(blog.blog.posts)
    return files


# One conversion per excerpt --------------------------------------------------------

class _Tokens:
    """Placeholders for the view-dependent URLs of one conversion.

    STX/ETX cannot occur in converted text (Markdown strips them from the source), so a
    placeholder is found exactly where it was put. Each maps to the URL it stands for.
    """

    def __init__(self) -> None:
        self.urls: dict[str, str] = {}
        self._n = itertools.count()

    def __call__(self, url: str) -> str:
        token = f"\x02blog-speed-{next(self._n)}\x03"
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

    def get_file_from_path(self, path: str):
        file = self._files.get_file_from_path(path)
        return None if file is None else _TokenFile(file, self._tokens(file.url))

    def __getattr__(self, name):
        return getattr(self._files, name)


class _Root:
    url = ""


def _processors(excerpt: Excerpt) -> tuple[_RelativePathTreeprocessor, ExcerptTreeprocessor]:
    tree = excerpt.md.treeprocessors
    relpath = tree["relpath"] if "relpath" in tree else None
    anchors = tree["excerpt"] if "excerpt" in tree else None
    if not isinstance(relpath, _RelativePathTreeprocessor) or not isinstance(anchors, ExcerptTreeprocessor):
        raise PluginError("overrides/hooks/blog_speed.py: Material's excerpt no longer registers the "
                          "'relpath' and 'excerpt' tree processors it relies on")
    for obj, names in ((relpath, ("file", "files")), (anchors, ("page", "base"))):
        if not all(hasattr(obj, n) for n in names):
            raise PluginError(f"overrides/hooks/blog_speed.py: {type(obj).__name__} changed its attributes")
    return relpath, anchors


def _convert_once(excerpt: Excerpt, markdown: str):
    """(HTML with placeholders, placeholder -> URL, toc tokens), or None when not reusable.

    The URLs that depend on the list page are those made relative to it: links to other
    files (relpath) and in-page anchors turned into links to the post (excerpt). Here they
    are computed relative to the site root with their targets replaced by placeholders.
    """
    # The footnotes extension numbers references across conversions on one Markdown
    # instance, so Material's second conversion of a post with footnotes differs from
    # its first; keep its behaviour for those posts.
    if "[^" in markdown:
        return None
    relpath, anchors = _processors(excerpt)
    tokens = _Tokens()
    saved = relpath.file, relpath.files, anchors.page, anchors.base
    relpath.file = _TokenFile(excerpt.file, "")
    relpath.files = _TokenFiles(relpath.files, tokens)
    anchors.page, anchors.base = _TokenFile(excerpt.post, tokens(excerpt.post.url)), _Root()
    try:
        html = excerpt.md.convert(markdown)
    finally:
        relpath.file, relpath.files, anchors.page, anchors.base = saved
    return html, tokens.urls, list(getattr(excerpt.md, "toc_tokens", []))


def _at(html: str, urls: dict[str, str], base: str) -> str | None:
    for token, url in urls.items():
        relative = get_relative_url(url, base)
        if any(c in relative for c in '&<>"\x02\x03'):
            return None  # would need escaping: leave this one to Material
        html = html.replace(token, relative)
    # A placeholder that something changed: leave this excerpt to Material.
    return None if "\x02blog-speed-" in html else html


# What, in the rest of a post, could change how the part before the separator converts:
# definitions used anywhere (references, abbreviations; footnotes matter only if the
# head refers to one, and then _convert_once declines), explicit ids (they steer the
# ids of headings), level-1 headings (the excerpt's table of contents lists them) and
# HTML that Markdown parses. Before the separator: anything that could swallow it.
# (Two patterns: the second only where its literal parts occur, a fifth of the cost of one.)
_REACHES_BACK_LINE = re.compile(r"^ {0,3}(\[(?!\^)[^\]\n]*\]:|\*\[|#(\s|$)|=+\s*$)", re.M)
_REACHES_BACK_ANYWHERE = re.compile(r"\{[^}\n]*#|\bid=|\bmarkdown\b|\[TOC\]")
_OPENS = re.compile(r"^ {0,3}(```|~~~|<)|\[TOC\]", re.M)


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
    it: templates ask only whether there is more, which the Markdown already tells.
    (Printed, footnotes after the separator are numbered as on a first conversion, where
    Material's later conversions of the same post number on: fnref2, fnref3...)"""

    def __init__(self, excerpt: Excerpt, page: Page, separator: str) -> None:
        self._excerpt, self._page, self._separator, self._html = excerpt, page, separator, None

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        if self._html is None:
            excerpt = self._excerpt
            saved = excerpt.content, excerpt.toc, excerpt.markdown, excerpt.more
            type(excerpt).render(excerpt, self._page, self._separator)
            self._html = excerpt.more
            excerpt.content, excerpt.toc, excerpt.markdown, excerpt.more = saved
        return self._html

    def __len__(self) -> int:
        return len(str(self))


def _fast_render(self: Excerpt, page: Page, separator: str) -> None:
    """Excerpt.render with the conversion done once and its page-relative URLs filled in."""
    # As Material does: the excerpt's title links to the post, so it must have one.
    markdown = self.post.markdown
    if not self.post._title_from_render:
        markdown = "\n\n".join([f"# {self.post.title}", markdown])
    cache = self.__dict__.setdefault("_blog_speed", {})
    if cache.get("markdown") is not markdown and cache.get("markdown") != markdown:
        cache.clear()
        cache["markdown"], cache["head"] = markdown, _head(markdown, separator)
        source = cache["head"] or markdown
        cache["converted"] = _convert_once(self, source)
        if cache["head"] and cache["converted"] and not cache["converted"][0].endswith(separator):
            cache["head"], cache["converted"] = None, _convert_once(self, markdown)
    converted, head = cache["converted"], cache["head"]
    html = converted and _at(converted[0], converted[1], page.url)
    if html is None:
        return type(self).render(self, page, separator)
    _, anchors = _processors(self)
    anchors.base = page
    self.markdown = markdown
    self.content, *more = html.split(separator, 1)
    if more:
        # Converting the whole post leaves nothing after the separator only when nothing follows it.
        self.more = more[0] if not head else _More(self, page, separator) if markdown[len(head):].strip() else ""
    self.toc = get_toc(converted[2])


def _reusable(config: MkDocsConfig) -> bool:
    extensions = config.markdown_extensions
    unknown = {str(e) for e in extensions if not isinstance(e, str) or e.removeprefix("markdown.extensions.") not in REUSABLE_WITH}
    if unknown:
        log.info("excerpts are converted per list page, as Material does: not checked with %s", sorted(unknown))
    return not unknown


@event_priority(-60)  # after the blog plugin (-50) has made the post's excerpt
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    excerpt = getattr(page, "excerpt", None)
    if isinstance(page, Post) and isinstance(excerpt, Excerpt) and _settings["reuse_excerpts"]:
        excerpt.render = MethodType(_fast_render, excerpt)
    return markdown
