"""What is published: a valid page is a draft, scheduled (dated in the future, in the site's
timezone) or published. Unpublished pages leave the build (and its navigation) before any other
stage sees them; `mkdocs serve` keeps them, marked."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

from mkdocs.config.defaults import MkDocsConfig

from blogpost.text import human_date


def publication(meta: dict, now: dt.datetime, tz: ZoneInfo) -> str | None:
    """Why a valid page is not published yet: 'draft', 'scheduled', or None when it is."""
    if meta.get("draft") is True:
        return "draft"
    date = meta.get("date")
    if isinstance(date, dt.date):
        moment = date if isinstance(date, dt.datetime) else dt.datetime.combine(date, dt.time(), tzinfo=tz)
        if moment > now:
            return "scheduled"
    return None


def prune_nav(config: MkDocsConfig, src_uri: str) -> None:
    """An unpublished page leaves the navigation too, so the nav does not point at nothing."""

    def keep(item) -> bool:
        target = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if isinstance(target, list):
            target[:] = [child for child in target if keep(child)]
            return bool(target)
        return target != src_uri

    if isinstance(config.nav, list):
        config.nav[:] = [item for item in config.nav if keep(item)]


def marked(content: str, why: str, date: dt.date | None) -> str:
    """A page's HTML with the preview's notice that it is not published, under its title."""
    if why == "draft":
        title, text = "Draft", "draft: true — `make build` leaves this page out until you remove it."
    else:
        when = human_date(dt.datetime.combine(date, dt.time()) if not isinstance(date, dt.datetime) else date)
        title, text = "Scheduled", f"Dated {when}: the first build on or after that day publishes it."
    marker = (
        f'<div class="admonition warning" data-unpublished="{why}"><p class="admonition-title">'
        f"{title} — not published</p><p>{html.escape(text)}</p></div>"
    )
    head, h1, rest = content.partition("</h1>")
    return head + h1 + marker + rest if h1 else marker + content


def summary(model, held, *, serving: bool) -> str:
    """The line that ends every build: what was published, and what was left out, with its files
    (under `mkdocs serve`, what the preview shows that a build would leave out)."""
    kept = held.left_out if serving else {}
    posts = sum(1 for entry in model.posts if entry.file.src_uri not in kept)
    guides = sum(1 for entry in model.entries if not entry.is_post and entry.file.src_uri not in kept)
    line = f"{'Previewing' if serving else 'Published'} {_count(posts, 'post')} and {_count(guides, 'guide page')}"
    groups: dict[str, list[str]] = {}
    for why, path in sorted(held.left_out.values(), key=lambda item: item[1]):
        groups.setdefault(why, []).append(path)
    if groups:
        line += "; shown in the preview only: " if serving else "; left out: "
        line += ", ".join(f"{_count(len(paths), why)} ({', '.join(paths)})"
                          for why, paths in sorted(groups.items()))
    return line


def _count(n: int, noun: str) -> str:
    plural = "" if n == 1 or noun == "scheduled" else "s"
    return f"{n} {noun}{plural}"
