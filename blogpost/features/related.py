"""Related posts: for each post, a few other posts ranked by shared tags, then recency."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from blogpost.model import Entry

Groups = dict[frozenset[str], list[Entry]]


def _rank(entry: Entry) -> tuple:
    return -entry.date.timestamp(), entry.title  # newest first; equal dates by title


def by_tags(candidates: Iterable[Entry]) -> Groups:
    """Posts grouped by their set of tags, each group in rank order. A site has few such
    sets, so ranking a post looks at a few posts per set instead of at every post."""
    groups: Groups = {}
    for entry in candidates:
        if entry.is_post:
            groups.setdefault(frozenset(entry.tags), []).append(entry)
    for members in groups.values():
        members.sort(key=_rank)
    return groups


def related(entry: Entry, groups: Groups, limit: int) -> list[Entry]:
    """Other posts sharing at least one tag with `entry`: most shared tags first, then newest
    (then by title, so that equal dates give one stable order)."""
    mine = set(entry.tags)
    scored = []
    for tags, members in groups.items():
        shared = len(mine.intersection(tags))
        if shared:
            others = (e for e in members if e.file.src_uri != entry.file.src_uri)
            scored += [((-shared, *_rank(other)), other) for _, other in zip(range(limit), others)]
    return [other for _, other in heapq.nsmallest(limit, scored, key=lambda item: item[0])]
