"""A post's reading time from its text alone: Material's reading-time parser reads each post's HTML
with Python's HTMLParser, a call per tag; here the text and the count of images are taken out
first, and Material's own readtime() reads just those (so its formula is not copied). Any page
that is not plain tags and comments is left to Material."""

from __future__ import annotations

import html
import re

from material.plugins.blog.readtime import readtime
from material.plugins.blog.structure import Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from blogpost.speed.post_lookup import blogs

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


def set_readtime(content: str, page: Page, config: MkDocsConfig) -> None:
    """Just before the blog plugin reads the same HTML."""
    if not isinstance(page, Post) or page.config.readtime:
        return
    for blog in blogs(config):
        if blog.config.post_readtime and page in blog.blog.posts and (found := text_and_images(content)):
            text, images = found
            # The same text and images, with nothing else for the parser to read.
            page.config.readtime = readtime(html.escape(text, quote=False) + "<img>" * images,
                                            blog.config.post_readtime_words_per_minute)
