"""The ranking of related posts, on made-up entries: shared tags first, then recency."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

from hypothesis import given, strategies as st

from blogpost.features.related import by_tags
from blogpost.features.related import related as ranked
from blogpost.model import Entry

LIMIT = 3  # the related_posts option's default


def related(entry: Entry, groups) -> list[Entry]:
    return ranked(entry, groups, LIMIT)

UTC = dt.timezone.utc


def entry(name: str, day: int, tags: str, *, post: bool = True) -> Entry:
    folder = "blog/posts/" if post else "guides/"
    return Entry(
        title=name, description="", date=dt.datetime(2026, 1, day, tzinfo=UTC), updated=None,
        tags=tuple(tags), file=SimpleNamespace(src_uri=f"{folder}{name}.md"), is_post=post,
    )


def names(entries: list[Entry]) -> list[str]:
    return [e.title for e in entries]


def test_more_shared_tags_rank_first_then_newer_posts():
    me = entry("me", 10, "abc")
    others = [entry("old-three", 1, "abc"), entry("new-one", 9, "a"), entry("mid-two", 5, "bc"),
              entry("new-two", 8, "ab"), entry("none", 7, "xyz")]
    random.Random(1).shuffle(others)
    assert names(related(me, by_tags([me, *others]))) == ["old-three", "new-two", "mid-two"]


def test_at_most_three_and_never_itself_or_a_guide():
    me = entry("me", 10, "a")
    others = [entry(f"p{d}", d, "a") for d in range(1, 7)] + [entry("guide", 9, "a", post=False)]
    result = related(me, by_tags([me, *others]))
    assert names(result) == ["p6", "p5", "p4"] and LIMIT == 3


def test_nothing_when_no_other_post_shares_a_tag():
    me = entry("me", 10, "a")
    assert related(me, by_tags([me, entry("other", 3, "bc")])) == []
    assert related(me, by_tags([me])) == []


def test_equal_posts_are_ordered_by_title():
    me = entry("me", 10, "a")
    assert names(related(me, by_tags([entry("b", 2, "a"), entry("a", 2, "a"), me]))) == ["a", "b"]


posts = st.lists(
    st.tuples(st.integers(1, 28), st.sets(st.sampled_from("abcd"), min_size=1)),
    min_size=0, max_size=12,
)


@given(mine=st.sets(st.sampled_from("abcd"), min_size=1), others=posts)
def test_ranking_matches_its_definition(mine, others):
    """Ranking by groups of tags gives what sorting every other post would."""
    me = entry("me", 15, "".join(sorted(mine)))
    candidates = [entry(f"p{i:02}", day, "".join(sorted(tags))) for i, (day, tags) in enumerate(others)]
    sharing = [c for c in candidates if set(c.tags) & mine]
    expected = sorted(sharing, key=lambda c: (-len(set(c.tags) & mine), -c.date.timestamp(), c.title))
    assert related(me, by_tags([me, *candidates])) == expected[:LIMIT]
