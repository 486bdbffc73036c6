"""Links, anchors and images, checked on what MkDocs rendered: each `<a href>` and `<img src>`
of a page's HTML leads to a page or file of this build, and each `#anchor` to an id on its page.

Each problem is found again in the page's Markdown source, for its line (front matter counted)
and the link as the author wrote it, with the nearest existing page, file or anchor suggested.
Links to a page the gate left out for its own problems are not reported (that page's problems
are); links to a draft or scheduled page are, as such. Absolute links (`/x`) are left to MkDocs'
own `validation: links: absolute_links`, and so are Markdown links to an address rather than
a file (`../tags/`), which MkDocs reports as unrecognized."""

from __future__ import annotations

import difflib
import functools
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from blogpost.content.executable import MD_LINK, line_finder, mask_code
from blogpost.content.problems import Problem
from blogpost.content.source import decode

_HTML_URL = re.compile(r"""\b(?:href|src)[ \t]*=[ \t]*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>=`]+))""", re.I)
_IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".svg")


@dataclass(frozen=True)
class Seen:
    """What one page's rendered HTML holds: its ids in order, and its links and images."""

    ids: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # ("link" or "image", the URL as the HTML has it)
    id_set: frozenset[str] = frozenset()


def seen(body) -> Seen:
    """The ids, links and images of a page's HTML, parsed (allowlist.body_of) once for all checks."""
    ids, links = [], []
    if body is None:
        return Seen((), ())
    for node in body.css("[id], a[name], a[href], img[src]"):
        attributes = node.attributes
        for name in ("id", "name") if node.tag == "a" else ("id",):
            if attributes.get(name):
                ids.append(attributes[name])
        if node.tag == "a" and attributes.get("href") is not None:
            links.append(("link", attributes["href"]))
        elif node.tag == "img" and attributes.get("src") is not None:
            links.append(("image", attributes["src"]))
    return Seen(tuple(dict.fromkeys(ids)), tuple(links), frozenset(ids))


class Build:
    """What a build publishes, by address, and what the gate left out: the world links are checked in."""

    def __init__(self, files: Files, pages: dict[str, Seen], *, left_out: dict[str, tuple[str, str]],
                 withheld: set[str]) -> None:
        self.by_dest = {file.dest_uri: file for file in files}
        self.pages = pages  # src_uri -> what its HTML holds
        self.documents = [file.src_uri for file in files if file.is_documentation_page()]
        self.images = [file.src_uri for file in files
                       if not file.is_documentation_page() and file.src_uri.lower().endswith(_IMAGE_TYPES)]
        self.left_out = left_out
        self.withheld = withheld

    def target(self, dest_uri: str, url: str) -> tuple[File | None, str]:
        """(the file a relative URL on the page at dest_uri leads to, or None; the URL's anchor),
        resolved as a browser resolves it (a few string operations: pages hold many links)."""
        candidates, anchor = _candidates(dest_uri, url)
        for candidate in candidates:
            if (found := self.by_dest.get(candidate)) is not None:
                return found, anchor
        return None, anchor


@functools.lru_cache(maxsize=1 << 16)
def _candidates(dest_uri: str, url: str) -> tuple[tuple[str, ...], str]:
    """(the output paths a relative URL on the page at dest_uri can mean, first match wins; the
    URL's anchor): a function of the two texts, found once for the many pages and rebuilds
    that hold the same link."""
    path, _, anchor = url.partition("#")
    path = path.partition("?")[0]
    anchor = unquote(anchor)
    if not path:
        return (dest_uri,), anchor
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(dest_uri), unquote(path)))
    if joined == ".." or joined.startswith("../"):
        return (), anchor
    joined = "" if joined == "." else joined
    candidates = [] if path.endswith("/") or not joined else [joined]  # a folder: its index.html
    candidates.append(posixpath.join(joined, "index.html"))
    return tuple(candidates), anchor


def problems(file: File, found: Seen, build: Build, *, path: str) -> list[Problem]:
    """Every link, image and anchor of one page that leads nowhere."""
    source = _Source(file)
    out = []
    for kind, url in found.links:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("/", "\\")) or not (parts.path or parts.fragment):
            continue
        target, anchor = build.target(file.dest_uri, url)
        if target is None:
            line, written, markdown = source.written(url) or (source.line_of(url, unquote(url)), url, False)
            meant = _target_uri(file.src_uri, urlsplit(written).path or parts.path)
            if meant in build.withheld or (markdown and "." not in posixpath.basename(parts.path)):
                continue  # the page's own problems are reported; MkDocs reports an unrecognized link
            out.append(Problem(path, line, f"{kind} {written!r}", _missing(kind, meant, file.src_uri, build, anchor)))
        elif anchor and target.src_uri in build.pages and anchor not in build.pages[target.src_uri].id_set:
            line, shown = source.linked(url, file.src_uri, target.src_uri, anchor)
            ids = build.pages[target.src_uri].ids
            where = "on this page" if target.src_uri == file.src_uri else f"in {target.src_uri!r}"
            near = difflib.get_close_matches(anchor, ids, n=1, cutoff=0.6)
            hint = f"did you mean '#{near[0]}'?" if near else "its table of contents lists its anchors"
            out.append(Problem(path, line, f"{kind} {shown!r}", f"no such anchor {where} ({hint})"))
    return out


def _missing(kind: str, meant: str, here: str, build: Build, anchor: str) -> str:
    """What is wrong with a link to a file that is not in the build, and the nearest one that is."""
    if meant in build.left_out:
        why, shown = build.left_out[meant]
        state = "a draft" if why == "draft" else "scheduled"
        return f"{shown} is {state}, left out of this build (link to it once it is published)"
    choices = build.images if kind == "image" else build.documents
    near = _nearest(meant, choices)
    what = "no file" if kind == "image" else "no page"
    if near:
        suggestion = get_relative_url(near, here) + (f"#{anchor}" if anchor else "")
        return f"{what} at {meant!r} (did you mean {suggestion!r}?)"
    hint = ("copy the image into docs/ and link it relative to this page" if kind == "image"
            else "link to the page's Markdown file, relative to this one")
    return f"{what} at {meant!r} ({hint})"


def _nearest(meant: str, choices: list[str]) -> str | None:
    """The file an author most likely meant: a close name, in the nearest folder. The name must
    be close on its own, so that a shared folder does not make any file look near."""
    name = posixpath.basename(meant)
    near = [choice for choice in choices
            if difflib.SequenceMatcher(None, name, posixpath.basename(choice)).ratio() >= 0.7]
    found = difflib.get_close_matches(meant, near, n=1, cutoff=0)
    return found[0] if found else None


def _target_uri(src_uri: str, path: str) -> str:
    """The docs file a relative path written in src_uri names, as MkDocs resolves it."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(path))).lstrip("/")


class _Source:
    """A page's Markdown, read when a problem needs its line: each link as written, with its line."""

    def __init__(self, file: File) -> None:
        self.file = file
        self._links: list[tuple[int, str, bool]] | None = None
        self._text = ""

    @property
    def links(self) -> list[tuple[int, str, bool]]:
        """(line, link, whether it is a Markdown link) of each link in the source, in order."""
        if self._links is None:
            self._links = []
            if self.file.abs_src_path and not self.file.generated_by:
                self._text = decode(Path(self.file.abs_src_path).read_bytes())
                masked = mask_code(self._text)
                line_of = line_finder(masked, 1)
                found = [(m.start(), next(g for g in m.groups() if g is not None), pattern is MD_LINK)
                         for pattern in (MD_LINK, _HTML_URL) for m in pattern.finditer(masked)]
                self._links = [(line_of(at), html.unescape(url), markdown) for at, url, markdown in sorted(found)]
        return self._links

    def written(self, url: str) -> tuple[int, str, bool] | None:
        """(line, link, Markdown or not) where the source writes this URL as it is: a link MkDocs
        left alone."""
        return next((found for found in self.links if found[1] == url), None)

    def linked(self, url: str, here: str, target: str, anchor: str) -> tuple[int, str]:
        """(line, link as written) of a link to `target`'s `anchor`, which MkDocs rewrote."""
        if found := self.written(url):
            return found[:2]
        for line, link, _ in self.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or unquote(parts.fragment) != anchor:
                continue
            if (_target_uri(here, parts.path) if parts.path else here) == target:
                return line, link
        return self.line_of(f"#{anchor}"), url

    def line_of(self, *texts: str) -> int:
        """The line where the first of these texts found in the source occurs (else 1): for a
        link the link patterns do not read as written (a space in `<...>`, say)."""
        self.links  # reads the source
        for text in texts:
            at = self._text.find(text) if text else -1
            if at >= 0:
                return self._text.count("\n", 0, at) + 1
        return 1
