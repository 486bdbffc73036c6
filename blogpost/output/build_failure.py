"""What the preview shows while the last rebuild of `mkdocs serve` failed: the problems, one per
line as the terminal lists them (`file:line: what is wrong (hint)`), escaped, on a page of its own."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from mkdocs.exceptions import Abort, MkDocsException

from blogpost.output.csp import script_hash

LOCATED = re.compile(r"(?P<where>[^\s:][^:\n]*:\d+): (?P<what>.*)", re.S)  # file:line: what


@dataclass(frozen=True)
class Failure:
    summary: str  # one sentence: how many problems, or what stopped the build
    lines: tuple[str, ...]  # one problem each, as the terminal shows it
    text: str  # what the terminal shows of it
    expected: bool = True  # an author's problem, not a crash whose traceback helps


def failure_of(error: BaseException, logged: list[str]) -> Failure:
    """The problems behind `error`, which the builder raised; `logged`: the warnings and errors
    the build logged (MkDocs reports configuration errors and strict-mode warnings only there)."""
    causes = list(_chain(error))
    for cause in causes:
        problems = getattr(cause, "problems", None)
        if problems:
            text = str(cause)
            head = text.split("\n", 1)[0]  # "N problems in X:", as problems.report writes it
            count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
            # In the order the terminal shows them (the report sorts them).
            lines = sorted(map(str, problems), key=lambda line: (line not in text, text.find(line)))
            return Failure(head.rstrip(":") if head.endswith(":") else count, tuple(lines), text)
    for cause in causes:
        # A report's text ("N problems in X:", one per line), or any error of a plugin or the config
        if isinstance(cause, MkDocsException) and not isinstance(cause, Abort):
            text = str(cause)
            head, *rest = text.splitlines() or [""]
            if rest and head.endswith(":"):
                return Failure(head.rstrip(":"), tuple(rest), text)
            return Failure("The build stopped at this error", (text,), text)
    if isinstance(error, Abort):  # a configuration error, or warnings in strict mode
        lines = tuple(logged) or (str(error),)
        return Failure(str(error).rstrip("!."), lines, "\n".join(lines))
    text = f"{type(error).__name__}: {error}"
    return Failure("The build stopped at an unexpected error (the terminal shows where)", (text,), text,
                   expected=False)


def _chain(error: BaseException):
    """The error, then what it was raised from or while handling: MkDocs turns a plugin's
    error into Abort("Aborted with a BuildError!") inside its `except` clause."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


STYLE = """
:root { color-scheme: light dark; --bg: #fff; --fg: rgba(0, 0, 0, .87); --muted: rgba(0, 0, 0, .6);
  --primary: #4051b5; --on-primary: #fff; --mark: #b3261e; --code-bg: #f5f5f5; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #1e2029; --fg: #e2e4e9; --muted: #a9adbd; --code-bg: #282b36; --mark: #ff8a80; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.6;
  font: 1rem/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header { background: var(--primary); color: var(--on-primary); padding: .75rem 1rem; font-weight: 700; }
main { max-width: 50rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; font-weight: 400; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
.hint { color: var(--muted); }
ol { list-style: none; margin: 1.5rem 0; padding: 0; }
li { border-left: 4px solid var(--mark); background: var(--code-bg); margin: 0 0 .75rem;
  padding: .5rem .75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
li code { display: block; color: var(--mark); font-weight: 700; }
"""


def page(failure: Failure, *, site_name: str, reload_script: str, reload_element: str) -> str:
    """The error page, under a policy of its own: only its style and the reload script run,
    and the only request it makes is the reload script's poll."""
    policy = "; ".join([
        "default-src 'none'", f"style-src {script_hash(STYLE)}", f"script-src {script_hash(reload_script)}",
        "connect-src 'self'", "base-uri 'none'", "form-action 'none'",
    ])
    name = html.escape(site_name)
    items = "\n".join(f"<li>{_line(line)}</li>" for line in failure.lines)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>Build failed - {name}</title>
<style>{STYLE}</style>
</head>
<body>
<header>{name} · preview</header>
<main>
<h1>The site could not be built</h1>
<p>{html.escape(failure.summary)}:</p>
<ol>
{items}
</ol>
<p class="hint">Fix them and save: this page reloads by itself once the site builds.
The terminal running <code>mkdocs serve</code> lists the same problems.</p>
</main>
{reload_element}
</body>
</html>
"""


def _line(line: str) -> str:
    found = LOCATED.fullmatch(line)
    if not found:
        return html.escape(line)
    return f"<code>{html.escape(found['where'])}: </code>{html.escape(found['what'])}"
