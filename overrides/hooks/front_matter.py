"""Checks every page before anything reads it (on_files, first): encoding, YAML, the front-matter
schema, duplicate URLs and executable HTML, raising one error that lists every problem; looks
again at the rendered HTML before anything is written (on_page_content, on_env); and decides, for
posts and guides alike, what is published: drafts and scheduled pages leave the build here, and
are shown marked in `mkdocs serve` (on_page_markdown, on_page_content)."""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

from babel.dates import format_datetime
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from authoring import check_source, decode, kind_of, load_authors, publication
from executable_html import Problem, unsafe_elements
from entries import human_date, load_vocabulary, timezone

_serving = False
_unpublished: dict[str, tuple[str, dt.date | None]] = {}  # src_uri -> (why, date); reset per build
_unsafe: list[Problem] = []  # found in rendered pages; reset per build


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


@event_priority(100)  # before the blog plugin (-50), which reads posts itself and stops at the first bad one
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    _unpublished.clear()
    _unsafe.clear()
    root = Path(config.config_file_path or ".").resolve().parent
    tags = list(load_vocabulary(config.docs_dir))
    authors = load_authors(config.docs_dir)
    tz = timezone(config)
    now = dt.datetime.now(tz)
    problems: list[Problem] = []
    urls: dict[str, list[tuple[str, int, str | None]]] = {}
    for file in list(files.documentation_pages(inclusion=lambda _: True)):
        if file.generated_by or not file.abs_src_path:
            continue
        path = os.path.relpath(file.abs_src_path, root).replace(os.sep, "/")
        kind = kind_of(file.src_uri)
        checked = check_source(path, Path(file.abs_src_path).read_bytes(), kind=kind, tags=tags, authors=authors)
        problems += checked.problems
        meta = checked.meta
        if checked.problems or meta is None:
            continue
        why = publication(meta, now, tz) if kind else None
        if why and not _serving:
            files.remove(file)
            _prune_nav(config, file.src_uri)
            continue
        if why:
            _unpublished[file.src_uri] = (why, meta.get("date"))
        line = (checked.lines or {}).get("slug" if "slug" in meta else "title", 1)
        urls.setdefault(_url_of(file, meta, config, kind), []).append((path, line, kind))
    for url, where in urls.items():
        for path, line, kind in where[1:]:
            hint = "give one of them its own slug: in the front matter" if kind == "post" else "rename or move one of them"
            problems.append(Problem(path, line, "url", f"/{url} is also the address of {where[0][0]} ({hint})"))
    if problems:
        problems.sort(key=lambda p: (p.path, p.line))
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise PluginError(f"{count} in the content:\n" + "\n".join(map(str, problems)))
    return files


def _url_of(file: File, meta: dict, config: MkDocsConfig, kind: str | None) -> str:
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


def _prune_nav(config: MkDocsConfig, src_uri: str) -> None:
    """An unpublished page leaves the navigation too, so the nav does not point at nothing."""

    def keep(item) -> bool:
        target = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if isinstance(target, list):
            target[:] = [child for child in target if keep(child)]
            return bool(target)
        return target != src_uri

    if isinstance(config.nav, list):
        config.nav[:] = [item for item in config.nav if keep(item)]


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    # In the preview, the blog index and archive mark unpublished posts too.
    if page.file.src_uri in _unpublished and hasattr(page, "config"):
        page.config.draft = True
    return markdown


def on_page_content(content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.abs_src_path and not page.file.generated_by:
        path = os.path.relpath(page.file.abs_src_path, Path(config.config_file_path or ".").resolve().parent)
        path = path.replace(os.sep, "/")
        if unsafe_elements(path, content, ""):  # rare: only then read the source for line numbers
            _unsafe.extend(unsafe_elements(path, content, decode(Path(page.file.abs_src_path).read_bytes())))
    if page.file.src_uri not in _unpublished:
        return content
    why, date = _unpublished[page.file.src_uri]
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


def on_env(env, *, config: MkDocsConfig, files: Files):
    # Every page has been rendered to HTML by now, and none has been written yet.
    if _unsafe:
        raise PluginError("executable HTML in the content:\n" + "\n".join(map(str, _unsafe)))
    return env
