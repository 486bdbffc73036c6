"""The Content-Security-Policy: a <meta> first in <head> that allows, by hash, only the inline
scripts of the theme's own templates, never an author's."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig

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


def policy(env: Environment, config: MkDocsConfig, extra: list[str] = ()) -> str:
    """This build's policy, the same on every page: the theme's inline scripts hashed (and
    `extra` hashes: the preview's reload script)."""
    hashes = list(extra)
    for name in sorted(env.list_templates(filter_func=lambda n: n.startswith(SCRIPT_PARTIALS))):
        if not INCLUDED_WHEN.get(name.removeprefix(SCRIPT_PARTIALS), lambda _: True)(config):
            continue
        output = env.get_template(name).render(
            config=config, features=_features(config), base_url=config.extra["scope"]
        )
        hashes += [script_hash(body) for body in executable_scripts(output)]
    return content_security_policy(sorted(set(hashes)))


def fixed_scope(config: MkDocsConfig) -> None:
    """Material's first inline script names the site's root relative to each page, so its text
    (and hash) would differ per depth. A fixed root, the path of site_url, makes it one script."""
    config.extra.setdefault("scope", urlsplit(config.site_url or "/").path or "/")


def with_policy(output: str, csp: str) -> str:
    return output.replace("<head>", f'<head>\n    <meta http-equiv="Content-Security-Policy" content="{csp}">', 1)


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
