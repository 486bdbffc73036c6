"""The front matter of every post and guide passes the one schema (blogpost/content/schema.py),
and the validator answers any front matter at all with "valid" or clear errors, never an exception."""

import datetime as dt
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogpost.content.publication import publication
from blogpost.content.schema import FIELDS, validate
from blogpost.content.source import check_source, load_authors
from blogpost.layout import Layout
from conftest import DOCS

PAGES = sorted(DOCS.glob("blog/posts/**/*.md")) + sorted(DOCS.glob("guides/**/*.md"))
AUTHORS = load_authors(str(DOCS))
PATH = "docs/blog/posts/2026-11-20-x.md"
# path:line: field: message -- a field that is not a plain word is quoted.
LINE = re.compile(r"^docs/blog/posts/2026-11-20-x\.md:\d+: (?:[\w -]+|'[^\n]*'|\"[^\n]*\"): [^\n]+$")


def test_there_are_pages_to_check():
    assert PAGES


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_front_matter_is_valid(path, vocabulary):
    src_uri = path.relative_to(DOCS).as_posix()
    checked = check_source(f"docs/{src_uri}", path.read_bytes(), kind=Layout().kind_of(src_uri),
                           tags=list(vocabulary), authors=AUTHORS)
    assert checked.problems == []
    assert checked.meta["title"] and checked.meta["tags"]


def good() -> dict:
    return {"title": "Vendor access reviews", "date": dt.date(2026, 11, 20),
            "description": "A quarterly routine.", "tags": ["AI"], "authors": ["editors"]}


def problems(vocabulary, kind="post", **changes):
    meta = {**good(), **changes}
    meta = {k: v for k, v in meta.items() if v is not ...}
    return [str(p) for p in validate(meta, path=PATH, kind=kind, tags=list(vocabulary), authors=AUTHORS)]


def test_a_complete_post_is_valid(vocabulary):
    assert problems(vocabulary) == []
    assert problems(vocabulary, updated=dt.date(2026, 11, 21), draft=False, slug="access-reviews") == []
    zoned = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert problems(vocabulary, date=zoned) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"tags": ["ai"]}, "tags: 'ai' is not a known tag (did you mean 'AI'?)"),
        ({"tags": ["Lerning"]}, "tags: 'Lerning' is not a known tag (did you mean 'Learning'?)"),
        ({"tags": []}, "tags: is an empty list"),
        ({"tags": "AI"}, "tags: is text, must be a list of tag names"),
        ({"tags": ...}, "tags: required field is missing"),
        ({"tittle": "x", "title": ...}, "tittle: unknown field (did you mean 'title'?)"),
        ({"title": ...}, "title: required field is missing"),
        ({"title": 2026}, "title: is a number, must be text"),
        ({"title": "two\nlines"}, "title: must be one line of plain text"),
        ({"date": "2026-11-20"}, "date: 2026-11-20 is text, not an ISO 8601 date"),
        ({"date": dt.datetime(2026, 11, 20, 9, 30)}, "date: 2026-11-20 09:30:00 is a date-time, not an ISO 8601"),
        ({"date": ...}, "date: required field is missing"),
        ({"updated": dt.date(2026, 11, 19)}, "updated: 2026-11-19 is before date 2026-11-20"),
        ({"description": "x" * 161}, "description: is 161 characters long, at most 160 allowed (cut 1)"),
        ({"description": ...}, "description: required field is missing"),
        ({"authors": ["editor"]}, "authors: 'editor' is not a known author (did you mean 'editors'?)"),
        ({"authors": ...}, "authors: required field is missing"),
        ({"draft": "yes"}, "draft: is text, must be true or false"),
        ({"slug": "Not A Slug"}, "slug: 'Not A Slug' must be lowercase words joined by hyphens"),
        ({"description": "two\nlines"}, "description: must be one line of plain text, it has a line break"),
        ({"description": " padded"}, "description: must be one line of plain text, not empty"),
        ({"title": "A\x07post"}, "title: has the control character U+0007, not allowed (remove it)"),
        ({"tags": ["AI", "Lear\u2028ning"]}, "tags: must be one line of plain text, it has a line break"),
        ({"authors": ["edi\ttors"]}, "authors: has a tab, not allowed (use spaces, not tabs)"),
        ({"updated": dt.date(9999, 1, 1)}, "updated: 9999-01-01 is after now (updated is when the page last changed)"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_schema_error_names_the_field_with_a_hint(vocabulary, changes, expected):
    found = problems(vocabulary, **changes)
    assert any(expected in line for line in found), found
    assert all(LINE.match(line) for line in found), found


def test_guides_do_not_need_authors(vocabulary):
    assert problems(vocabulary, kind="guide", authors=...) == []


def test_schema_errors_carry_the_line_of_the_field(vocabulary):
    source = ("---\ntitle: T\ndate: 2026-11-20\ndescription: D\ntags:\n  - AI\n  - ai\n"
              "authors: [editors]\ncolour: blue\n---\n\n# T\n\n<!-- more -->\n")
    checked = check_source(PATH, source.encode(), kind="post", tags=list(vocabulary), authors=AUTHORS)
    assert [str(p) for p in checked.problems] == [
        f"{PATH}:7: tags: 'ai' is not a known tag (did you mean 'AI'?)",
        f"{PATH}:9: colour: unknown field (allowed: {', '.join(FIELDS)})",
    ]


def test_a_future_date_in_the_site_timezone_is_scheduled():
    tz = dt.timezone(dt.timedelta(hours=13))
    now = dt.datetime(2026, 11, 20, 12, 0, tzinfo=tz)
    assert publication({"date": dt.date(2026, 11, 20)}, now, tz) is None
    assert publication({"date": dt.date(2026, 11, 21)}, now, tz) == "scheduled"
    assert publication({"date": now + dt.timedelta(minutes=1)}, now, tz) == "scheduled"
    assert publication({"date": dt.date(2020, 1, 1), "draft": True}, now, tz) == "draft"
    assert publication({"date": dt.date(2020, 1, 1), "draft": False}, now, tz) is None


# Front matter of any shape: known and unknown keys, YAML's scalar types, nesting.
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=200)
           | st.dates() | st.datetimes() | st.datetimes(timezones=st.timezones()))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=10)
KEYS = st.sampled_from(FIELDS + ("tittle", "tag", "Title")) | st.text(max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=st.dictionaries(KEYS, VALUES, max_size=10), kind=st.sampled_from(["post", "guide"]))
def test_any_front_matter_is_valid_or_gets_clear_errors(vocabulary, meta, kind):
    found = validate(meta, path=PATH, kind=kind, tags=list(vocabulary), authors=AUTHORS)
    for problem in found:
        assert LINE.match(str(problem)), str(problem)
    if not found:
        assert {"title", "date", "description", "tags"} <= set(meta)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=st.dictionaries(KEYS, VALUES, max_size=10) | st.binary(max_size=200).map(lambda b: b.decode("latin-1"))
       | st.binary(max_size=200), noise=st.binary(max_size=20))
def test_any_source_file_is_valid_or_gets_clear_errors(vocabulary, meta, noise):
    # Front matter of any shape, as YAML writes it, as Latin-1 text or as arbitrary bytes (more
    # kinds of input, and the reproducers of the hardening issue: tests/test_hardening.py).
    try:
        front = yaml.safe_dump(meta, allow_unicode=True) if isinstance(meta, dict) else meta
    except yaml.YAMLError:
        front = repr(meta)
    front = front if isinstance(front, bytes) else front.encode("utf-8")
    raw = b"---\n" + front + b"---\n\n" + noise + b"\n<!-- more -->\n"
    checked = check_source(PATH, raw, kind="post", tags=list(vocabulary), authors=AUTHORS)
    for problem in checked.problems:
        assert LINE.match(str(problem)), str(problem)
