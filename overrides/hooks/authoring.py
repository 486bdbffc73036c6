"""The authoring contract, declared once: the front-matter schema of posts and guides, and the
checks of one page's source (encoding, YAML, front matter, executable HTML). Imported by the
front_matter.py hook, the tests and scripts/new_post.py."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from jsonschema import Draft202012Validator, FormatChecker

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


def load_authors(docs_dir: str) -> list[str]:
    path = Path(docs_dir, AUTHORS_FILE)
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    return list((data.get("authors") or {}).keys())


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


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
    body, body_line = text, 1
    if match:
        body, body_line = text[match.end():], text[: match.end()].count("\n") + 1
        meta = _parse_yaml(path, match.group(1), problems)
    elif text.startswith("---"):
        problems.append(Problem(path, 1, "front matter", "is not closed (end it with a line '---')"))
        meta = None
    elif kind:
        problems.append(Problem(path, 1, "front matter", (
            "missing (start the file with '---', the fields title, date, description, tags"
            + (", authors" if kind == "post" else "") + ", then '---')")))
        meta = None
    lines = meta.pop("__lines__", None) if meta is not None else None
    if meta is not None and kind:
        problems += validate(meta, path=path, lines=lines, kind=kind, tags=tags, authors=authors)
    if kind == "post" and EXCERPT_MARKER not in body:
        problems.append(Problem(path, body_line, "excerpt", (
            f"no '{EXCERPT_MARKER}' marker (put it on its own line after the first paragraph)")))
    problems += unsafe_html(path, body, body_line)
    return Checked(problems, meta, lines)


def _parse_yaml(path: str, source: str, problems: list[Problem]) -> dict | None:
    loader = yaml.SafeLoader(source)
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
        return None
    except Exception as error:  # PyYAML's constructors raise more than YAMLError on odd values
        what = " ".join(str(error).split()) or type(error).__name__
        problems.append(Problem(path, 2, "front matter", f"a value YAML cannot read: {what} (quote it as text)"))
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "front matter", "must be 'field: value' lines, one per field"))
        return None
    lines: dict[object, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loader_key(key_node)
            lines[key] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                for index, item in enumerate(value_node.value):
                    lines[(key, index)] = item.start_mark.line + 2
    return {**data, "__lines__": lines}


def loader_key(node: yaml.Node) -> object:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def validate(
    meta: dict, *, path: str, lines: dict | None = None, kind: str = "post",
    tags: list[str], authors: list[str],
) -> list[Problem]:
    """Schema errors of one front matter, in file order, each with its line and a hint."""
    lines = lines or {}
    validator = Draft202012Validator(schema_for(tags, authors, post=kind == "post"), format_checker=FORMATS)
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


# --- Executable HTML ----------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d+[.)])[ \t]")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")  # attr_list: { #id .class key="value" }
_DANGEROUS_TAG = re.compile(r"<\s*(script|iframe|object|embed)\b", re.I)
_EVENT_ATTR = re.compile(r"(?:^|[\s\"'/])(on[a-z]+)\s*=", re.I)
_MD_LINK = re.compile(r"\]\(\s*<?([^\s)>]+)|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+)|<([a-zA-Z][\w+.-]*:[^\s>]*)>", re.M)
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript):", re.I)
_SHOW_AS_CODE = "authors write Markdown, not scripts; to show it, put it in `code`"


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _mask_code(body: str) -> str:
    """The body with fenced and indented code blocks, code spans and comments blanked out."""
    out, fence, in_list, previous_blank = [], None, False, True
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(_blank(line))
            continue
        if opening:
            fence = opening.group(1)
            out.append(_blank(line))
            continue
        indented = line.startswith(("    ", "\t"))
        if line.strip() and not indented:
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and not previous_blank)
        if indented and previous_blank and not in_list and line.strip():
            out.append(_blank(line))
            continue
        out.append(line)
        previous_blank = not line.strip()
    text = "\n".join(out)
    text = _COMMENT.sub(lambda m: _blank(m.group()), text)
    return _CODE_SPAN.sub(lambda m: _blank(m.group()), text)


def _bad_scheme(url: str) -> str | None:
    """'javascript:' for a URL a browser would run, however it is spelled (entities, case, spaces)."""
    match = _BAD_SCHEME.match(re.sub(r"[\x00-\x20\\]", "", html.unescape(url)))
    return match.group().lower() if match else None


def unsafe_html(path: str, body: str, first_line: int = 1) -> list[Problem]:
    """HTML that could run code in a reader's browser, outside code blocks and spans."""
    text = _mask_code(body)
    line_of = lambda offset: first_line + text.count("\n", 0, offset)  # noqa: E731
    found = []
    for match in _DANGEROUS_TAG.finditer(text):
        name = match.group(1).lower()
        found.append(Problem(path, line_of(match.start()), "html", f"<{name}> can run code ({_SHOW_AS_CODE})"))
    for tag in _TAG.finditer(text):
        attributes = tag.group(2)
        for attr in _EVENT_ATTR.finditer(attributes):
            found.append(Problem(path, line_of(tag.start()), "html", (
                f"the {attr.group(1).lower()}= attribute of <{tag.group(1).lower()}> runs code ({_SHOW_AS_CODE})")))
        for value in re.findall(r"=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", attributes):
            if scheme := _bad_scheme(value.strip("\"'")):
                found.append(Problem(path, line_of(tag.start()), "html", (
                    f"a {scheme} URL in <{tag.group(1).lower()}> runs code (link to a page or an https:// address)")))
    for block in _ATTR_LIST.finditer(text):
        for attr in _EVENT_ATTR.finditer(" " + block.group(1)):
            found.append(Problem(path, line_of(block.start()), "html", (
                f"the {attr.group(1).lower()}= attribute in {{ }} runs code ({_SHOW_AS_CODE})")))
        for value in re.findall(r"=\s*(\"[^\"]*\"|'[^']*'|[^\s}]+)", block.group(1)):
            if scheme := _bad_scheme(value.strip("\"'")):
                found.append(Problem(path, line_of(block.start()), "html", (
                    f"a {scheme} URL in {{ }} runs code (link to a page or an https:// address)")))
    for link in _MD_LINK.finditer(text):
        target = next(g for g in link.groups() if g)
        if scheme := _bad_scheme(target):
            found.append(Problem(path, line_of(link.start()), "link", (
                f"{scheme} URLs run code (link to a page or an https:// address)")))
    return sorted(found, key=lambda p: p.line)


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


_RUNS_CODE = {"script", "iframe", "object", "embed"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


def unsafe_elements(path: str, content: str, source: str) -> list[Problem]:
    """A second look, at the HTML Markdown made: whatever could run code, however it got there."""
    import lxml.html

    if not content.strip():
        return []
    found = []
    for element in lxml.html.fragment_fromstring(content, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.lower()
        reasons = [(f"<{name}> can run code", "<" + name)] if name in _RUNS_CODE else []
        for attribute, value in element.attrib.items():
            attribute = attribute.lower()
            if attribute.startswith("on"):
                reasons.append((f"the {attribute}= attribute of <{name}> runs code", attribute))
            elif attribute in _URL_ATTRIBUTES and (scheme := _bad_scheme(value)):
                reasons.append((f"a {scheme} URL in <{name}> runs code", scheme[:4]))
        for reason, needle in reasons:
            at = source.lower().find(needle)
            line = source.count("\n", 0, at) + 1 if at >= 0 else 1
            found.append(Problem(path, line, "html", f"{reason} ({_SHOW_AS_CODE})"))
    return found
