"""The front-matter schema of posts and guide pages, declared once (the build, the tests and
`make post` import it), and its errors explained in an author's terms, each with a hint."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import re

from jsonschema import Draft202012Validator, FormatChecker

from blogpost.content.problems import Problem

# A former address of a page (`aliases`): a path from the site's address to a folder, one or
# more segments of ASCII letters, digits and "._~-" each ending with "/"; a segment starts with
# neither "." nor "~", so there is no "..", no dot-folder, no leading "/", no scheme
# ("https:"), no "?" or "#", and no "%" escape that would name another file than it reads.
ALIAS = r"^(?:[A-Za-z0-9_-][A-Za-z0-9._~-]*/)+$"

# The front matter of a post or guide page. Tag and author names are filled in from
# docs/.tags.yml and the blog's .authors.yml by schema_for(); "authors" is required on posts, and
# only posts take "pin" (Material's blog lists pinned posts first; so does the home page).
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
        "description": {"type": "string", "minLength": 1, "maxLength": 160, "pattern": r"^[^\s](?:[^\n]*[^\s])?$"},
        "tags": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
        "authors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
        "draft": {"type": "boolean"},
        "pin": {"type": "boolean"},
        "slug": {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"},
        "aliases": {"type": "array", "minItems": 1, "uniqueItems": True,
                    "items": {"type": "string", "pattern": ALIAS}},
    },
}
FIELDS = tuple(SCHEMA["properties"])

# One hint per kind of mistake, wherever it is found (YAML's reading or the schema's).
DATE_HINT = "write 2026-11-20, or 2026-11-20T09:30:00+01:00, without quotes"
TAB_HINT = "use spaces, not tabs"

# The description `make post` writes until the author writes one (scripts/new_post.py): refused
# on any page that is not a draft, so that it never becomes a page's summary in search and feeds.
PLACEHOLDER_DESCRIPTION = "One or two sentences for search results and feeds, at most 160 characters."

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
    else:
        del schema["properties"]["pin"]
    return schema


@functools.lru_cache(maxsize=8)  # one per vocabulary and kind: a build checks hundreds of pages
def _validator(tags: tuple[str, ...], authors: tuple[str, ...], post: bool) -> Draft202012Validator:
    return Draft202012Validator(schema_for(list(tags), list(authors), post=post), format_checker=FORMATS)


def validate(
    meta: dict, *, path: str, lines: dict | None = None, kind: str = "post",
    tags: list[str], authors: list[str], now: dt.datetime | None = None,
) -> list[Problem]:
    """Schema errors of one front matter, in file order, each with its line and a hint.

    `now` is the build's time (default: now, in UTC); a bare date is compared with its date."""
    lines = lines or {}
    validator = _validator(tuple(tags), tuple(authors), kind == "post")
    problems = control_characters(meta, path=path, lines=lines)
    flagged = {problem.field for problem in problems}
    for error in validator.iter_errors(meta):
        for field, index, message in _explain(error, meta, tags, authors):
            if error.validator == "pattern" and field_name(field) in flagged:
                continue  # said already, more precisely
            line = lines.get((field, index)) or lines.get(field) or 1
            problems.append(Problem(path, line, field_name(field), message))
    description = meta.get("description")
    if isinstance(description, str) and description.strip() == PLACEHOLDER_DESCRIPTION and meta.get("draft") is not True:
        problems.append(Problem(path, lines.get("description", 1), "description", (
            "still the placeholder of `make post` (write one or two sentences that say what the page "
            "is about: search results, link previews and feeds show them)")))
    updated, created = meta.get("updated"), meta.get("date")
    if _is_date(updated):
        now = now or dt.datetime.now(dt.timezone.utc)
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.timezone.utc)
        later = updated > now if isinstance(updated, dt.datetime) else updated > now.date()
        if later:
            problems.append(Problem(path, lines.get("updated", 1), "updated", (
                f"{updated} is after now (updated is when the page last changed)")))
        elif _is_date(created) and _as_datetime(updated) < _as_datetime(created):
            problems.append(Problem(path, lines.get("updated", 1), "updated", (
                f"{updated} is before date {created} (updated is when the page last changed)")))
    problems.sort(key=lambda p: p.line)
    return problems


def _is_date(value: object) -> bool:
    """A date, or a date-time with an offset: what the schema's site-date format accepts."""
    return isinstance(value, dt.date) and (not isinstance(value, dt.datetime) or value.utcoffset() is not None)


# What plain text never holds: C0 controls (tab and line breaks included), DEL, C1 controls,
# and Unicode's line and paragraph separators. Feeds, metadata and generated YAML all carry
# titles, descriptions and names on one line.
_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def not_plain(text: str) -> str | None:
    """What is wrong with a string that holds a control character or a line break, else None."""
    match = _NOT_PLAIN.search(text)
    if not match:
        return None
    char = match.group()
    if char in _LINE_BREAKS:
        return "must be one line of plain text, it has a line break (write it on one line, without '>' or '|')"
    if char == "\t":
        return f"has a tab, not allowed ({TAB_HINT})"
    return f"has the control character U+{ord(char):04X}, not allowed (remove it)"


def control_characters(meta: dict, *, path: str, lines: dict | None = None) -> list[Problem]:
    """Every string in a front matter, at any depth (keys too), that is not plain one-line text:
    one problem per string, at the line of its field (or list item)."""
    lines = lines or {}
    problems = []
    for key, value in meta.items():
        stack: list[tuple[object, int | None]] = [(key, None), (value, None)]
        while stack:
            item, index = stack.pop()
            if isinstance(item, str):
                if message := not_plain(item):
                    line = lines.get((key, index)) or lines.get(key) or 1
                    problems.append(Problem(path, line, field_name(key), message))
            elif isinstance(item, (list, tuple)):
                stack += ((child, at if item is value else index) for at, child in enumerate(item))
            elif isinstance(item, dict):
                for child_key, child in item.items():
                    stack += ((child_key, index), (child, index))
    return problems


def field_name(key: object) -> str:
    """A field as the author wrote it; quoted when it is not a plain word, so the line stays readable."""
    key = str(key)
    return key if re.fullmatch(r"[\w-]+", key) else repr(key)


_field_name = field_name


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
        allowed = [name for name in FIELDS if name in error.schema["properties"]]
        for key in sorted(set(meta) - set(allowed), key=str):
            if key == "pin":  # known, but a guide page is never in a list of latest posts
                yield key, None, "only posts can be pinned (remove it)"
                continue
            hint = _hint(key, allowed, "allowed: " + ", ".join(allowed))
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
        shown = _NOT_PLAIN.sub(lambda m: repr(m.group())[1:-1], f"{value!s:.40}")
        if isinstance(value, str) and (wrong := _not_a_date(value)):  # quoted, and no date either
            yield field, None, f"{shown} is text in quotes, and not a date: {wrong} ({DATE_HINT})"
            return
        yield field, None, (f"{shown} is {_describe(value)}, not an ISO 8601 date or a date-time with "
                            f"an offset ({DATE_HINT})")
        return
    if field == "aliases" and kind == "pattern":
        yield field, index, (f"{str(value)[:80]!r} is not a former address on this site (write the path after the "
                             "site's address, ending with '/', without a leading '/', 'https:', '..', "
                             "'?', '#' or '%': like 'blog/2026/11/02/old-slug/')")
        return
    if kind == "type":
        wanted = {"tags": "a list of tag names", "authors": "a list of author keys",
                  "draft": "true or false", "aliases": "a list of former addresses",
                  "pin": "true or false"}.get(field, "text")
        if index is not None:
            wanted = "an address" if field == "aliases" else "a name"
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


def _not_a_date(text: str) -> str | None:
    """Why text written like a date (2026-13-01) is none; None when it is one, or not like one."""
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}(?:[Tt ].*)?", text.strip()):
        return None
    try:
        dt.datetime.fromisoformat(text.strip())
    except ValueError as error:
        return str(error).removeprefix("Invalid isoformat string: ")
    return None


EXAMPLES = {
    "title": 'title: "Vendor access reviews"',
    "date": "date: 2026-11-20",
    "description": "description: One or two sentences, at most 160 characters.",
    "tags": "tags: [AI, Learning]",
    "authors": "authors: [editors]",
    "draft": "draft: true",
    "pin": "pin: true",
    "slug": "slug: vendor-access-reviews",
    "updated": "updated: 2026-11-21",
    "aliases": "aliases: [blog/2026/11/02/old-slug/]",
}


