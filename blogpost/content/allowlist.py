"""What HTML an author's page may render to: an allow-list of elements, attributes and URLs,
checked on the HTML as a browser parses it (Lexbor, an HTML5-conformant parser, via selectolax).

Anything else fails the build. The list is what the site's Markdown and its extensions produce,
plus the few tags authors write by hand; it holds nothing that runs code, navigates by itself,
or loads anything from another host: resources (images) come from this site only, links may
go anywhere on the web but only by http(s) or mailto.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

# Elements, and the attributes each may carry besides GLOBAL ones.
ELEMENTS: dict[str, frozenset[str]] = {name: frozenset(attrs) for name, attrs in {
    # Text
    "a": ("href", "rel", "target", "hreflang"), "abbr": (), "b": (), "br": (), "cite": (), "code": (),
    "del": ("cite", "datetime"), "dfn": (), "em": (), "i": (), "ins": ("cite", "datetime"), "kbd": (),
    "mark": (), "q": ("cite",), "s": (), "samp": (), "small": (), "span": (), "strong": (), "sub": (),
    "sup": (), "time": ("datetime",), "u": (), "var": (), "wbr": (),
    # Blocks
    "p": (), "div": (), "blockquote": ("cite",), "pre": (), "hr": (), "h1": (), "h2": (), "h3": (),
    "h4": (), "h5": (), "h6": (), "ul": (), "ol": ("start", "type", "reversed"), "li": ("value",),
    "dl": (), "dt": (), "dd": (), "figure": (), "figcaption": (), "details": ("open",), "summary": (),
    # Tables (Markdown's tables align cells with a style attribute: see STYLE)
    "table": (), "caption": (), "colgroup": ("span",), "col": ("span",), "thead": (), "tbody": (),
    "tfoot": (), "tr": (), "th": ("colspan", "rowspan", "scope", "align", "style"),
    "td": ("colspan", "rowspan", "align", "style"),
    # Images, from this site
    "img": ("src", "alt", "width", "height", "loading", "decoding"),
    # Task lists (pymdownx.tasklist): a disabled checkbox in a label
    "label": (), "input": ("type", "checked", "disabled"),
}.items()}
GLOBAL = frozenset({"id", "class", "title", "lang", "dir"})
# Attributes whose value is a URL a browser follows only when the reader clicks, and those it fetches.
LINKS = frozenset({"href", "cite"})
RESOURCES = frozenset({"src"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE = re.compile(r"text-align:\s*(left|right|center);?")
TARGETS = frozenset({"_blank", "_self"})
# A URL's scheme, as a browser finds it once tabs and newlines are removed (WHATWG URL).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


@dataclass(frozen=True)
class Finding:
    """Something outside the allow-list: what, and a text to look for in the source (for its line)."""

    message: str
    needle: str


def body_of(html: str):
    """An HTML fragment parsed as the body of a page, as a browser parses it."""
    return LexborHTMLParser(f"<!DOCTYPE html><html><head></head><body>{html}</body></html>").body


def check(html: str, body=None) -> list[Finding]:
    """Everything in an HTML fragment (as the body of a page) that the allow-list does not allow;
    `body`: the fragment already parsed with body_of()."""
    if not html.strip():
        return []
    body = body_of(html) if body is None else body
    if body is None:
        return [Finding("the HTML could not be read", "")]
    found: list[Finding] = []
    for node in body.traverse(include_text=False):
        name = node.tag
        if name in ("body", "-comment"):
            continue
        if name not in ELEMENTS:
            found.append(Finding(f"<{name}> is not allowed ({_ELEMENT_HINT})", f"<{name}"))
            continue  # its attributes and (for raw-text elements) its insides are moot
        for attribute, value in node.attributes.items():
            found += _attribute(name, attribute, value or "")
    return found


_ELEMENT_HINT = "write Markdown; the HTML an author may use is listed in AUTHORING.md"


def _attribute(element: str, attribute: str, value: str) -> list[Finding]:
    needle = f"{attribute}="
    if attribute not in GLOBAL and attribute not in ELEMENTS[element]:
        hint = "event handlers run code" if attribute.startswith("on") else "not on the allow-list"
        return [Finding(f"the {attribute}= attribute of <{element}> is not allowed ({hint})", needle)]
    if attribute == "title" and "<" in value:
        return [Finding(f"the title of <{element}> holds '<', which tooltips would show as markup "
                        "(write it as plain text)", value[:40])]
    if attribute == "style" and not STYLE.fullmatch(value.strip()):
        return [Finding(f"style={value[:40]!r} on <{element}> is not allowed (only table alignment)", "style=")]
    if attribute == "target" and value.lower() not in TARGETS:
        return [Finding(f"target={value!r} on <{element}> is not allowed (use _blank or nothing)", "target=")]
    if attribute == "type" and element == "input" and value.lower() != "checkbox":
        return [Finding(f"<input type={value!r}> is not allowed (only task-list checkboxes)", "<input")]
    if attribute in LINKS:
        scheme = url_scheme(value)
        if scheme is not None and scheme not in LINK_SCHEMES:
            return [Finding(f"a {scheme}: URL in <{element}> is not allowed "
                            "(link to a page, or to an http(s) or mailto address)", value.strip()[:40] or needle)]
    if attribute in RESOURCES and not same_site(value):
        return [Finding(f"<{element}> loads {value.strip()[:60]!r} from another host or scheme "
                        "(the site makes no request to other hosts: copy the file into docs/)",
                        value.strip()[:40] or needle)]
    return []


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in an attribute's (already decoded) URL, lowercased; None if relative."""
    match = _SCHEME.match(_as_browsers_read(url))
    return match.group(1).lower() if match else None


def same_site(url: str) -> bool:
    """A relative URL that stays on this host: no scheme, and not '//host' (browsers read '\\' as '/')."""
    cleaned = _as_browsers_read(url)
    return _SCHEME.match(cleaned) is None and not cleaned.replace("\\", "/").startswith("//")


def _as_browsers_read(url: str) -> str:
    """Tabs and newlines removed, C0 controls and spaces stripped from both ends (WHATWG URL)."""
    return _TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE)
