"""A problem an author can act on, `file:line: field: what is wrong (hint)`, and the one error
that reports every problem of a build at once."""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs.exceptions import PluginError


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


def report(problems: list[Problem], what: str) -> PluginError:
    """One error listing every problem, sorted by file and line."""
    problems = sorted(problems, key=lambda p: (p.path, p.line))
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    return PluginError(f"{count} in {what}:\n" + "\n".join(map(str, problems)))
