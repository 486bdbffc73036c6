"""The address each page will have, computed before the blog plugin reads any page, so that two
pages claiming one URL, or a former address (`aliases`) that a page has now, are reported with
the rest of the content's problems."""

from __future__ import annotations

import datetime as dt

from pathlib import Path

from babel.dates import format_datetime
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from blogpost.content.problems import Problem

# docs/.urls.txt: every address the site publishes, one site-relative path a line, sorted; the
# home page, whose path is empty, as "./". Kept by `make urls` (scripts/urls.py) and `make post`,
# checked by tests/test_urls.py: an address once published keeps leading somewhere.
URL_LIST = ".urls.txt"
HOME = "./"


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


# A former address: former address -> (path, line, the address of the page that lists it) for each.
Former = dict[str, list[tuple[str, int, str]]]


def claim_aliases(former: Former, meta: dict, lines: dict, *, path: str, url: str, kind: str | None) -> list[Problem]:
    """Note the former addresses a page lists (`aliases`, as the schema has checked them) in
    `former`; a page the schema does not cover (neither a post nor a guide page) may list none."""
    if "aliases" not in meta:
        return []
    if kind is None:
        return [Problem(path, lines.get("aliases", 1), "aliases", (
            "only posts and guide pages list former addresses (remove the field)"))]
    for at, alias in enumerate(meta["aliases"] or ()):
        line = lines.get(("aliases", at)) or lines.get("aliases") or 1
        former.setdefault(alias, []).append((path, line, url))
    return []


def alias_problems(former: Former, urls: dict[str, list[tuple[str, int, str | None]]]) -> list[Problem]:
    """Every former address that is a page's own address now, or that two pages list."""
    problems = []
    for alias, where in former.items():
        for path, line, own in where:
            if alias == own:
                problems.append(Problem(path, line, "aliases", (
                    f"/{alias} is this page's own address (list only the addresses it had before)")))
            elif alias in urls:
                problems.append(Problem(path, line, "aliases", (
                    f"/{alias} is the address of {urls[alias][0][0]} (an address is a page's or a "
                    "former one, not both: remove it here)")))
        for path, line, _ in where[1:]:
            problems.append(Problem(path, line, "aliases", (
                f"/{alias} is also a former address of {where[0][0]} (an old address leads to one "
                "page: keep it in one of them)")))
    return problems


def duplicates(urls: dict[str, list[tuple[str, int, str | None]]]) -> list[Problem]:
    """Every page after the first that claims an address: (path, line, kind) by URL."""
    problems = []
    for url, where in urls.items():
        for path, line, kind in where[1:]:
            hint = "give one of them its own slug: in the front matter" if kind == "post" else "rename or move one of them"
            problems.append(Problem(path, line, "url", f"/{url} is also the address of {where[0][0]} ({hint})"))
    return problems


def read_url_list(docs_dir: str | Path) -> list[str]:
    """The addresses docs/.urls.txt lists (site-relative, "" for home); none when it is missing."""
    path = Path(docs_dir, URL_LIST)
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return ["" if line.strip() == HOME else line.strip() for line in lines if line.strip()]


def write_url_list(docs_dir: str | Path, urls: list[str] | set[str]) -> None:
    """docs/.urls.txt with these addresses, each once, sorted."""
    lines = sorted({HOME if url == "" else url for url in urls})
    Path(docs_dir, URL_LIST).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
