"""Reading a built page's metadata as a crawler or a link preview would."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass


def meta(tree, key: str) -> list[str]:
    """The content of every <meta property=key> or <meta name=key> in <head>, in order."""
    return [m.get("content") for m in tree.cssselect("head meta")
            if key in (m.get("property"), m.get("name"))]


def one(tree, key: str) -> str:
    values = meta(tree, key)
    assert len(values) == 1, f"{key}: expected one value, found {values}"
    return values[0]


def json_ld(tree) -> list[dict]:
    return [json.loads(s.text) for s in tree.cssselect('script[type="application/ld+json"]')]


@dataclass
class BuiltPost:
    url: str  # site-relative
    tree: object
    title: str
    published: dt.datetime
    tags: tuple[str, ...]


def built_posts(site) -> list[BuiltPost]:
    """Every page the build marks as an article (a post), newest first."""
    found = []
    for path in site.html_files:
        tree = site.tree(path)
        if meta(tree, "og:type") == ["article"]:
            found.append(BuiltPost(
                url=site.url_of(path),
                tree=tree,
                title=one(tree, "og:title"),
                published=dt.datetime.fromisoformat(one(tree, "article:published_time")),
                tags=tuple(meta(tree, "article:tag")),
            ))
    found.sort(key=lambda p: (p.published, p.title), reverse=True)  # as the blog orders them
    return found


def links(site, tree, selector: str, base: str) -> list[str]:
    """Site-relative targets of the links matched by a CSS selector on a page at `base`."""
    return [site.to_site_path(a.get("href"), base)[0] for a in tree.cssselect(selector)]
