"""The address each page will have, computed before the blog plugin reads any page, so that two
pages claiming one URL are reported with the rest of the content's problems."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_datetime
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from blogpost.content.problems import Problem


def url_of(file: File, meta: dict, config: MkDocsConfig, kind: str | None) -> str:
    """The address a page will have; for a post, computed as the blog plugin will (its slugify and date format)."""
    blog = config.plugins.get("material/blog")
    if kind != "post" or blog is None:
        return file.url
    options = blog.config
    date = meta["date"]
    if not isinstance(date, dt.datetime):
        date = dt.datetime.combine(date, dt.time())
    slug = meta.get("slug") or options.post_slugify(str(meta["title"]), options.post_slugify_separator)
    locale = (config.theme.get("language") or "en").replace("-", "_")
    path = options.post_url_format.format(
        categories="", file=file.name, slug=slug,
        date=format_datetime(date, format=options.post_url_date_format, locale=locale),
    )
    return f"{options.blog_dir.strip('/')}/{path.strip('/')}/"


def duplicates(urls: dict[str, list[tuple[str, int, str | None]]]) -> list[Problem]:
    """Every page after the first that claims an address: (path, line, kind) by URL."""
    problems = []
    for url, where in urls.items():
        for path, line, kind in where[1:]:
            hint = "give one of them its own slug: in the front matter" if kind == "post" else "rename or move one of them"
            problems.append(Problem(path, line, "url", f"/{url} is also the address of {where[0][0]} ({hint})"))
    return problems
