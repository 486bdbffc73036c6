"""Search and social metadata: robots.txt naming the sitemap; for every page a description, Open
Graph and Twitter tags, and JSON-LD for posts (BlogPosting) and tag pages (CollectionPage)."""

from __future__ import annotations

import functools
import json
import marshal
import struct
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from material.plugins.blog.structure import Archive, Profile, View
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from blogpost.features.listings import place_in_view
from blogpost.model import Entry, Model, Tag
from blogpost.page_data import PageData
from blogpost.text import absolute_url, text_of


def add_robots(files: Files, config: MkDocsConfig) -> None:
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config, 'sitemap.xml')}\n"
    files.append(File.generated(config, "robots.txt", content=robots))


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def describe(page: Page, data: PageData, config: MkDocsConfig, model: Model, *, tag: Tag | None,
             image: dict) -> None:
    """Fill in the page's description and its social tags and JSON-LD (`image`: url, width, height, alt)."""
    description = _description(page, config)
    title = config.site_name if page.is_homepage else text_of(page.title)
    # Material writes page.meta's description and title into the page unescaped: hand them
    # over escaped, so that a title such as `<T> & "U"` shows as written and breaks nothing.
    page.meta["description"] = escape(description)
    if "title" in page.meta:
        page.meta["title"] = escape(text_of(page.meta["title"]))
    url = page.canonical_url or absolute_url(config, page.url)
    entry = model.by_uri.get(page.file.src_uri)
    entry = entry if entry and entry.is_post else None

    tags = [
        ("property", "og:site_name", config.site_name),
        ("property", "og:type", "article" if entry else "website"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:image", image["url"]),
        ("property", "og:image:width", str(image["width"])),
        ("property", "og:image:height", str(image["height"])),
        ("property", "og:image:alt", image["alt"]),
    ]
    found = None
    if entry:
        tags.append(("property", "article:published_time", entry.date.isoformat()))
        if entry.updated:
            tags.append(("property", "article:modified_time", entry.updated.isoformat()))
        tags += [("property", "article:tag", name) for name in entry.tags]
        found = _blog_posting(entry, page, config, url, image["url"])
    elif tag:
        found = _collection_page(title, description, url, model.tagged(tag), config)
    tags += [
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image["url"]),
        ("name", "twitter:image:alt", image["alt"]),
    ]
    data.social = tags
    data.json_ld = json_ld(found) if found else None


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json">: nothing in it can close the element.
    Written once per distinct data (marshal's bytes of it: equal bytes, equal data in equal
    order), as most pages' data is the same from one rebuild of the preview to the next."""
    try:
        key = marshal.dumps(data)
    except ValueError:  # not plain data: written as it is
        return _json_ld(data)
    return _json_ld_of(key)


@functools.lru_cache(maxsize=8192)
def _json_ld_of(key: bytes) -> Markup:
    return _json_ld(marshal.loads(key))


def _json_ld(data: dict) -> Markup:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def _description(page: Page, config: MkDocsConfig) -> str:
    text = text_of(page.meta.get("description") or "").strip()
    if isinstance(page, View):  # the blog's index, its archive, and their further pages
        original = page.pages[0] if page.pages else page
        if not text and isinstance(original, Archive):
            text = f"Every post published on {config.site_name} in {original.name}, newest first."
        if not text and isinstance(original, Profile):
            text = f"Every post by {text_of(original.name)} on {config.site_name}."
        if page.pages and page is not original:
            text = f"{text or config.site_description} Page {place_in_view(page) + 1} of {len(page.pages)}."
    return text or config.site_description


def _absolute(config: MkDocsConfig, url: str) -> str:
    """An author's link as JSON-LD wants it: an https: address as it is; their page on this site
    (the blog's author profiles) or another path here, under site_url."""
    return url if urlsplit(url).scheme else absolute_url(config, url)


def _blog_posting(entry: Entry, page: Page, config: MkDocsConfig, url: str, image: str) -> dict:
    authors = [
        {"@type": "Person", "name": text_of(author.name),
         **({"url": _absolute(config, author.url)} if author.url else {})}
        for author in getattr(page, "authors", [])
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": entry.title,
        "description": entry.description,
        "datePublished": entry.date.isoformat(),
        "dateModified": (entry.updated or entry.date).isoformat(),
        "author": authors or [{"@type": "Organization", "name": config.site_author or config.site_name}],
        "keywords": list(entry.tags),
        "url": url,
        "image": image,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "publisher": {"@type": "Organization", "name": config.site_name, "url": config.site_url},
        "inLanguage": config.theme.get("language") or "en",
    }


def _collection_page(title: str, description: str, url: str, tagged: list[Entry], config) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": title,
        "description": description,
        "url": url,
        "isPartOf": {"@type": "WebSite", "name": config.site_name, "url": config.site_url},
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(tagged),
            "itemListElement": [
                {"@type": "ListItem", "position": n, "url": absolute_url(config, e.file.url), "name": e.title}
                for n, e in enumerate(tagged, start=1)
            ],
        },
    }
