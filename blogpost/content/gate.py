"""The gate every page passes before any other plugin reads it: each source is checked, each valid
page is published or held back (draft, scheduled), and every address is claimed once. All the
problems of a build are reported together; a page held back leaves the build here."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from blogpost.content.addresses import Former, alias_problems, claim_aliases, duplicates, url_of
from blogpost.content.problems import Problem, report
from blogpost.content.publication import prune_nav, publication
from blogpost.content.source import check_source, load_authors
from blogpost.layout import Layout


@dataclass
class Held:
    """Pages not published in this build but kept, marked, in the preview: src_uri -> (why, date)."""

    pages: dict[str, tuple[str, dt.date | None]] = field(default_factory=dict)


def check_pages(
    files: Files, config: MkDocsConfig, *, layout: Layout, tags: list[str], tz: ZoneInfo, serving: bool
) -> Held:
    """Check every authored page; remove unpublished ones from `files` unless previewing."""
    root = project_root(config)
    authors = load_authors(config.docs_dir, layout.authors_file)
    now = dt.datetime.now(tz)
    held = Held()
    problems: list[Problem] = []
    urls: dict[str, list[tuple[str, int, str | None]]] = {}
    former: Former = {}
    for file in list(files.documentation_pages(inclusion=lambda _: True)):
        if file.generated_by or not file.abs_src_path:
            continue
        path = relative(root, file.abs_src_path)
        kind = layout.kind_of(file.src_uri)
        checked = check_source(path, Path(file.abs_src_path).read_bytes(), kind=kind, tags=tags, authors=authors, now=now)
        problems += checked.problems
        meta = checked.meta
        if checked.problems or meta is None:
            continue
        why = publication(meta, now, tz) if kind else None
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
    if problems:
        raise report(problems, "the content")
    return held


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which problems name files relative to."""
    return Path(config.config_file_path or ".").resolve().parent


def relative(root: Path, abs_src_path: str) -> str:
    """A source file as authors see it: relative to the project folder, with forward slashes."""
    return os.path.relpath(abs_src_path, root).replace(os.sep, "/")
