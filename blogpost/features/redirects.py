"""Former addresses: for each address a published post or guide page lists under `aliases:`, a
small HTML file at that address that sends readers and search engines on to the page.

It is a generated file, not a page: no theme, no script, its own Content-Security-Policy (the site's
is added to pages only), `noindex`, a canonical link to the page, an immediate refresh to it (a
relative URL, so it stays on this site wherever the site is served) and a plain link for anything
that does not follow a refresh. Being no page, it is in neither sitemap.xml (the sitemap lists
pages) nor the search index (Pagefind reads only the elements marked data-pagefind-body).

The content stage has checked each alias (schema.py: a site-relative path ending with '/';
addresses.py: no page's address, claimed by one page); the path is checked again here, before it
names a file to write. An alias is also refused when a file the build generates (a tag page, a
view of the blog) is already written at that address.
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from blogpost.content.gate import project_root, relative
from blogpost.content.problems import Problem
from blogpost.content.schema import ALIAS
from blogpost.layout import Layout
from blogpost.text import absolute_url

FIELD = "aliases"
# Nothing to load: no script, style, image or form. A refresh is navigation, which CSP leaves alone.
POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'"
# How a built file is known as a redirect page (scripts/urls.py, the tests): its refresh element.
MARK = '<meta http-equiv="refresh"'


def add_redirects(files: Files, config: MkDocsConfig, layout: Layout) -> list[Problem]:
    """A redirect file for each former address of each published post and guide page; the
    problems of those it cannot write, for the build's one report."""
    taken = {file.dest_uri: file for file in files}
    problems: list[Problem] = []
    root = project_root(config)
    for file in list(files.documentation_pages(inclusion=lambda _: True)):
        kind = layout.kind_of(file.src_uri)
        if file.generated_by or kind is None or (file.inclusion.is_excluded() and kind != "post"):
            continue
        meta = _front_matter(file)
        aliases = meta.get(FIELD) or []
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            dest = f"{alias}index.html"
            path = relative(root, file.abs_src_path) if file.abs_src_path else file.src_uri
            if not isinstance(alias, str) or not re.fullmatch(ALIAS, alias):  # the gate said so already:
                problems.append(Problem(path, 1, FIELD, f"{alias!r} is not a former address on this site"))
                continue  # never a file written outside site/
            if dest in taken:
                problems.append(Problem(path, _line_of(file.content_string, alias), FIELD, (
                    f"/{alias} is the address of {taken[dest].src_uri}, which the build generates "
                    "(list only addresses that no page has now)")))
                continue
            title = str(meta.get("title") or file.name)
            page = File.generated(config, dest, content=redirect_page(config, alias, file.url, title))
            files.append(page)
            taken[dest] = page
    return problems


def redirect_page(config: MkDocsConfig, alias: str, url: str, title: str) -> str:
    """The HTML at former address `alias` for the page now at `url` (both site-relative)."""
    target = html.escape(get_relative_url(url, alias))
    name = html.escape(title)
    lang = html.escape(config.theme.get("language") or "en")
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
{MARK} content="0; url={target}">
<link rel="canonical" href="{html.escape(absolute_url(config, url))}">
<title>Moved: {name} - {html.escape(config.site_name)}</title>
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>It is now at <a href="{target}">{name}</a>.</p>
</main>
</body>
</html>
"""


def is_redirect(text: str) -> bool:
    """Whether a built HTML file is one of these redirect pages."""
    return MARK in text[:2048]


def _front_matter(file: File) -> dict:
    """A page's front matter: the blog has read each post's already; a guide page is read here,
    and only when its text names the field."""
    if file.page is not None:
        return file.page.meta
    text = file.content_string
    return get_data(text)[1] if FIELD in text else {}


def _line_of(text: str, alias: str) -> int:
    """The line of the front matter where `alias` is written (1 when it cannot be told)."""
    at = text.find(alias)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1
