"""Keeps Material's blog plugin linear and lean: O(1) post lookups (on_files), front matter
read by libyaml (on_config), reading time from the text alone (on_page_content).

Material 9.8.1 asks `page not in self.blog.posts` for every page, twice: a linear scan
whose Page.__eq__ compares titles, so the build is quadratic in the number of posts.
Here the list answers `in` from an index. And the blog reads each post's front matter
with the pure-Python SafeLoader; libyaml's loader applies the same rules at a tenth of
the cost. Its reading time parses each post's HTML with Python's HTMLParser, a call per
tag; here the text and the count of images are taken out first, and Material's own
function reads just those. The site built is the same (tests/test_blog_speed.py compares
builds with and without the speed hooks file by file). The hook relies on internals of the exact
versions pinned; any other version, or a changed attribute, stops the build with a
PluginError. excerpt_once.py does the same for excerpts.
"""

from __future__ import annotations

import html
import re

import yaml
from material.plugins.blog import structure as blog_structure
from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.readtime import readtime
from material.plugins.blog.structure import Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from entries import version_problems

# What the equivalence was checked against (requirements.txt pins the same).
PINNED = {"mkdocs-material": "9.8.1", "mkdocs": "1.6.1"}


def _check_internals() -> None:
    problems = version_problems(PINNED)
    if Post.__eq__ is not Page.__eq__ or hasattr(File, "__eq__") and File.__eq__ is not object.__eq__:
        problems.append("Page/File equality changed")
    if blog_structure.SafeLoader not in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", None)):
        problems.append("the blog no longer reads posts with yaml.SafeLoader")
    if problems:
        raise PluginError(
            "overrides/hooks/blog_speed.py relies on internals of the versions it was checked with: "
            f"{'; '.join(problems)}. Re-check the hook against the new version (and "
            "tests/test_blog_speed.py), or remove it from mkdocs.yml's hooks."
        )


def on_config(config: MkDocsConfig) -> None:
    _check_internals()
    # Post.__init__ parses every post's front matter with the pure-Python SafeLoader;
    # the C one (when PyYAML was built with libyaml) builds the same values.
    blog_structure.SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _blogs(config: MkDocsConfig) -> list[BlogPlugin]:
    return [p for p in config.plugins.values() if isinstance(p, BlogPlugin) and p.config.enabled]


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


# Reading time --------------------------------------------------------------------

# A comment with no "--" inside, or a tag whose attributes are well formed: read alike by
# every HTMLParser. Anything else ("<" in text, doctype, CDATA) leaves the page to Material.
_TOKEN = re.compile(
    r"""<(?:!--(?:(?!--).)*?--|(/?)([a-zA-Z][a-zA-Z0-9-]*)"""
    r"""(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?)>""", re.S)
# Where Material's parser skips the text, or stops reading tags.
_SKIPPED = ("<object", "<script", "<style", "<svg", "<!doctype", "<![", "<?")


def text_and_images(content: str) -> tuple[str, int] | None:
    """The text Material's reading-time parser collects from content, and its images; None
    when content holds anything but plain tags and comments."""
    lowered = content.lower()
    if any(part in lowered for part in _SKIPPED):
        return None
    texts, images, at = [], 0, 0
    for tag in _TOKEN.finditer(content):
        texts.append(content[at:tag.start()])
        at = tag.end()
        images += not tag[1] and (tag[2] or "").lower() == "img"
    texts.append(content[at:])
    if any("<" in text for text in texts):
        return None
    return "".join(html.unescape(text) for text in texts), images


@event_priority(1)  # just before the blog plugin (0) reads the same HTML
def on_page_content(content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not isinstance(page, Post) or page.config.readtime:
        return content
    for blog in _blogs(config):
        if blog.config.post_readtime and page in blog.blog.posts and (found := text_and_images(content)):
            text, images = found
            # The same text and images, with nothing else for the parser to read.
            page.config.readtime = readtime(html.escape(text, quote=False) + "<img>" * images,
                                            blog.config.post_readtime_words_per_minute)
    return content
