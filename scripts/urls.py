"""Rewrite docs/.urls.txt, the list of every address the site has published: `make urls`.

Builds the site into a temporary folder and lists every HTML page the build produced (not
404.html, not the redirect pages of former addresses), and keeps every address already listed
that the build still answers: with a redirect page (the address is in a page's `aliases:`), or
as the future address of a draft or scheduled page (`make post` lists a new post's address at
once). It prints what it adds and what it drops. An address dropped leads nowhere now: if it
was ever published, list it under `aliases:` in the page that is there now instead.

tests/test_urls.py holds every build to the list with lost(): a listed address that a clean
build no longer answers fails the tests, named.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from blogpost.content.addresses import URL_LIST, read_url_list, url_of, write_url_list
from blogpost.content.publication import publication
from blogpost.features.redirects import is_redirect
from blogpost.layout import Layout
from project import ROOT, config

NOT_PAGES = ("404.html",)  # served for any missing address: not an address of its own


def build(project: Path, out: Path) -> None:
    """`mkdocs build --strict` of the project into out; exits with the build's own message on failure."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=project, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"make urls: the build failed, so nothing was listed:\n{result.stderr}")


def served(site_dir: Path) -> tuple[set[str], set[str]]:
    """(pages, redirects): the site-relative address of every HTML page of a built site, and of
    every redirect page (a former address) in it."""
    pages, redirects = set(), set()
    for path in site_dir.rglob("*.html"):
        name = path.relative_to(site_dir).as_posix()
        if name in NOT_PAGES:
            continue
        url = name.removesuffix("index.html") if name == "index.html" or name.endswith("/index.html") else name
        head = path.read_text(encoding="utf-8", errors="replace")[:2048]
        (redirects if is_redirect(head) else pages).add(url)
    return pages, redirects


def pending(project: Path, now: dt.datetime | None = None) -> set[str]:
    """The future address of every draft and scheduled post or guide page of the project."""
    site = config(project)
    options = site.plugins["blogpost"].config
    tz = ZoneInfo(options.timezone)
    layout = Layout.of(site, guides_dir=options.guides_dir, tags_dir=options.tags_dir)
    now = now or dt.datetime.now(tz)
    docs = Path(site.docs_dir)
    found = set()
    for path in sorted(docs.rglob("*.md")):
        src_uri = path.relative_to(docs).as_posix()
        kind = layout.kind_of(src_uri)
        if kind is None or any(part.startswith(".") for part in src_uri.split("/")):
            continue
        _, meta = get_data(path.read_text(encoding="utf-8-sig"))
        if not isinstance(meta.get("date"), dt.date) or not publication(meta, now, tz):
            continue  # published, or not valid enough to have an address (the build says why)
        file = File(src_uri, site.docs_dir, site.site_dir, site.use_directory_urls)
        found.add(url_of(file, meta, site, kind))
    return found


def lost(listed: list[str], pages: set[str], redirects: set[str], unpublished: set[str]) -> list[str]:
    """The listed addresses a build no longer answers: no page, no redirect, no unpublished page."""
    return sorted(url for url in listed if url not in pages and url not in redirects and url not in unpublished)


def explain(addresses: list[str]) -> str:
    """What the tests and `make urls` say about lost addresses."""
    shown = "\n".join(f"  /{url}" for url in addresses)
    return (f"{len(addresses)} address(es) in docs/{URL_LIST} no longer lead anywhere:\n{shown}\n"
            "A page that moved lists its old address under `aliases:` in its front matter (the build "
            "then writes a redirect there). If an address was never published (a draft renamed "
            "before it went out), `make urls` drops it.")


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    docs = root / "docs"
    listed = read_url_list(docs)
    with tempfile.TemporaryDirectory(prefix="urls-") as out:
        build(root, Path(out))
        pages, redirects = served(Path(out))
    unpublished = pending(root)
    kept = {url for url in listed if url in redirects or url in unpublished}
    urls = pages | kept
    write_url_list(docs, urls)
    for url in sorted(set(listed) - urls):
        print(f"make urls: dropped /{url} (no page, redirect or unpublished page has it now)", file=sys.stderr)
    for url in sorted(urls - set(listed)):
        print(f"make urls: added /{url}", file=sys.stderr)
    print(f"docs/{URL_LIST}: {len(urls)} addresses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
