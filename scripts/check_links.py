"""Check the built site's links with LinkChecker and list the broken ones by page, as Markdown.

The site is served on 127.0.0.1 as GitHub Pages serves it (static_server.py) and LinkChecker
crawls it from the home page and the sitemap: every internal link and resource. That needs no
network, and is what `make links` does. With --external, every link to another host is checked
too (the weekly links workflow): each distinct address once, a failure checked again after a
pause (--retries), and an address that worked within --max-age hours skipped (--cache).

    python scripts/check_links.py [--site DIR] [--external] [--retries N] [--cache FILE]
                                  [--max-age HOURS] [--report FILE] [--exit-zero]

Exit status: 0 when nothing is broken, 1 when a link is (0 with --exit-zero), 2 when the check
could not run. --report writes the Markdown report there, and removes the file when nothing is
broken. Links to site_url itself (canonical links, feeds) are this site's own pages: their
relative links are what is checked.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from project import ROOT, site_url
from static_server import serve

# LinkChecker paces requests to a host (at most 10 a second) unless the host's responses carry a
# "LinkChecker" header: our own server sends it, so only the local crawl goes faster.
SETTINGS = "[checking]\nmaxrequestspersecond=1000\nthreads=8\ntimeout=30\n"
LOCAL_HEADERS = {"LinkChecker": "local"}
ISSUE_LIMIT = 60_000  # characters: a GitHub issue's body holds at most 65,536
LINK_ATTRIBUTES = ("href", "src")


@dataclass(frozen=True)
class Broken:
    url: str
    result: str
    found_on: str  # the page LinkChecker found it on, when no page of the site links to it


class _Links(HTMLParser):
    """The href and src values of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.values += [value for name, value in attrs if name in LINK_ATTRIBUTES and value]


def pages_by_link(site: Path, public: str) -> dict[str, set[str]]:
    """{address without its fragment: site-relative URLs of the pages that link to it}."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        page = "" if page == "index.html" else page.removesuffix("index.html")
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        base = public if page == "404.html" else public + page  # 404.html is served anywhere
        for value in parser.values:
            url = urldefrag(urljoin(base, value.strip())).url
            if urlsplit(url).scheme in ("http", "https"):
                found[url].add(page)
    return found


@contextlib.contextmanager
def settings_file() -> Iterator[Path]:
    """LinkChecker's settings in a file of their own (a user's own linkcheckerrc is not read)."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Path(folder, "linkcheckerrc")
        settings.write_text(SETTINGS, encoding="utf-8")
        # LinkChecker run as root switches to the user nobody, who must be able to read it.
        Path(folder).chmod(0o755)
        settings.chmod(0o644)
        yield settings


def linkchecker(urls: list[str], *, external: bool, ignore: list[str], settings: Path) -> list[dict]:
    """LinkChecker's verbose CSV rows for urls (recursing only into the local site)."""
    command = [sys.executable, "-m", "linkcheck", "--config", str(settings), "--no-status", "--verbose",
               "--output", "csv/utf-8", *(f"--ignore-url={pattern}" for pattern in ignore)]
    if external:
        command += ["--check-extern", "--recursion-level", "0", "--stdin"]
    else:
        command += urls
    result = subprocess.run(command, input="\n".join(urls) if external else None,
                            capture_output=True, text=True, encoding="utf-8", timeout=3600)
    if result.returncode not in (0, 1):  # 1: something is broken; 2 and more: LinkChecker failed
        raise RuntimeError(f"LinkChecker failed (exit status {result.returncode}): {result.stderr.strip()[-2000:]}")
    rows = [row for row in csv.reader(io.StringIO(result.stdout), delimiter=";")
            if row and not (len(row) == 1 and row[0].startswith("#"))]
    if not rows:
        raise RuntimeError(f"LinkChecker reported nothing: {result.stderr.strip()[-2000:]}")
    header, *rest = rows
    return [dict(zip(header, row)) for row in rest]


def _failed(row: dict) -> bool:
    return row.get("valid") == "False"


def check_site(site: Path, public: str, settings: Path) -> tuple[int, list[Broken]]:
    """(internal addresses checked, the broken ones): the site crawled over HTTP on 127.0.0.1."""
    with serve(site, public, headers=LOCAL_HEADERS) as local:
        rows = linkchecker([local, local + "sitemap.xml", local + "404.html"], external=False,
                           ignore=["^" + re.escape(public)], settings=settings)
    internal = {row["url"] for row in rows if row.get("url", "").startswith(local)}
    broken = [Broken(urldefrag(row["url"]).url.replace(local, public, 1), row["result"],
                     row["parentname"].replace(local, public, 1).removeprefix(public))
              for row in rows if _failed(row)]
    return len(internal), broken


def check_external(urls: list[str], settings: Path, *, retries: int, pause: float) -> dict[str, str]:
    """{address: result} of the addresses that failed every try."""
    failing = {row["urlname"]: row["result"] for row in linkchecker(urls, external=True, ignore=[], settings=settings)
               if _failed(row)}
    for attempt in range(retries):
        if not failing:
            break
        time.sleep(pause * 2**attempt)  # a host that refused or timed out may answer later
        rows = linkchecker(sorted(failing), external=True, ignore=[], settings=settings)
        failing = {row["urlname"]: row["result"] for row in rows if _failed(row)}
    return failing


def load_cache(path: Path | None) -> dict[str, str]:
    """{address: when it last worked, ISO 8601}; empty when there is no usable cache."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {url: when for url, when in data.items() if isinstance(url, str) and isinstance(when, str)}


def fresh(cache: dict[str, str], now: dt.datetime, max_age: dt.timedelta) -> set[str]:
    found = set()
    for url, when in cache.items():
        try:
            if now - dt.datetime.fromisoformat(when) < max_age:
                found.add(url)
        except (TypeError, ValueError):
            continue
    return found


def report(broken: list[Broken], pages: dict[str, set[str]], public: str, *, when: dt.datetime,
           limit: int = ISSUE_LIMIT) -> str:
    """The broken links as Markdown, grouped by the page that holds them, at most `limit` long."""
    by_page: dict[str, dict[str, str]] = defaultdict(dict)
    for item in broken:
        for page in sorted(pages.get(item.url) or {item.found_on}):
            by_page[page][item.url] = item.result
    total = len({item.url for item in broken})
    head = (f"The link check of {when:%Y-%m-%d %H:%M} UTC found {_count(total, 'broken link')} on "
            f"{_count(len(by_page), 'page')}. `make links LINKS_ARGS=--external` runs the same check.\n")
    parts, size = [head], len(head)
    for shown, page in enumerate(sorted(by_page)):
        lines = [f"\n### [{_text(page or 'Home')}]({public}{page})\n"]
        lines += [f"- <{url}>: {_text(result)}" for url, result in sorted(by_page[page].items())]
        section = "\n".join(lines) + "\n"
        if size + len(section) > limit - 200:  # room for the closing line
            parts.append(f"\n…and the broken links of {len(by_page) - shown} more pages.\n")
            break
        parts.append(section)
        size += len(section)
    return "".join(parts)


def _text(value: str) -> str:
    """One line of plain text in Markdown: no markup, no line breaks."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", " ".join(value.split()))


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _check(args: argparse.Namespace, public: str, now: dt.datetime) -> tuple[str, list[Broken], dict]:
    """(a one-line summary, what is broken, the pages by link) of the whole check."""
    with settings_file() as settings:
        checked, broken = check_site(args.site, public, settings)
        pages = pages_by_link(args.site, public)
        outside = sorted(url for url in pages if not url.startswith(public))
        summary = f"{_count(checked, 'address', 'addresses')} on this site checked; {_count(len(outside), 'link')} to other hosts"
        if not args.external:
            return summary + " not checked (offline: --external checks them)", broken, pages
        cache = load_cache(args.cache)
        skip = fresh(cache, now, dt.timedelta(hours=args.max_age))
        to_check = [url for url in outside if url not in skip]
        failing = check_external(to_check, settings, retries=args.retries, pause=args.pause) if to_check else {}
    broken += [Broken(url, result, "") for url, result in failing.items()]
    if args.cache:
        kept = {url: when for url, when in cache.items() if url in skip and url in outside}
        kept.update({url: now.isoformat() for url in to_check if url not in failing})
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        args.cache.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return f"{summary}, {len(to_check)} checked ({len(skip & set(outside))} worked within {args.max_age:g} hours)", \
        broken, pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--external", action="store_true", help="check links to other hosts too (network)")
    parser.add_argument("--retries", type=int, default=2, help="tries again for a failing outside link")
    parser.add_argument("--pause", type=float, default=30.0, help="seconds before the first retry (doubling)")
    parser.add_argument("--cache", type=Path, help="JSON file of outside links that worked, and when")
    parser.add_argument("--max-age", type=float, default=24.0, help="hours an outside link stays checked")
    parser.add_argument("--report", type=Path, help="write the Markdown report here (removed when clean)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 when links are broken")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"check_links: no built site in {args.site} (make build)", file=sys.stderr)
        return 2
    public = site_url()
    now = dt.datetime.now(dt.timezone.utc)
    try:
        summary, broken, pages = _check(args, public, now)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as error:
        print(f"check_links: {error}", file=sys.stderr)
        return 2
    text = report(broken, pages, public, when=now) if broken else ""
    if args.report:
        if text:
            args.report.write_text(text, encoding="utf-8")
        else:
            args.report.unlink(missing_ok=True)
    print(f"Links: {summary}; {len({b.url for b in broken}) or 'none'} broken.")
    if text:
        print(text)
    return 1 if broken and not args.exit_zero else 0


if __name__ == "__main__":
    sys.exit(main())
