"""The two vocabularies that pull requests extend, checked before anything reads them: the tags a
page may carry (docs/.tags.yml) and who may sign a post (the blog's .authors.yml).

Both are read as front matter is (source.read_yaml: size capped, no anchors, aliases, unusual tags
or duplicate keys, nothing built before its events are checked). Names and descriptions are plain
one-line text; a tag's slug is a URL segment (tags/<slug>/), never a path; an author's link is an
https: address or a path on this site, and an avatar is an image file in docs/: from this site only.
Each problem is `file:line: tags: ...` or `file:line: authors: ...`, at the line of the value.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import yaml

from blogpost.content.problems import Problem
from blogpost.content.schema import nearest, not_plain
from blogpost.content.source import MAX_VOCABULARY, decode, read_yaml
from blogpost.layout import VOCABULARY

TAG_FIELDS = ("name", "slug", "description")
AUTHOR_FIELDS = ("name", "description", "avatar", "url", "slug")
AUTHOR_REQUIRED = ("name", "description", "avatar")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
AUTHOR_KEY = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HTTPS = re.compile(r"https://[^/?#\s\\@]+(?:[/?#]|$)", re.I)


def check_vocabularies(docs_dir: str, root: Path, authors_file: str = "blog/.authors.yml") -> list[Problem]:
    """Every problem of docs/.tags.yml and the blog's .authors.yml (which may be absent)."""
    _, problems = read_tags(docs_dir, root)
    problems += check_authors(docs_dir, root, authors_file)
    return sorted(problems, key=lambda p: (p.path, p.line))


def read_tags(docs_dir: str, root: Path | None = None) -> tuple[list[dict], list[Problem]]:
    """The valid tags of docs/.tags.yml ({name, slug, description}, in the file's order) and the
    problems of the file; a tag with any problem is left out."""
    field = "tags"
    data, node, shown, problems = _read(docs_dir, root, VOCABULARY, field, required=True)
    if data is None:
        return [], problems
    report = _reporter(shown, field, problems)
    if not isinstance(data, dict) or not isinstance(data.get("tags"), list):
        report(node, "must hold 'tags:', a list of tags, each with a name, a slug and a description")
        return [], problems
    _unknown(data, node, ("tags",), report, "")
    items_node = _child(node, "tags")
    tags: list[dict] = []
    names: dict[str, int] = {}
    slugs: dict[str, int] = {}
    for index, item in enumerate(data["tags"]):
        item_node = _item(items_node, index)
        before = len(problems)
        if not isinstance(item, dict):
            report(item_node, f"item {index + 1} must be a name, a slug and a description (name: AI)")
            continue
        _unknown(item, item_node, TAG_FIELDS, report, "")
        for key in TAG_FIELDS:
            if key not in item:
                report(item_node, f"{_who(item)}: {key} is missing ({TAG_EXAMPLES[key]})")
        name, slug, description = (item.get(key) for key in TAG_FIELDS)
        if "name" in item and _text(name, _child(item_node, "name"), report, f"{_who(item)}: name"):
            folded = name.casefold()
            if folded in names:
                report(_child(item_node, "name"), f"{name!r} is a tag already, on line {names[folded]} (keep one)")
            else:
                names[folded] = _line(_child(item_node, "name"))
        if "slug" in item:
            slug_node = _child(item_node, "slug")
            if not isinstance(slug, str) or not SLUG.fullmatch(slug):
                report(slug_node, f"{_who(item)}: slug {_show(slug)} must be lowercase words joined by hyphens "
                                  "(like 'cyber-security'): it is the tag's address, tags/<slug>/")
            elif slug == "index":
                report(slug_node, f"{_who(item)}: slug 'index' is the address of the tags page (choose another)")
            elif slug in slugs:
                report(slug_node, f"{_who(item)}: slug {slug!r} is another tag's, on line {slugs[slug]} (each tag needs its own)")
            else:
                slugs[slug] = _line(slug_node)
        if "description" in item:
            _text(description, _child(item_node, "description"), report, f"{_who(item)}: description")
        if len(problems) == before:
            tags.append({key: item[key] for key in TAG_FIELDS})
    return tags, problems


TAG_EXAMPLES = {
    "name": "name: AI",
    "slug": "slug: ai",
    "description": "description: One line shown on the tag's page and in its feed.",
}


def check_authors(docs_dir: str, root: Path | None, authors_file: str) -> list[Problem]:
    """Every problem of the blog's .authors.yml; none when there is no such file."""
    field = "authors"
    data, node, shown, problems = _read(docs_dir, root, authors_file, field, required=False)
    if data is None:
        return problems
    report = _reporter(shown, field, problems)
    if data == {} or (isinstance(data, dict) and data.get("authors", {}) is None):
        return problems  # no authors, as the blog reads it
    if not isinstance(data, dict) or not isinstance(data.get("authors"), dict):
        report(node, "must hold 'authors:', each author's key with a name, a description and an avatar")
        return problems
    _unknown(data, node, ("authors",), report, "")
    authors_node = _child(node, "authors")
    docs = Path(docs_dir)
    for key, author in data["authors"].items():
        key_node = _key(authors_node, key)
        if not isinstance(key, str) or not AUTHOR_KEY.fullmatch(key):
            report(key_node, f"the key {_show(key)} must be letters and digits, joined by - _ or . "
                             "(it is how posts name the author: authors: [editors])")
            continue
        if not isinstance(author, dict):
            report(key_node, f"{key}: must be a name, a description and an avatar")
            continue
        author_node = _child(authors_node, key)
        _unknown(author, author_node, AUTHOR_FIELDS, report, f"{key}: ")
        for name in AUTHOR_REQUIRED:
            if name not in author:
                report(key_node, f"{key}: {name} is missing")
        for name in ("name", "description"):
            if name in author:
                _text(author[name], _child(author_node, name), report, f"{key}: {name}")
        if "avatar" in author:
            if message := _avatar_problem(author["avatar"], docs):
                report(_child(author_node, "avatar"), f"{key}: avatar {_show(author['avatar'])} {message}")
        if "url" in author:
            if message := _url_problem(author["url"]):
                report(_child(author_node, "url"), f"{key}: url {_show(author['url'])} {message}")
        if "slug" in author:
            slug = author["slug"]
            if not isinstance(slug, str) or not SLUG.fullmatch(slug):
                report(_child(author_node, "slug"),
                       f"{key}: slug {_show(slug)} must be lowercase words joined by hyphens (like 'jane-doe')")
    return problems


def _avatar_problem(value: object, docs: Path) -> str | None:
    """Why an avatar is not an image file of this site, in docs/; None when it is."""
    own = "must be an image file in docs/, like assets/images/avatar.svg (avatars come from this site only)"
    if not isinstance(value, str) or not value:
        return own
    if not_plain(value) or value != value.strip() or "\\" in value or "?" in value or "#" in value:
        return own
    if _SCHEME.match(value) or value.startswith("/") or _SCHEME.match(_plain_url(value)):
        return own
    parts = value.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "must be a plain path inside docs/, without '..', '.' or '//' (like assets/images/avatar.svg)"
    if any(part.startswith(".") for part in parts):
        return "is a hidden file, which the site does not publish (move it under assets/images/)"
    if not value.lower().endswith(IMAGE_SUFFIXES):
        return "must be an image: " + ", ".join(IMAGE_SUFFIXES)
    path = docs / Path(*parts)
    try:
        inside = path.resolve().is_relative_to(docs.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return "leads outside docs/ (avatars come from this site only)"
    if not path.is_file():
        return "is not a file in docs/ (add the image, or correct the path)"
    return None


def _url_problem(value: object) -> str | None:
    """Why an author's link is neither an https: address nor a path on this site; None when it is."""
    own = "must be an https:// address or a path on this site (like about/)"
    if not isinstance(value, str) or not value or value != value.strip() or not_plain(value):
        return own
    for seen in (value, _plain_url(value)):  # as written, and as a browser reads it
        if _SCHEME.match(seen):
            if not _HTTPS.match(seen):
                return own
        elif seen.startswith(("//", "/\\", "\\")):
            return own
    if re.search(r"[\s\"'<>`]", value):
        return "must not hold spaces, quotes or angle brackets (encode them, like %20)"
    return None


def _plain_url(value: str) -> str:
    """A URL as a browser reads its scheme: entities decoded, controls, spaces and backslashes gone."""
    return re.sub(r"[\x00-\x20\\]", "", html.unescape(value))


# Reading, and the lines of values -----------------------------------------------------------------


def _read(docs_dir: str, root: Path | None, name: str, field: str, *, required: bool):
    """(data, node, shown path, problems); data is None when the file cannot be used at all."""
    path = Path(docs_dir, name)
    shown = _shown(path, root)
    problems: list[Problem] = []
    if not path.is_file():
        if required:
            problems.append(Problem(shown, 1, field, "the file is missing (it lists the tags pages may carry)"))
        return None, None, shown, problems
    size = path.stat().st_size
    if size > 4 * MAX_VOCABULARY:  # not even read: far more than the cap in any encoding
        problems.append(Problem(shown, 1, field, f"is {size:,} bytes long, at most {MAX_VOCABULARY:,} characters"))
        return None, None, shown, problems
    raw = path.read_bytes()
    try:
        text = decode(raw)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(shown, line, "encoding",
                                f"byte 0x{raw[error.start]:02x} is not valid UTF-8 (save the file as UTF-8)"))
        return None, None, shown, problems
    data, node = read_yaml(shown, text, problems, first_line=1, field=field, limit=MAX_VOCABULARY)
    if problems:
        return None, None, shown, problems
    return data, node, shown, problems


def _shown(path: Path, root: Path | None) -> str:
    """The file as authors see it: relative to the project folder, with forward slashes."""
    if root is None:
        return path.as_posix()
    return os.path.relpath(path, root).replace(os.sep, "/")


def _reporter(shown: str, field: str, problems: list[Problem]):
    def report(node: yaml.Node | None, message: str) -> None:
        problems.append(Problem(shown, _line(node), field, message))
    return report


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _pairs(node: yaml.Node | None):
    return node.value if isinstance(node, yaml.MappingNode) else []


def _key(node: yaml.Node | None, key: object) -> yaml.Node | None:
    """The key node of `key` in a mapping node (the first, when it appears twice)."""
    return next((k for k, _ in _pairs(node) if isinstance(k, yaml.ScalarNode) and k.value == str(key)), node)


def _child(node: yaml.Node | None, key: object) -> yaml.Node | None:
    """The value node of `key` in a mapping node, or the mapping itself when not found."""
    return next((v for k, v in _pairs(node) if isinstance(k, yaml.ScalarNode) and k.value == str(key)), node)


def _item(node: yaml.Node | None, index: int) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return node.value[index]
    return node


def _unknown(mapping: dict, node: yaml.Node | None, allowed: tuple[str, ...], report, prefix: str) -> None:
    for key in mapping:
        if key not in allowed:
            near = nearest(key, list(allowed))
            hint = f"did you mean {near!r}?" if near else "allowed: " + ", ".join(allowed)
            report(_key(node, key), f"{prefix}unknown field {_show(key)} ({hint})")


def _text(value: object, node: yaml.Node | None, report, what: str) -> bool:
    """True when a name or description is plain one-line text; else reports why."""
    if not isinstance(value, str):
        report(node, f"{what} must be text, not {type(value).__name__} (quote it)")
        return False
    if message := not_plain(value):
        report(node, f"{what} {message}")
        return False
    if not value.strip() or value != value.strip():
        report(node, f"{what} must be one line of plain text, not empty (no surrounding spaces)")
        return False
    return True


def _who(item: dict) -> str:
    """A tag as problems name it: its name when it has a usable one."""
    name = item.get("name")
    return f"tag {name!r}" if isinstance(name, str) and not not_plain(name) and len(name) <= 40 else "a tag"


def _show(value: object) -> str:
    """A value as a problem quotes it: repr (control characters escaped), cut to 60 characters."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."

