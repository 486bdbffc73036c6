"""The site's search index: marks what Pagefind indexes on each page, then runs Pagefind over the
built site after every build, `mkdocs serve` rebuilds included.

Indexed: blog posts and authored pages (guides, the about pages); not list pages (the blog
index, archives, author pages, tag pages, any page with a listing marker) and not 404.html. Each indexed page
carries its date (as metadata and sort key) and its tags (as a filter, set by partials/tags.html);
Pagefind finds the section headings by their ids and links results to them.
"""

from __future__ import annotations

import re
import subprocess
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


def index(config: MkDocsConfig) -> None:
    """Index the built site into site/pagefind/ (a few seconds at 1000 posts)."""
    try:
        from pagefind_bin import get_executable  # the binary that the pagefind[bin] wheel ships
    except ImportError:
        raise PluginError("search index: Pagefind is not installed: pip install -r requirements.txt") from None
    command = [str(get_executable()), "--site", config.site_dir, "--output-subdir", OUTPUT_SUBDIR, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    problems = [line for line in (result.stdout + result.stderr).splitlines() if re.search(r"error|warn", line, re.I)]
    if result.returncode != 0 or problems:
        detail = "; ".join(problems) or result.stderr.strip() or f"exit status {result.returncode}"
        raise PluginError(f"search index: Pagefind failed on {config.site_dir}: {detail}")
    for pattern in UNUSED:
        for path in Path(config.site_dir, OUTPUT_SUBDIR).glob(pattern):
            path.unlink()
