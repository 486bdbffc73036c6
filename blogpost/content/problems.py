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


class ProblemsError(PluginError):
    """The build's one error: its message lists every problem, and `problems` holds them, sorted,
    for anything that shows them another way (the preview's error page)."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


def report(problems: list[Problem], what: str) -> PluginError:
    """One error listing every problem (each once), sorted by file and line."""
    problems = sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line))
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    return ProblemsError(f"{count} in {what}:\n" + "\n".join(map(str, problems)), problems)
