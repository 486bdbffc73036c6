"""The second look, at what a browser will get: each page's rendered HTML held to the allow-list
(allowlist.py), each problem at the source's line."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.pages import Page

from blogpost.content import allowlist
from blogpost.content.gate import named
from blogpost.content.problems import Problem
from blogpost.content.source import decode
from blogpost.layout import EXCERPT_MARKER


def problems(html: str, page: Page, root: Path, *, excerpt: bool, body=None) -> list[Problem]:
    """A page's HTML outside the allow-list; for a post, also an excerpt marker that would cut it
    inside markup (Material's blog cuts a post's HTML at the marker's first occurrence). `body`:
    the HTML already parsed with allowlist.body_of()."""
    if body is None:
        body = allowlist.body_of(html) if html.strip() else None
    findings = allowlist.check(html, body)
    if excerpt and not _marker_at_top(html, body):
        findings.append(allowlist.Finding(
            f"'{EXCERPT_MARKER}' must stand on its own line between paragraphs, once "
            "(here it would cut the excerpt inside markup)", EXCERPT_MARKER))
    if not findings:
        return []
    return _located(findings, page, root)


def _marker_at_top(html: str, body) -> bool:
    """The marker occurs once in the HTML, as a comment that is a child of the page's body."""
    if html.count(EXCERPT_MARKER) != 1 or body is None:
        return False
    marker = EXCERPT_MARKER.removeprefix("<!--").removesuffix("-->").strip()
    return any(child.tag == "-comment" and (child.comment_content or "").strip() == marker
               for child in body.iter(include_text=False))


def _located(findings: list[allowlist.Finding], page: Page, root: Path) -> list[Problem]:
    """Problems at the line of the source where each finding's text first occurs (else line 1)."""
    path = named(root, page.file)
    if page.file.abs_src_path and not page.file.generated_by:
        source = decode(Path(page.file.abs_src_path).read_bytes()).lower()
    else:
        source = ""
    located = []
    for finding in findings:
        at = source.find(finding.needle.lower()) if finding.needle else -1
        line = source.count("\n", 0, at) + 1 if at >= 0 else 1
        located.append(Problem(path, line, "html", finding.message))
    return located
