"""The pages' last adjustments (on_post_page; on_post_template for 404.html): the few markup
fixes no Material block allows (Nu HTML Checker, axe-core), and a Content-Security-Policy
<meta> first in <head> that allows, by hash, only the theme's own inline scripts."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

# The theme's inline scripts live in these partials. Some are included only when a feature
# or setting turns them on (see Material's base.html); those are hashed only then.
SCRIPT_PARTIALS = "partials/javascripts/"
INCLUDED_WHEN = {
    "announce.html": lambda config: "announce.dismiss" in _features(config),
    "consent.html": lambda config: bool(config.extra.get("consent")),
    "outdated.html": lambda config: bool(config.extra.get("version")),
}

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
TYPE = re.compile(r"""(?:^|\s)type\s*=\s*["']?([^"'\s>]*)""", re.I)
SRC = re.compile(r"(?:^|\s)src\s*=", re.I)
# Types a browser runs (the HTML standard's JavaScript MIME types, modules, import maps and
# speculation rules; the last two are also subject to script-src). Anything else, such as
# application/ld+json or application/json, is data: CSP neither blocks nor needs to hash it.
EXECUTABLE_TYPES = {
    "", "module", "importmap", "speculationrules",
    "text/javascript", "application/javascript", "application/ecmascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript1.0", "text/javascript1.1",
    "text/javascript1.2", "text/javascript1.3", "text/javascript1.4", "text/javascript1.5",
    "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
}

POST_SIDEBAR = '<nav class="md-nav md-nav--primary">'

_csp = ""  # this build's policy, the same on every page; set in on_env
_preview = False  # under `mkdocs serve`: set once per process in on_startup

log = logging.getLogger("mkdocs.hooks.html_output")


def on_startup(*, command: str, dirty: bool) -> None:
    global _preview
    # The live preview reloads pages with an inline script whose text changes on every
    # request: no hash can allow it, so the preview goes without the policy.
    _preview = command == "serve"
    if _preview:
        log.info("Preview: pages have no Content-Security-Policy (live reload needs an inline script)")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Material's first inline script names the site's root relative to each page, so its text
    # (and hash) would differ per depth. A fixed root, the path of site_url, makes it one script.
    config.extra.setdefault("scope", urlsplit(config.site_url or "/").path or "/")
    return config


def on_env(env: Environment, *, config: MkDocsConfig, files) -> Environment:
    """Hash the inline scripts that the theme's own templates emit: never an author's."""
    global _csp
    hashes = []
    for name in sorted(env.list_templates(filter_func=lambda n: n.startswith(SCRIPT_PARTIALS))):
        if not INCLUDED_WHEN.get(name.removeprefix(SCRIPT_PARTIALS), lambda _: True)(config):
            continue
        output = env.get_template(name).render(
            config=config, features=_features(config), base_url=config.extra["scope"]
        )
        hashes += [script_hash(body) for body in executable_scripts(output)]
    _csp = content_security_policy(sorted(set(hashes)))
    return env


@event_priority(-100)  # last: after every other hook has changed the page
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return adjust(output)


@event_priority(-100)
def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    """404.html is a template of its own, not a page."""
    return adjust(output_content) if template_name.endswith(".html") else output_content


def adjust(output: str) -> str:
    if not _preview:
        csp = f'<meta http-equiv="Content-Security-Policy" content="{_csp}">'
        output = output.replace("<head>", "<head>\n    " + csp, 1)
    # The toggles are checkboxes: autocomplete is not allowed on them (vnu).
    output = re.sub(r'(<input class="md-toggle"[^>]*?) autocomplete="off"', r"\1", output)
    # A section's label in the navigation gets tabindex="" (vnu: not an integer).
    output = output.replace(' tabindex=""', "")
    # The table of contents' title points at a toggle that only some pages have (vnu).
    if 'id="__toc"' not in output:
        output = output.replace('<label class="md-nav__title" for="__toc">',
                                '<label class="md-nav__title">')
    # A nested navigation is named by its section's label, which holds only an icon; name it
    # by its title instead, which holds the section's name (axe: landmark-unique).
    output = re.sub(
        r'(<nav class="md-nav" data-md-level="\d+" aria-labelledby=")([^"]+)_label("[^>]*>\s*'
        r'<label class="md-nav__title" for="\2")',
        r'\1\2_title\3 id="\2_title"', output,
    )
    # A post's sidebar is a second unnamed navigation (axe: landmark-unique).
    output = output.replace(POST_SIDEBAR, POST_SIDEBAR[:-1] + ' aria-label="About this post">')
    # An excerpt's avatars and its "Continue reading" link are not navigation: as landmarks,
    # one pair per excerpt, all alike, they make a listing's landmarks indistinguishable.
    output = re.sub(r'<nav (class="md-post__(?:authors|action)\b[^"]*">.*?)</nav>', r"<div \1</div>",
                    output, flags=re.S)
    # A task list's checkbox is labelled by an empty icon; let its label hold the item's text
    # up to the first block inside the item (axe: label).
    output = re.sub(
        r'(<label class="task-list-control"><input [^>]*><span class="task-list-indicator"></span>)'
        r"</label>(.*?)(?=</li>|</p>|<ul|<ol|<p>|<div)",
        r"\1\2</label>", output, flags=re.S,
    )
    return output


def executable_scripts(html: str) -> list[str]:
    """The text of every inline script in html that a browser would run."""
    found = []
    for attributes, body in SCRIPT.findall(html):
        kind = TYPE.search(attributes)
        if SRC.search(attributes):
            continue
        if (kind[1].strip().lower() if kind else "") in EXECUTABLE_TYPES:
            found.append(body)
    return found


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(hashes: list[str]) -> str:
    return "; ".join([
        # Styles, fonts (none: system fonts), the search index and worker, and the pages that
        # instant navigation fetches all come from the site itself.
        "default-src 'self'",
        # 'wasm-unsafe-eval': the search index is queried by Pagefind's WebAssembly module
        # (pagefind/wasm.*.pagefind, our own origin); it lets a page compile WebAssembly, not
        # run eval() or inline script.
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
        # The theme's stylesheet draws its icons from data: SVG images (mask-image: url(data:…)).
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        # The search form is never submitted; nothing else may be sent off the site.
        "form-action 'self'",
    ])


def _features(config: MkDocsConfig) -> list[str]:
    return config.theme.get("features") or []
