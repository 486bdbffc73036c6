"""The authoring contract, declared once: the front-matter schema of posts and guides, the
checks of one page's source (encoding, YAML, front matter, executable HTML via
executable_html.py), and what is published. Imported by the front_matter.py hook, the tests
and scripts/new_post.py."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from executable_html import Problem, unsafe_html

POSTS_DIR = "blog/posts/"
GUIDES_DIR = "guides/"
AUTHORS_FILE = "blog/.authors.yml"
EXCERPT_MARKER = "<!-- more -->"

# The front matter of a post or guide page. Tag and author names are filled in from
# docs/.tags.yml and docs/blog/.authors.yml by schema_for(); "authors" is required on posts.
SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Front matter of a post or guide page",
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "date", "description", "tags"],
    "properties": {
        "title": {"type": "string", "pattern": r"^[^\s](?:[^\n]*[^\s])?$"},
        "date": {"format": "site-date"},
        "updated": {"format": "site-date"},
        "description": {"type": "string", "minLength": 1, "maxLength": 160, "pattern": r"\S"},
        "tags": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
        "authors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
        "draft": {"type": "boolean"},
        "slug": {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"},
    },
}
FIELDS = tuple(SCHEMA["properties"])

FORMATS = FormatChecker(formats=())


@FORMATS.checks("site-date", raises=ValueError)
def _is_site_date(value: object) -> bool:
    """A YAML date, or a date-time with an offset: never a bare string, which the blog cannot sort."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("a date-time needs an offset")
        return True
    if isinstance(value, dt.date):
        return True
    raise ValueError("not a date")


def schema_for(tags: list[str], authors: list[str], *, post: bool) -> dict:
    schema = copy.deepcopy(SCHEMA)
    schema["properties"]["tags"]["items"]["enum"] = list(tags)
    schema["properties"]["authors"]["items"]["enum"] = list(authors)
    if post:
        schema["required"].append("authors")
    return schema


@functools.lru_cache(maxsize=8)  # one per vocabulary and kind: a build checks hundreds of pages
def _validator(tags: tuple[str, ...], authors: tuple[str, ...], post: bool) -> Draft202012Validator:
    return Draft202012Validator(schema_for(list(tags), list(authors), post=post), format_checker=FORMATS)


def load_authors(docs_dir: str) -> list[str]:
    path = Path(docs_dir, AUTHORS_FILE)
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    return list((data.get("authors") or {}).keys())


@dataclass
class Checked:
    problems: list[Problem]
    meta: dict | None  # the front matter, when the page could be read
    lines: dict | None = None  # field -> line in the file


# The front matter block exactly as MkDocs finds it (mkdocs.utils.meta.YAML_RE).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def kind_of(src_uri: str) -> str | None:
    """'post', 'guide', or None for a page the schema does not cover."""
    if src_uri.startswith(POSTS_DIR):
        return "post"
    if src_uri.startswith(GUIDES_DIR):
        return "guide"
    return None


def decode(raw: bytes) -> str:
    """UTF-8 text with a byte-order mark and CRLF/CR line endings read as if absent."""
    text = raw.decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def check_source(
    path: str, raw: bytes, *, kind: str | None, tags: list[str], authors: list[str]
) -> Checked:
    """Every problem of one page's source, each naming the file, the line and the field."""
    try:
        text = decode(raw)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Checked([Problem(path, line, "encoding", (
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8 (save the file as UTF-8)"))], None)
    problems: list[Problem] = []
    match = FRONT_MATTER.match(text)
    meta: dict | None = {}
    lines: dict = {}
    body, body_line = text, 1
    if match:
        body, body_line = text[match.end():], text[: match.end()].count("\n") + 1
        meta, lines = _parse_yaml(path, match.group(1), problems)
    elif re.match(r"-{3}[ \t]*\n", text):
        problems.append(Problem(path, 1, "front matter", "is not closed (end it with a line '---')"))
        meta = None
    elif kind:
        problems.append(Problem(path, 1, "front matter", (
            "missing (start the file with '---', the fields title, date, description, tags"
            + (", authors" if kind == "post" else "") + ", then '---')")))
        meta = None
    if meta is not None and kind:
        problems += validate(meta, path=path, lines=lines, kind=kind, tags=tags, authors=authors)
    if kind == "post" and EXCERPT_MARKER not in body:
        problems.append(Problem(path, body_line, "excerpt", (
            f"no '{EXCERPT_MARKER}' marker (put it on its own line after the first paragraph)")))
    problems += unsafe_html(path, body, body_line)
    return Checked(problems, meta, lines)


def _parse_yaml(path: str, source: str, problems: list[Problem]) -> tuple[dict | None, dict]:
    """The front matter and the line of each field (and list item) in the file; None when unreadable."""
    try:
        # libyaml's loader when PyYAML has it: the same nodes and marks, ten times faster.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(source)
    except yaml.reader.ReaderError as error:  # a control character: YAML reads no further
        line = source[: error.position].count("\n") + 2
        problems.append(Problem(path, line, "front matter",
                                f"character 0x{error.character:02x} is not allowed in YAML (remove it)"))
        return None, {}
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        what = " ".join(str(error.problem or error.context or "malformed").split())
        if error.context and error.context_mark and error.problem:
            what += f", {error.context} that starts on line {error.context_mark.line + 2}"
        problems.append(Problem(path, line, "front matter", f"YAML syntax error: {what} (check quotes, colons and indentation)"))
        return None, {}
    except Exception as error:  # PyYAML's constructors raise more than YAMLError on odd values
        what = " ".join(str(error).split()) or type(error).__name__
        problems.append(Problem(path, 2, "front matter", f"a value YAML cannot read: {what} (quote it as text)"))
        return None, {}
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "front matter", "must be 'field: value' lines, one per field"))
        return None, {}
    lines: dict[object, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loader_key(key_node)
            lines[key] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                for index, item in enumerate(value_node.value):
                    lines[(key, index)] = item.start_mark.line + 2
    return data, lines


def loader_key(node: yaml.Node) -> object:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def validate(
    meta: dict, *, path: str, lines: dict | None = None, kind: str = "post",
    tags: list[str], authors: list[str],
) -> list[Problem]:
    """Schema errors of one front matter, in file order, each with its line and a hint."""
    lines = lines or {}
    validator = _validator(tuple(tags), tuple(authors), kind == "post")
    problems = []
    for error in validator.iter_errors(meta):
        for field, index, message in _explain(error, meta, tags, authors):
            line = lines.get((field, index)) or lines.get(field) or 1
            problems.append(Problem(path, line, _field_name(field), message))
    updated, created = meta.get("updated"), meta.get("date")
    if not problems and updated is not None and _as_datetime(updated) < _as_datetime(created):
        problems.append(Problem(path, lines.get("updated", 1), "updated", (
            f"{updated} is before date {created} (updated is when the page last changed)")))
    problems.sort(key=lambda p: p.line)
    return problems


def _field_name(key: object) -> str:
    """A field as the author wrote it; quoted when it is not a plain word, so the line stays readable."""
    key = str(key)
    return key if re.fullmatch(r"[\w-]+", key) else repr(key)


def _as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.timezone.utc)


def nearest(word: object, choices: list[str]) -> str | None:
    """The choice an author most likely meant: same letters in another case, else the closest spelling."""
    word = str(word)
    for choice in choices:
        if choice.casefold() == word.casefold():
            return choice
    folded = {c.casefold(): c for c in choices}
    found = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[found[0]] if found else None


def _hint(word: object, choices: list[str], fallback: str) -> str:
    near = nearest(word, choices)
    return f"did you mean {near!r}?" if near else fallback


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "a mapping", dt.datetime: "a date-time", dt.date: "a date"}
    return next((name for t, name in kinds.items() if isinstance(value, t)), type(value).__name__)


def _explain(error, meta: dict, tags: list[str], authors: list[str]):
    """(field, list index or None, message) for one jsonschema error."""
    where = list(error.absolute_path)
    field = where[0] if where else None
    index = where[1] if len(where) > 1 else None
    value = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        for key in sorted(set(meta) - set(FIELDS), key=str):
            hint = _hint(key, list(FIELDS), "allowed: " + ", ".join(FIELDS))
            yield key, None, f"unknown field ({hint})"
        return
    if kind == "required":
        missing = re.search(r"'([^']+)'", error.message).group(1)
        yield missing, None, f"required field is missing ({EXAMPLES[missing]})"
        return
    if field in ("tags", "authors") and kind == "enum":
        if field == "tags":
            fallback = "known tags: " + ", ".join(tags) + "; new tags go in docs/.tags.yml"
            yield field, index, f"{value!r} is not a known tag ({_hint(value, tags, fallback)})"
        else:
            fallback = "known authors: " + ", ".join(authors) + "; new authors go in docs/blog/.authors.yml"
            yield field, index, f"{value!r} is not a known author ({_hint(value, authors, fallback)})"
        return
    if field in ("date", "updated"):
        yield field, None, (f"{value!s:.40} is {_describe(value)}, not an ISO 8601 date or a date-time with "
                            "an offset (write 2026-11-20, or 2026-11-20T09:30:00+01:00, without quotes)")
        return
    if kind == "type":
        wanted = {"tags": "a list of tag names", "authors": "a list of author keys",
                  "draft": "true or false"}.get(field, "text")
        if index is not None:
            wanted = "a name"
        yield field, index, f"is {_describe(value)}, must be {wanted} ({EXAMPLES.get(field, '')})".replace(" ()", "")
        return
    if kind == "minItems":
        yield field, None, f"is an empty list, needs at least one ({EXAMPLES[field]})"
        return
    if kind == "uniqueItems":
        yield field, None, "names the same item twice (list each once)"
        return
    if kind == "maxLength":
        yield field, None, f"is {len(value)} characters long, at most 160 allowed (cut {len(value) - 160})"
        return
    if kind in ("minLength", "pattern") and field == "slug":
        yield field, None, f"{value!r} must be lowercase words joined by hyphens (like 'vendor-access-reviews')"
        return
    if kind in ("minLength", "pattern"):
        yield field, None, "must be one line of plain text, not empty (no line breaks or surrounding spaces)"
        return
    yield (field or "front matter"), index, error.message


EXAMPLES = {
    "title": 'title: "Vendor access reviews"',
    "date": "date: 2026-11-20",
    "description": "description: One or two sentences, at most 160 characters.",
    "tags": "tags: [AI, Learning]",
    "authors": "authors: [editors]",
    "draft": "draft: true",
    "slug": "slug: vendor-access-reviews",
    "updated": "updated: 2026-11-21",
}


def publication(meta: dict, now: dt.datetime, tz: ZoneInfo) -> str | None:
    """Why a valid page is not published yet: 'draft', 'scheduled', or None when it is."""
    if meta.get("draft") is True:
        return "draft"
    date = meta.get("date")
    if isinstance(date, dt.date):
        moment = date if isinstance(date, dt.datetime) else dt.datetime.combine(date, dt.time(), tzinfo=tz)
        if moment > now:
            return "scheduled"
    return None
