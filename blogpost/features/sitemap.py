"""sitemap.xml's dates: each page's `<lastmod>` from its content, never from the build's clock, and
sitemap.xml.gz written so that two builds of one commit give the same bytes.

A page's date is its `updated`, else its `date` (front matter). A list is as new as the newest
change among what it shows: a view of the blog (its index, an archive, each further page of
them) the posts on that page; a tag page every entry carrying the tag; a page with list markers
the posts `<!-- latest-posts -->` shows, and every entry for `<!-- tag-list -->` and
`<!-- tag-index -->`, whose counts change with each one. A page with neither has no date, and
its `<url>` no `<lastmod>`. Dates are written as days (YYYY-MM-DD) in the site's timezone, as
the site shows them.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from material.plugins.blog.structure import Archive, Category, Profile, View
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from blogpost.features.listings import MARKER, place_in_view
from blogpost.model import Entry, Model, Tag, to_datetime

SITEMAP = "sitemap.xml"
# The blog plugin's options for the pagination of each kind of view (None: its `pagination_*`).
_VIEW_OPTIONS = ((Archive, "archive_"), (Category, "categories_"), (Profile, "authors_profiles_"))
_LASTMOD = re.compile(rb"<lastmod>(\d{4}-\d{2}-\d{2})</lastmod>")


def lastmod(page: Page, markdown: str, model: Model, tz: ZoneInfo, config: MkDocsConfig, *,
            tag: Tag | None, latest: int) -> str | None:
    """The page's date for the sitemap (YYYY-MM-DD in `tz`), or None when it has none.
    `markdown` is the page's source, its list markers not yet expanded."""
    moments = [_changed(page.meta, tz)]
    if isinstance(page, View):
        shown = _on_view(page, config)
        moments += [_entry_changed(model.by_uri[post.file.src_uri]) if post.file.src_uri in model.by_uri
                     else _changed(post.meta, tz) for post in shown]
    if tag is not None:
        moments.append(_newest(model, f"tag:{tag.name}", model.tagged(tag)))
    listed = _listed(markdown, model, latest)
    if listed:
        moments.append(_newest(model, f"listed:{listed[0]}:{latest}", listed[1]))
    found = [moment for moment in moments if moment is not None]
    return max(found).astimezone(tz).date().isoformat() if found else None


def repeatable_gzip(site_dir: str) -> None:
    """Write sitemap.xml.gz again from sitemap.xml. MkDocs stamps the gzip header with the build's
    date (or SOURCE_DATE_EPOCH); this one carries the sitemap's newest `<lastmod>` (0, "no time",
    when there is none), so the file changes only when the content does."""
    xml = Path(site_dir, SITEMAP)
    if not xml.is_file():
        return
    data = xml.read_bytes()
    dates = _LASTMOD.findall(data)
    newest = dt.datetime.fromisoformat(max(dates).decode()).replace(tzinfo=dt.timezone.utc) if dates else None
    with Path(site_dir, SITEMAP + ".gz").open("wb") as out:
        # The header names the file as MkDocs' does; compresslevel 9 is gzip's default, and MkDocs'.
        with gzip.GzipFile(filename=SITEMAP, mode="wb", fileobj=out,
                           mtime=int(newest.timestamp()) if newest else 0) as packed:
            packed.write(data)


def _changed(meta: dict, tz: ZoneInfo) -> dt.datetime | None:
    """When a page last changed, by its front matter: `updated`, else `date`."""
    return to_datetime(meta.get("updated"), tz) or to_datetime(meta.get("date"), tz)


def _entry_changed(entry: Entry) -> dt.datetime | None:
    moment = entry.updated or entry.date
    return None if moment.replace(tzinfo=None) == dt.datetime.min else moment  # the model's "no date"


def _on_view(view: View, config: MkDocsConfig) -> list:
    """The posts a view of the blog shows: all of them, or this page's share when it is paginated
    (the blog gives a paginated view the list of its pages, this one included)."""
    if not view.pages:
        return view.posts
    blog = config.plugins.get("material/blog")
    options = blog.config if blog else {}
    step = options.get("pagination_per_page") or len(view.posts) or 1
    for kind, prefix in _VIEW_OPTIONS:
        if isinstance(view, kind) and options.get(prefix + "pagination_per_page") is not None:
            step = options[prefix + "pagination_per_page"]
            break
    at = place_in_view(view)
    return view.posts[at * step: at * step + step]


def _listed(markdown: str, model: Model, latest: int) -> tuple[str, Iterable[Entry]] | None:
    """The entries an authored page's list markers show, named: the newest posts, or (through
    the counts beside each tag, or the guides' review dates) every entry."""
    kinds = {match.group(1) for match in MARKER.finditer(markdown)} if "<!--" in markdown else set()
    if kinds & {"tag-list", "tag-index", "guides"}:
        return "all", model.entries
    if "latest-posts" in kinds:
        return "latest", model.latest(latest)
    return None


def _newest(model: Model, name: str, entries: Iterable[Entry]) -> dt.datetime | None:
    """The newest change among entries, found once per build by name: every page of one tag,
    and every page listing all entries, asks the same."""
    key = f"sitemap:{name}"
    if key not in model.made:
        model.made[key] = max(filter(None, map(_entry_changed, entries)), default=None)
    return model.made[key]
