"""Related posts: for each post, a few other posts ranked by shared tags, then recency."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from blogpost.model import Entry



class Groups(dict):
    """Posts by their set of tags (frozenset -> entries in rank order), with the ranking of each
    set of tags made once: posts with the same tags have the same related posts, but themselves."""

    def __init__(self) -> None:
        super().__init__()
        self.ranked: dict[tuple[frozenset[str], int], list[Entry]] = {}


def _rank(entry: Entry) -> tuple:
    return -entry.date.timestamp(), entry.title  # newest first; equal dates by title


def by_tags(candidates: Iterable[Entry]) -> Groups:
    """Posts grouped by their set of tags, each group in rank order. A site has few such
    sets, so ranking a post looks at a few posts per set instead of at every post."""
    groups = Groups()
    for entry in candidates:
        if entry.is_post:
            groups.setdefault(frozenset(entry.tags), []).append(entry)
    for members in groups.values():
        members.sort(key=_rank)
    return groups


def related(entry: Entry, groups: Groups, limit: int) -> list[Entry]:
    """Other posts sharing at least one tag with `entry`: most shared tags first, then newest
    (then by title, so that equal dates give one stable order)."""
    key = (frozenset(entry.tags), limit)
    ranked = groups.ranked.get(key) if isinstance(groups, Groups) else None
    if ranked is None:
        # One more than asked for: the entry itself may be among them.
        ranked = _ranked(key[0], groups, limit + 1)
        if isinstance(groups, Groups):
            groups.ranked[key] = ranked
    return [other for other in ranked if other.file.src_uri != entry.file.src_uri][:limit]


def _ranked(mine: frozenset[str], groups: dict, n: int) -> list[Entry]:
    """The n posts sharing most of `mine`, then newest (a stable sort: equal keys keep group order)."""
    scored = []
    for tags, members in groups.items():
        shared = len(mine.intersection(tags))
        if shared:
            scored += [((-shared, *_rank(other)), other) for other in members[:n]]
    return [other for _, other in heapq.nsmallest(n, scored, key=lambda item: item[0])]
