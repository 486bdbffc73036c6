"""The gate every page passes before any other plugin reads it: each source is checked, each valid
page is published or held back (draft, scheduled), and every address is claimed once.

Problems are collected, not raised: the build goes on, so that the links, anchors and images of
every page are checked in the same run, and the plugin reports everything at once at the end. A
page whose problems the rest of the build could not carry (unreadable front matter, a date or
author Material cannot use, unsafe HTML, a clashing address...) leaves the build here, and is
remembered, so that links to it are not reported as broken too. A page held back leaves too."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from blogpost.content.addresses import Former, alias_problems, claim_aliases, duplicates, url_of
from blogpost.content.problems import Problem, report
from blogpost.content.publication import prune_nav, publication
from blogpost.content.schema import not_plain
from blogpost.content.source import check_source, load_authors, read_source
from blogpost.layout import Layout


@dataclass
class Held:
    """What the gate found: the problems, and the pages that are not published."""

    # Kept, marked, in the preview: src_uri -> (why, date).
    pages: dict[str, tuple[str, dt.date | None]] = field(default_factory=dict)
    # Not published, and left out of a build that publishes: src_uri -> (why, the file as
    # authors name it).
    left_out: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Left out for their problems: src_uris, so that links to them are not reported too.
    withheld: set[str] = field(default_factory=set)
    # Kept in, with HTML in their source that could run code: src_uris of pages never written.
    unsafe: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


# Problems that leave a page usable by Material and every later stage: the page stays in the
# build, so that its links are checked too. Any other problem takes it out. HTML that could run
# code ("html", "link") is rendered but never written: the plugin keeps such pages in `unsafe`.
CARRIED = frozenset({"tags", "description", "html", "link"})
UNSAFE = frozenset({"html", "link"})


def check_pages(
    files: Files, config: MkDocsConfig, *, layout: Layout, tags: list[str], tz: ZoneInfo, serving: bool
) -> Held:
    """Check every authored page; remove unpublished ones from `files` unless previewing, and
    those with problems the build cannot carry."""
    root = project_root(config)
    authors = load_authors(config.docs_dir, layout.authors_file)
    now = dt.datetime.now(tz)
    held = Held()
    problems: list[Problem] = []
    urls: dict[str, list[tuple[str, int, str | None]]] = {}
    former: Former = {}
    by_path: dict[str, tuple] = {}  # path -> (file, its front matter or None)
    for file in list(files.documentation_pages(inclusion=lambda _: True)):
        if file.generated_by or not file.abs_src_path:
            continue
        path = relative(root, file.abs_src_path)
        kind = layout.kind_of(file.src_uri)
        checked = check_source(path, read_source(file.abs_src_path), kind=kind, tags=tags, authors=authors, now=now)
        problems += checked.problems
        meta = checked.meta
        by_path[path] = (file, meta)
        if meta is None or not carried(checked.problems, meta):
            continue
        why = publication(meta, now, tz) if kind else None
        if why:
            held.left_out[file.src_uri] = (why, path)
        if why and not serving:
            files.remove(file)
            prune_nav(config, file.src_uri)
            continue
        if why:
            held.pages[file.src_uri] = (why, meta.get("date"))
        lines = checked.lines or {}
        line = lines.get("slug" if "slug" in meta else "title", 1)
        url = url_of(file, meta, config, kind)
        urls.setdefault(url, []).append((path, line, kind))
        problems += claim_aliases(former, meta, lines, path=path, url=url, kind=kind)
    problems += duplicates(urls) + alias_problems(former, urls)
    for path in dict.fromkeys(problem.path for problem in problems):
        file, meta = by_path[path]
        own = [problem for problem in problems if problem.path == path]
        if any(problem.field in UNSAFE for problem in own):
            held.unsafe.add(file.src_uri)
        if (file.src_uri in held.left_out and not serving) or (meta is not None and carried(own, meta)):
            continue  # left out already as a draft, or in the build with its problems
        if file.src_uri == layout.blog_index:  # the blog cannot do without it: report now
            raise report(problems, "the content")
        files.remove(file)
        prune_nav(config, file.src_uri)
        held.pages.pop(file.src_uri, None)
        held.left_out.pop(file.src_uri, None)
        held.withheld.add(file.src_uri)
    held.problems = problems
    return held


def recheck(file, raw: bytes, config: MkDocsConfig, *, layout: Layout, tags: list[str],
            tz: ZoneInfo) -> list[Problem]:
    """One page's source (`raw`, its bytes as read) checked again as check_pages checks it, for
    the preview's quick rebuild of a page whose front matter is unchanged (its address, aliases
    and publication with it)."""
    root = project_root(config)
    authors = load_authors(config.docs_dir, layout.authors_file)
    return check_source(relative(root, file.abs_src_path), raw, kind=layout.kind_of(file.src_uri), tags=tags,
                        authors=authors, now=dt.datetime.now(tz)).problems


def due(held: Held, tz: ZoneInfo) -> bool:
    """Whether a page the gate held back as scheduled is published by now (a build would
    publish it)."""
    now = dt.datetime.now(tz)
    return any(why == "scheduled" and publication({"date": date}, now, tz) != "scheduled"
               for why, date in held.pages.values())


def carried(problems: list[Problem], meta: dict) -> bool:
    """Whether a page with these problems can stay in the build: only unknown tags or a
    description to rewrite, with values of the shape every stage expects."""
    if any(problem.field not in CARRIED for problem in problems):
        return False
    if all(problem.field in UNSAFE for problem in problems):
        return True
    tags, description = meta.get("tags"), meta.get("description")
    return (isinstance(tags, list) and bool(tags) and all(isinstance(tag, str) for tag in tags)
            and isinstance(description, str) and bool(description.strip()) and not_plain(description) is None)


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which problems name files relative to."""
    return Path(config.config_file_path or ".").resolve().parent


@functools.lru_cache(maxsize=1 << 14)
def relative(root: Path, abs_src_path: str) -> str:
    """A source file as authors see it: relative to the project folder, with forward slashes."""
    return os.path.relpath(abs_src_path, root).replace(os.sep, "/")


def named(root: Path, file) -> str:
    """A page as problems name it: its source file, or what generated it."""
    if file.abs_src_path and not file.generated_by:
        return relative(root, file.abs_src_path)
    return f"(generated) {file.src_uri}"
