"""Which files docs/ may hold: an allow-list of extensions by folder, no symlinks, and SVGs without
script or external references.

Every file under docs/ that is not a page is published as it is, from the site's own address, and
the Content-Security-Policy (`script-src 'self'`) trusts any script served from there. Posts arrive
as pull requests from authors the site does not trust, so docs/ holds only what this table allows:

    extension                               where under docs/      what
    .md                                     anywhere               pages (the gate checks each one)
    .png .jpg .jpeg .gif .webp .avif .ico   anywhere               images (a post may keep its own
                                                                   folder of images beside it)
    .svg                                    anywhere               images, parsed: no script, no event
                                                                   handler, no foreignObject or HTML,
                                                                   no DTD declarations, no reference
                                                                   outside the file
    .css                                    assets/stylesheets/    the site's own stylesheets
    .js                                     assets/javascripts/    the site's own scripts
    .tags.yml, blog/.authors.yml            exactly there          the tag vocabulary and the authors
                                                                   (read by the plugins, never published)
    anything else                           refused                .html/.htm/.xhtml pages (served
                                                                   without the site's checks or its
                                                                   policy), .xml/.xsl, .json, .wasm
                                                                   (`'wasm-unsafe-eval'`), .php, .pdf
                                                                   (some viewers run a PDF's scripts),
                                                                   fonts, archives, no extension...

Extensions are matched as written: MkDocs treats only `.md` as a page (`X.MD` would be copied
raw, unchecked) and GitHub Pages serves by extension, so `photo.JPG` is refused with a hint to
rename it. Non-SVG images must also start with their format's signature, so that nothing else
is served under an image's name. Every file is capped at MAX_BYTES.

Symlinks are refused wherever they point, dangling or not, file or folder, and never read through
or descended into: a link in docs/ published /proc/self/environ, .git/config and /etc files. So are
FIFOs, devices and sockets, and names with control characters (they could forge report lines).

Dot-files and dot-folders: MkDocs never publishes them (its `.*` exclusion is always on), but the
plugins read two of them. Those two are allowed; any other dot-folder is refused (nothing in it is
published, which an author putting `.well-known/` there would not expect), and so is any other
dot-file, except what an operating system or an editor leaves beside the files it shows or edits
(IGNORED): refusing those would fail an author's preview while an editor is open, for files that
are never published nor read. A symlink is refused even with a dot-name.

The known limit: the site's own folders are trusted by place. A pull request that adds a .js under
docs/assets/javascripts/ or a .css under docs/assets/stylesheets/ passes this check, and that
script would run on every page: a change to those folders is a review matter, not an author's.

`check_files` walks docs/ itself (os.scandir, never following a link), so a dangling or looping
link is one problem line, not a traceback. Call it before MkDocs walks docs/ (on_pre_build):
MkDocs' own walk follows symlinked folders, a link to / included. The check is linear in the
number and size of the files: it stats every entry once and reads only the start of each image
and the whole of each SVG (at most MAX_BYTES).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection
from pathlib import Path

from lxml import etree

from blogpost.content.addresses import URL_LIST
from blogpost.content.problems import Problem
from blogpost.layout import VOCABULARY, Layout

FIELD = "file"

# extension: (the folder under docs/ its files must be in, "" for anywhere; what they are)
ALLOWED: dict[str, tuple[str, str]] = {
    ".md": ("", "pages"),
    ".png": ("", "images"),
    ".jpg": ("", "images"),
    ".jpeg": ("", "images"),
    ".gif": ("", "images"),
    ".webp": ("", "images"),
    ".avif": ("", "images"),
    ".ico": ("", "images"),
    ".svg": ("", "images"),
    ".css": ("assets/stylesheets/", "the site's own stylesheets"),
    ".js": ("assets/javascripts/", "the site's own scripts"),
}
KNOWN_DOTFILES = (VOCABULARY, Layout.authors_file, URL_LIST)  # relative to docs/

# Dot-files left by an operating system or an editor: never published, never read, ignored.
IGNORED = re.compile(r"^\.DS_Store$|^\..+\.(?:sw[a-p]|kate-swp)$")  # macOS Finder; vim, Kate

# The largest file today is a 47 kB PNG. Anything past 5 MB is an unresized photo or not an
# image at all: every reader would download it, and it bounds what the SVG parser reads.
MAX_BYTES = 5 * 1024 * 1024

_ALLOWED_HINT = ("docs/ holds .md pages and images (.png .jpg .jpeg .gif .webp .avif .ico .svg) anywhere, "
                 ".css in docs/assets/stylesheets/ and .js in docs/assets/javascripts/")
_HTML = ("is an HTML page, which would be served from the site's address without the site's checks or "
         "its Content-Security-Policy (write it as a Markdown page, .md)")
_REFUSED = {  # the extensions that have a message of their own
    ".html": _HTML, ".htm": _HTML, ".xhtml": _HTML, ".shtml": _HTML,
    ".pdf": ("is a PDF, whose scripts some viewers run (publish it elsewhere and link to it, "
             "or write its content as a page)"),
    ".wasm": f"is WebAssembly, which the site's policy lets run from its own address ({_ALLOWED_HINT})",
}

_PLACE_HINT = {
    ".js": ("is a script outside docs/assets/javascripts/, where the site keeps its own, which its "
            "Content-Security-Policy trusts (a post needs no script: write Markdown)"),
    ".css": ("is a stylesheet outside docs/assets/stylesheets/, where the site keeps its own "
             "(a post is styled by the site: write Markdown)"),
}

_SIGNATURES = {  # the first bytes of each raster format
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".ico": (b"\x00\x00\x01\x00",),
}
_SIGNATURE_BYTES = 32


def check_files(docs_dir: str, root: Path, *, known: Collection[str] = KNOWN_DOTFILES) -> list[Problem]:
    """Every file and folder under `docs_dir` that the site may not publish, one problem each (an
    SVG may have several), named relative to `root`. `known` lists the dot-files (relative to
    docs/, forward slashes) the plugins read. Never follows a link."""
    prefix = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    problems: list[Problem] = []
    if os.path.islink(docs_dir):
        return [_symlink(prefix.rstrip("/") or docs_dir)]
    folders = [""]  # relative to docs/, each ending with "/" (but the top)
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(os.path.join(docs_dir, folder)) as entries:
                listed = list(entries)
        except OSError as error:
            problems.append(Problem(_shown(prefix + folder.rstrip("/")), 1, FIELD,
                                    f"cannot be read: {error.strerror} (make it a plain folder)"))
            continue
        for entry in listed:
            uri = folder + entry.name
            path = _shown(prefix + uri)
            try:
                if entry.is_symlink():
                    problems.append(_symlink(path))
                elif entry.is_dir(follow_symlinks=False):
                    if why := _folder_refused(entry.name):
                        problems.append(Problem(path, 1, FIELD, why))
                    else:
                        folders.append(uri + "/")
                elif entry.is_file(follow_symlinks=False):
                    problems += _check_file(entry, uri, path, known)
                else:
                    problems.append(Problem(path, 1, FIELD, (
                        "is not a regular file (a FIFO, socket or device; remove it)")))
            except OSError as error:
                problems.append(Problem(path, 1, FIELD, f"cannot be read: {error.strerror} (make it a plain file)"))
    return sorted(problems, key=lambda p: (p.path, p.line))


def drop_refused(files, problems: list[Problem], docs_dir: str, root: Path) -> None:
    """Remove from MkDocs' `files` every file a problem of `check_files` names, or that lies in a
    folder one names, so that nothing refused is published (for a build that goes on)."""
    prefix = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    refused = {p.path[len(prefix):] for p in problems if p.path.startswith(prefix)}
    for file in list(files):
        parts = file.src_uri.split("/")
        if any("/".join(parts[:n]) in refused for n in range(1, len(parts) + 1)):
            files.remove(file)


# Names and places ----------------------------------------------------------------------------


def _symlink(path: str) -> Problem:
    return Problem(path, 1, FIELD, (
        "is a symbolic link; links are not published, wherever they point "
        "(copy the file into docs/ instead of linking to it)"))


def _bad_name(name: str) -> str | None:
    if any(not c.isprintable() for c in name):
        return "its name has a control character (rename it with letters, digits, '-' and '_')"
    return None


def _folder_refused(name: str) -> str | None:
    if why := _bad_name(name):
        return why
    if name.startswith("."):
        return ("is a dot-folder: MkDocs publishes nothing in it "
                "(move what should be published to a folder without a leading dot, or remove it)")
    return None


def _check_file(entry: os.DirEntry, uri: str, path: str, known: Collection[str]) -> list[Problem]:
    name = entry.name
    if why := _bad_name(name):
        return [Problem(path, 1, FIELD, why)]
    if name.startswith("."):
        if uri in known or IGNORED.match(name):
            return []
        listed = ", ".join(f"docs/{k}" for k in known)
        return [Problem(path, 1, FIELD, (
            f"is a dot-file: MkDocs does not publish it, and the project reads only {listed} "
            "(remove it)"))]
    ext = os.path.splitext(name)[1]
    if ext not in ALLOWED:
        return [Problem(path, 1, FIELD, _refused(name, ext))]
    place = ALLOWED[ext][0]
    if place and not uri.startswith(place):
        return [Problem(path, 1, FIELD, _PLACE_HINT.get(ext, f"{ext} files belong in docs/{place}"))]
    size = entry.stat(follow_symlinks=False).st_size
    if size > MAX_BYTES:
        return [Problem(path, 1, FIELD, (
            f"is {size / 1024 / 1024:.1f} MB, over the {MAX_BYTES // 1024 // 1024} MB a file may be "
            "(resize or compress it)"))]
    if ext == ".svg":
        return svg_problems(path, _read(entry.path, size + 1))
    if ext in _SIGNATURES or ext in (".webp", ".avif"):
        if not _looks_like(ext, _read(entry.path, _SIGNATURE_BYTES)):
            return [Problem(path, 1, FIELD, (
                f"is not a {ext[1:].upper()} image, whatever its name says "
                f"(save it as {ext[1:].upper()}, or name it after the format it is in)"))]
    return []


def _refused(name: str, ext: str) -> str:
    if ext.lower() in ALLOWED:
        return f"the extension {ext} must be written in lower case (rename it {name[:-len(ext)]}{ext.lower()})"
    if not ext:
        return f"a file without an extension is not published ({_ALLOWED_HINT})"
    return _REFUSED.get(ext.lower()) or f"{ext} files are not published from docs/ ({_ALLOWED_HINT})"


def _looks_like(ext: str, head: bytes) -> bool:
    if ext == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if ext == ".avif":
        return head[4:8] == b"ftyp" and (b"avif" in head or b"avis" in head)
    return head.startswith(_SIGNATURES[ext])


def _read(path: str, limit: int) -> bytes:
    """At most `limit` bytes of a regular file, refusing to open it through a link (O_NOFOLLOW),
    should one have replaced it since it was listed."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read(limit)
    finally:
        os.close(fd)


def _shown(path: str) -> str:
    """A path as a report line can show it: control characters escaped, so no name forges a line."""
    if path.isprintable():
        return path
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in path)


# SVG -----------------------------------------------------------------------------------------

SVG_HINT_CODE = "an image must not run code: export it again as plain SVG, or use a PNG"
SVG_HINT_EXTERNAL = ("an SVG here draws only what it contains: point only at '#id's in the same file, "
                     "or use a PNG")
SVG_HINT_PLAIN = "save it as plain SVG"

_XHTML = "http://www.w3.org/1999/xhtml"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_PREFIXES = {"http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:"}
_ELEMENTS = {  # lower-case local name: why, and the hint
    "script": ("runs code", SVG_HINT_CODE),
    "foreignobject": ("embeds HTML, able to run code or load other files", SVG_HINT_CODE),
    "iframe": ("loads another document", SVG_HINT_EXTERNAL),
    "embed": ("loads another document", SVG_HINT_EXTERNAL),
    "object": ("loads another document", SVG_HINT_EXTERNAL),
}
_URL_ATTRIBUTES = {"href", "src"}
_ANIMATED = {"href", "xlink:href", "src", "style", "xml:base"}
_DECLARATION = re.compile(r"<!(?:ENTITY|ATTLIST|ELEMENT|NOTATION)\b")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"(?<![\w-])(?:url|src)\(\s*([\"']?)\s*([^\"')\s]*)", re.I)
_CSS_OTHER = re.compile(r"@import\b|(?<![\w-])(?:-webkit-)?image-set\(", re.I)


def _parser() -> etree.XMLParser:
    """XML without entities expanded, DTDs loaded or the network touched, within lxml's limits."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, attribute_defaults=False, recover=False)


def svg_problems(path: str, data: bytes) -> list[Problem]:
    """What in an SVG could run code or load anything from outside the file, at the line the parser
    gives for it."""
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        what = _shown(re.sub(r"(?:, line \d+)?, column \d+$", "", str(getattr(error, "msg", "") or error)))
        return [Problem(path, line, FIELD, f"is not well-formed XML: {what} ({SVG_HINT_PLAIN})")]
    found: list[Problem] = []
    tree = root.getroottree()
    if tree.docinfo.doctype and (found := _declarations(path, data, tree.docinfo.encoding)):
        return found  # entities can hide anything from the rest of this check
    for node in root.itersiblings(preceding=True):
        found += _node_problems(path, node)
    stack = [root]
    while stack:
        node = stack.pop()
        reasons = _node_problems(path, node)
        found += reasons
        if not (isinstance(node.tag, str) and reasons and _local(node.tag).lower() in _ELEMENTS):
            stack.extend(reversed(node))  # a refused element's content is not listed again
    for node in root.itersiblings():
        found += _node_problems(path, node)
    return sorted(found, key=lambda p: p.line)


def _declarations(path: str, data: bytes, encoding: str | None) -> list[Problem]:
    try:
        text = data.decode(encoding or "utf-8", "replace")
    except LookupError:
        text = data.decode("utf-8", "replace")
    match = _DECLARATION.search(text)
    if not match:
        return []
    return [Problem(path, text.count("\n", 0, match.start()) + 1, FIELD, (
        "declares entities or attributes in its DOCTYPE, which a browser applies and this check "
        f"cannot see ({SVG_HINT_PLAIN}, without a DOCTYPE)"))]


def _node_problems(path: str, node) -> list[Problem]:
    line = node.sourceline or 1
    if isinstance(node, etree._Entity):
        return [Problem(path, line, FIELD, f"uses the entity {node.text}, which only a DTD defines ({SVG_HINT_PLAIN}, without a DOCTYPE)")]
    if isinstance(node, etree._ProcessingInstruction):
        return [Problem(path, line, FIELD, (
            f"has the processing instruction <?{node.target}?>, which can load a stylesheet or "
            f"transformation from elsewhere ({SVG_HINT_PLAIN})"))]
    if not isinstance(node.tag, str):  # a comment
        return []
    namespace, name = _split(node.tag)
    found = []
    if name.lower() in _ELEMENTS:
        why, hint = _ELEMENTS[name.lower()]
        return [Problem(path, line, FIELD, f"has a <{name}> element, which {why} ({hint})")]
    if namespace == _XHTML:
        return [Problem(path, line, FIELD, f"has the HTML element <{name}> inside it ({SVG_HINT_CODE})")]
    for key, value in node.attrib.items():
        attribute = _attribute_name(key)
        local = _local(key).lower()
        if local.startswith("on"):
            found.append(Problem(path, line, FIELD, f"<{name}> has the event handler {attribute}=, which runs code ({SVG_HINT_CODE})"))
        elif local in _URL_ATTRIBUTES and not value.strip().startswith("#"):
            found.append(Problem(path, line, FIELD, (
                f"<{name}> has {attribute}= pointing outside the file, not at a '#id' ({SVG_HINT_EXTERNAL})")))
        elif key == _XML_BASE:
            found.append(Problem(path, line, FIELD, f"<{name}> has xml:base=, which moves where its references point ({SVG_HINT_EXTERNAL})"))
        elif local == "attributename" and (value.strip().lower() in _ANIMATED or value.strip().lower().startswith("on")):
            found.append(Problem(path, line, FIELD, (
                f"<{name}> animates {value.strip()}, which can run code or point outside the file ({SVG_HINT_CODE})")))
        else:
            found += [Problem(path, line, FIELD, f"<{name}> has {attribute}= with {why} ({SVG_HINT_EXTERNAL})")
                      for why, _ in _css_problems(value)]
    if name.lower() == "style" and node.text:
        found += [Problem(path, line + offset, FIELD, f"<style> has {why} ({SVG_HINT_EXTERNAL})")
                  for why, offset in _css_problems(node.text)]
    return found


def _css_problems(css: str) -> list[tuple[str, int]]:
    """(what, line offset) for each way a piece of CSS loads something from outside the file."""
    if "(" not in css and "@" not in css:
        return []
    if "\\" in css:  # u\72l( is url(: read escapes as the browser does
        css = _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), css)
    if "/*" in css:
        css = _CSS_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), css)
    found = []
    for match in _CSS_URL.finditer(css):
        if not match.group(2).startswith("#"):
            found.append(("a url() that is not a '#id'", css.count("\n", 0, match.start())))
    for match in _CSS_OTHER.finditer(css):
        what = "@import" if match.group().startswith("@") else "image-set()"
        found.append((f"{what}, which loads other files", css.count("\n", 0, match.start())))
    return found


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _local(tag: str) -> str:
    return _split(tag)[1]


def _attribute_name(key: str) -> str:
    namespace, name = _split(key)
    return _PREFIXES.get(namespace, "") + name
