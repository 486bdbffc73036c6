"""Start a new post: `make post TITLE="Vendor access reviews" TAGS="AI,Learning"`.

Writes docs/blog/posts/YYYY-MM-DD-<slug>.md (today, in the site's timezone) with front
matter checked by the same schema as the build, marked `draft: true` until the author
has written it, and prints the new file's path. Refuses unknown tags and existing files.
Adds the post's future address, computed as the blog will, to docs/.urls.txt: the list of
published addresses holds it from the start, so that tests/test_urls.py keeps it leading
somewhere once the post is out (while it is a draft, the tests accept it as pending).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.structure.files import File
from pymdownx.slugs import slugify  # the blog plugin's own default for post URLs

from blogpost.content.addresses import URL_LIST, read_url_list, url_of, write_url_list
from blogpost.content.schema import PLACEHOLDER_DESCRIPTION, nearest
from blogpost.content.source import check_source, load_authors
from blogpost.layout import Layout
from blogpost.model import load_vocabulary
from blogpost.text import markdown_text, yaml_string
from project import ROOT, config

DESCRIPTION = PLACEHOLDER_DESCRIPTION  # the build refuses it once the post is no longer a draft


def site_settings(root: Path) -> tuple[ZoneInfo, Layout]:
    """The site's timezone and content layout, from the plugins' settings in mkdocs.yml."""
    site = config(root)
    options = site.plugins["blogpost"].config
    return ZoneInfo(options.timezone), Layout.of(site, guides_dir=options.guides_dir, tags_dir=options.tags_dir)


def front_matter(title: str, date: dt.date, description: str, tags: list[str], authors: list[str],
                 *, draft: bool) -> list[str]:
    """A post's front matter block, its lines from the opening to the closing ---."""
    return [
        "---",
        f"title: {yaml_string(title)}",
        f"date: {date.isoformat()}",
        f"description: {yaml_string(description)}",
        "tags:", *[f"  - {yaml_string(tag)}" for tag in tags],
        "authors:", *[f"  - {yaml_string(author)}" for author in authors],
        *(["draft: true"] if draft else []),
        "---",
    ]


def render(title: str, date: dt.date, description: str, tags: list[str], authors: list[str]) -> str:
    lines = [
        *front_matter(title, date, description, tags, authors, draft=True),
        "",
        f"# {markdown_text(title)}",
        "",
        "The first paragraph is the excerpt shown on the blog index and archive.",
        "",
        "<!-- more -->",
        "",
        "## The rest of the post",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", default=os.environ.get("TITLE", ""))
    parser.add_argument("--tags", default=os.environ.get("TAGS", ""), help="comma-separated, from docs/.tags.yml")
    parser.add_argument("--authors", default=os.environ.get("AUTHORS", ""), help="comma-separated keys of docs/blog/.authors.yml")
    parser.add_argument("--description", default=os.environ.get("DESCRIPTION", "") or DESCRIPTION)
    parser.add_argument("--date", default=os.environ.get("DATE", ""), help="YYYY-MM-DD; today by default")
    args = parser.parse_args(argv)

    docs = root / "docs"
    tz, layout = site_settings(root)
    vocabulary = list(load_vocabulary(str(docs), layout))
    known_authors = load_authors(str(docs), layout.authors_file)
    title = " ".join(args.title.split())
    tags = [t.strip() for t in args.tags.split(",") if t.strip()]
    authors = [a.strip() for a in args.authors.split(",") if a.strip()] or known_authors[:1]
    errors = []
    if not title:
        errors.append('TITLE is required: make post TITLE="..." TAGS="AI,Learning"')
    if not tags:
        errors.append("TAGS is required: one or more of " + ", ".join(vocabulary))
    for tag in tags:
        if tag not in vocabulary:
            near = nearest(tag, vocabulary)
            hint = f"did you mean {near!r}?" if near else "known tags: " + ", ".join(vocabulary)
            errors.append(f"tags: {tag!r} is not a known tag ({hint})")
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.datetime.now(tz).date()
    except ValueError:
        errors.append(f"date: {args.date!r} is not a date (write YYYY-MM-DD)")
    if errors:
        print("\n".join(f"make post: {e}" for e in errors), file=sys.stderr)
        return 2

    slug = re.sub(r"-{2,}", "-", slugify(case="lower")(title, "-")).strip("-") or "post"
    path = docs / layout.posts_dir / f"{date.isoformat()}-{slug}.md"
    shown = path.relative_to(root).as_posix()
    text = render(title, date, args.description, tags, authors)
    checked = check_source(shown, text.encode("utf-8"), kind="post", tags=vocabulary, authors=known_authors)
    if checked.problems:
        print("\n".join(f"make post: {p}" for p in checked.problems), file=sys.stderr)
        return 2
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        print(f"make post: {shown} already exists (choose another title, or edit that post)", file=sys.stderr)
        return 1
    listed(root, f"{layout.posts_dir}{path.name}", title, date)
    print(shown)
    return 0


def listed(root: Path, src_uri: str, title: str, date: dt.date) -> None:
    """Add the new post's future address to docs/.urls.txt (when the project keeps one)."""
    site = config(root)
    if not Path(site.docs_dir, URL_LIST).is_file():
        return
    file = File(src_uri, site.docs_dir, site.site_dir, site.use_directory_urls)
    url = url_of(file, {"title": title, "date": date}, site, "post")
    write_url_list(site.docs_dir, [*read_url_list(site.docs_dir), url])


if __name__ == "__main__":
    sys.exit(main())
