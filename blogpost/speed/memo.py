"""Results by key, kept by the preview from one build to the next."""

from __future__ import annotations


_MISSING = object()


class Memo:
    """Results by key, from this build and the one before: a result the last build computed is
    reused, and only this build's are kept for the next, so the memo never outgrows the site."""

    def __init__(self) -> None:
        self.last: dict = {}
        self.now: dict = {}

    def get(self, key, compute):
        found = self.find(key, _MISSING)
        if found is _MISSING:
            found = self.now[key] = compute()
        return found

    def find(self, key, missing=None):
        """This build's or the last one's result (then kept for the next build), else `missing`."""
        if key in self.now:
            return self.now[key]
        if key in self.last:
            found = self.now[key] = self.last[key]
            return found
        return missing

    def keep(self, key, result) -> None:
        self.now[key] = result

    def next_build(self) -> None:
        self.last, self.now = self.now, {}

    def clear(self) -> None:
        self.last, self.now = {}, {}
