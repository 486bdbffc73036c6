"""Copies of memoized results that a later change cannot reach back into: the preview keeps
results from build to build, and every build changes what it is given (the plugins add to a
page's front matter, Material sets a post's reading time in its settings)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

from markupsafe import Markup
from mkdocs.config.base import Config

# Values that nothing can change in place: a copy may share them.
IMMUTABLE = {str, Markup, int, float, bool, type(None), bytes, dt.date, dt.datetime, dt.time, dt.timedelta}


def fresh(item, other=copy.deepcopy):
    """A copy of a memoized result that a later change cannot reach back into the memo: YAML
    data and dataclasses of it are copied container by container, immutable values (and
    frozen dataclasses) shared; any other value as `other` copies it."""
    kind = type(item)
    if kind in IMMUTABLE:
        return item
    if kind is dict:
        return {key: fresh(value, other) for key, value in item.items()}
    if kind is list:
        return [fresh(value, other) for value in item]
    if kind is tuple:
        return tuple([fresh(value, other) for value in item])
    if kind is set:
        return set(item)
    if dataclasses.is_dataclass(kind):
        if kind.__dataclass_params__.frozen:
            return item
        return dataclasses.replace(item, **{f.name: fresh(getattr(item, f.name), other)
                                            for f in dataclasses.fields(kind) if f.init})
    if isinstance(item, dict):  # a dict of its own kind (Material's DateDict), made from a dict
        try:
            return kind({key: fresh(value, other) for key, value in item.items()})
        except TypeError:
            pass
    return other(item)


def fresh_config(config: Config) -> Config:
    """A copy of a validated configuration (Material's settings of a post) with its own values:
    its schema and file are shared, as nothing changes them."""
    made = copy.copy(config)  # UserDict.__copy__: the instance's attributes, a shallow copy of data
    made.data = fresh(config.data)
    return made
