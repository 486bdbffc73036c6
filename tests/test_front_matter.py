"""The front matter of every post and guide page is valid."""

import datetime as dt

import pytest
import yaml
from mkdocs.utils.meta import get_data

from conftest import DOCS

PAGES = sorted(DOCS.glob("blog/posts/**/*.md")) + sorted(DOCS.glob("guides/**/*.md"))
AUTHORS = yaml.safe_load((DOCS / "blog" / ".authors.yml").read_text(encoding="utf-8"))["authors"]


def test_there_are_pages_to_check():
    assert PAGES


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_front_matter_is_valid(path, vocabulary):
    _, meta = get_data(path.read_text(encoding="utf-8"))
    assert isinstance(meta.get("title"), str) and meta["title"].strip()
    assert isinstance(meta.get("date"), (dt.date, dt.datetime))
    description = meta.get("description")
    assert isinstance(description, str) and 0 < len(description) <= 160
    tags = meta.get("tags")
    assert isinstance(tags, list) and tags
    assert set(tags) <= set(vocabulary), set(tags) - set(vocabulary)
    authors = meta.get("authors", [])
    if path.is_relative_to(DOCS / "blog" / "posts"):
        assert authors, "a post names its authors"
    assert set(authors) <= set(AUTHORS)
