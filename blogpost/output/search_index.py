"""The site's search index: marks what Pagefind indexes on each page, then runs Pagefind over the
built site after every build, `mkdocs serve` rebuilds included (there in the background, after
the pages are served: see Background).

Indexed: blog posts and authored pages (guides, the about pages); not list pages (the blog
index, archives, author pages, tag pages, any page with a listing marker) and not 404.html. Each indexed page
carries its date (as metadata and sort key) and its tags (as a filter, set by partials/tags.html);
Pagefind finds the section headings by their ids and links results to them.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

from material.plugins.blog.structure import View
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from blogpost.features.listings import is_listing
from blogpost.model import to_datetime
from blogpost.text import human_date

ARTICLE = '<article class="md-content__inner md-typeset">'
# The permalink sign after each heading is not part of the heading's text.
HEADERLINK = '<a class="headerlink"'
OUTPUT_SUBDIR = "pagefind"
# Pagefind's ready-made interfaces and highlighter: our own box and highlighter replace them.
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")


def marked(output: str, page: Page, tz: ZoneInfo, tags_dir: str) -> str:
    if not indexed(page, tags_dir) or ARTICLE not in output:
        return output
    attributes = ["data-pagefind-body"]
    date = to_datetime(page.meta.get("date"), tz)
    if date:
        attributes.append(f'data-pagefind-meta="date:{human_date(date)}"')
        attributes.append(f'data-pagefind-sort="date:{date:%Y-%m-%d}"')
    output = output.replace(ARTICLE, ARTICLE[:-1] + " " + " ".join(attributes) + ">", 1)
    return output.replace(HEADERLINK, HEADERLINK + " data-pagefind-ignore")


def indexed(page: Page, tags_dir: str) -> bool:
    """A post, a guide chapter or another authored page; never a listing."""
    # The blog plugin's own pages (index, archive, author pages) are Views; tag pages are generated.
    if isinstance(page, View) or page.file.generated_by or page.file.src_uri.startswith(tags_dir):
        return False
    return not is_listing(page.file.content_string)


def index(config: MkDocsConfig, subdir: str = OUTPUT_SUBDIR) -> None:
    """Index the built site into site/pagefind/ (a few seconds at 1000 posts)."""
    try:
        from pagefind_bin import get_executable  # the binary that the pagefind[bin] wheel ships
    except ImportError:
        raise PluginError("search index: Pagefind is not installed: pip install -r requirements.txt") from None
    command = [str(get_executable()), "--site", config.site_dir, "--output-subdir", subdir, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    problems = [line for line in (result.stdout + result.stderr).splitlines() if re.search(r"error|warn", line, re.I)]
    if result.returncode != 0 or problems:
        detail = "; ".join(problems) or result.stderr.strip() or f"exit status {result.returncode}"
        raise PluginError(f"search index: Pagefind failed on {config.site_dir}: {detail}")
    for pattern in UNUSED:
        for path in Path(config.site_dir, subdir).glob(pattern):
            path.unlink()


class Background:
    """Under `mkdocs serve`: the index is made after the build is served, so a save is not held
    up by it. Pagefind writes into a hidden folder of the site that replaces pagefind/ when done;
    an index begun before a later build started is dropped (that build makes its own). One runs
    at a time. Each finished index logs "search index of build N ready"."""

    NEXT, OLD = ".pagefind-next", ".pagefind-old"
    log = logging.getLogger("mkdocs.plugins.blogpost.search")

    def __init__(self) -> None:
        self.build = 0  # the number of the build that started last
        self.last: threading.Thread | None = None  # the index of the last build (to wait for it)
        self._one_at_a_time = threading.Lock()

    def building(self) -> None:
        self.build += 1

    def request(self, config: MkDocsConfig) -> threading.Thread:
        thread = threading.Thread(target=self._run, args=(config, self.build), daemon=True,
                                  name=f"search index of build {self.build}")
        thread.start()
        self.last = thread
        return thread

    def _run(self, config: MkDocsConfig, build: int) -> None:
        with self._one_at_a_time:
            if build != self.build:
                return
            site = Path(config.site_dir)
            shutil.rmtree(site / self.NEXT, ignore_errors=True)
            try:
                index(config, self.NEXT)
            except PluginError as error:
                self.log.error(str(error))
                return
            if build != self.build:
                shutil.rmtree(site / self.NEXT, ignore_errors=True)
                return
            shutil.rmtree(site / self.OLD, ignore_errors=True)
            if (site / OUTPUT_SUBDIR).exists():
                (site / OUTPUT_SUBDIR).rename(site / self.OLD)
            (site / self.NEXT).rename(site / OUTPUT_SUBDIR)
            shutil.rmtree(site / self.OLD, ignore_errors=True)
            self.log.info(f"search index of build {build} ready")
