"""Markup fixes no Material block allows, found by the Nu HTML Checker and axe-core, and the
scroll box around each table; run on every page after every other plugin."""

from __future__ import annotations

import html
import re

POST_SIDEBAR = '<nav class="md-nav md-nav--primary">'
PIN = '<span class="md-pin"></span>'
PIN_ITEM = '<li class="md-meta__item"><span class="md-pin" role="img" aria-label="Pinned" title="Pinned"></span></li>'


# Markdown's tables align a column with a style attribute, which the Content-Security-Policy
# blocks (style-src 'self'): a class does it instead (assets/stylesheets/posts.css).
ALIGNED_CELL = re.compile(r'<(t[hd])([^>]*?) style="text-align: (left|right|center);"')


# A table wider than the text column scrolls sideways inside its own box, never past the page:
# the box is a named region a keyboard can focus and scroll (axe: scrollable-region-focusable);
# assets/stylesheets/accessible.css draws the cue at the edge that scrolls.
TABLE_TAG = re.compile(r"<table\b[^>]*>|</table>")
HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
HEADERLINK = re.compile(r'<a class="headerlink".*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def _tables(output: str):
    """(start, end) of each outermost table: one an author nests in a cell stays in its box."""
    depth, start = 0, 0
    for match in TABLE_TAG.finditer(output):
        if match.group().startswith("</"):
            depth -= 1
            if depth == 0:
                yield start, match.end()
        else:
            if depth == 0:
                start = match.start()
            depth += 1


def scrolling_tables(output: str) -> str:
    """Each table in a scroll box named after the heading it follows ("Example KPIs, table";
    a second table under one heading is "table 2")."""
    names: dict[str, int] = {}
    pieces, last = [], 0
    for start, end in _tables(output):
        headings = HEADING.findall(output, 0, start)
        title = html.unescape(TAG.sub("", HEADERLINK.sub("", headings[-1][1])) if headings else "")
        title = " ".join(title.split())
        names[title] = names.get(title, 0) + 1
        label = ", ".join(part for part in (title, "table") if part)
        if names[title] > 1:
            label += f" {names[title]}"
        pieces += [output[last:start],
                   f'<div class="bp-table" role="region" tabindex="0" aria-label="{html.escape(label)}">',
                   output[start:end], "</div>"]
        last = end
    return "".join(pieces) + output[last:] if pieces else output


def fixed(output: str) -> str:
    if "<table" in output:
        output = scrolling_tables(output)
    if 'style="text-align: ' in output:
        output = ALIGNED_CELL.sub(r'<\1\2 class="bp-align-\3"', output)
    # The toggles are checkboxes: autocomplete is not allowed on them (vnu).
    output = re.sub(r'(<input class="md-toggle"[^>]*?) autocomplete="off"', r"\1", output)
    # A section's label in the navigation gets tabindex="" (vnu: not an integer).
    output = output.replace(' tabindex=""', "")
    # The table of contents' title points at a toggle that only some pages have (vnu).
    if 'id="__toc"' not in output:
        output = output.replace('<label class="md-nav__title" for="__toc">',
                                '<label class="md-nav__title">')
    # A nested navigation is named by its section's label, which holds only an icon; name it
    # by its title instead, which holds the section's name (axe: landmark-unique).
    output = re.sub(
        r'(<nav class="md-nav" data-md-level="\d+" aria-labelledby=")([^"]+)_label("[^>]*>\s*'
        r'<label class="md-nav__title" for="\2")',
        r'\1\2_title\3 id="\2_title"', output,
    )
    # A post's sidebar is a second unnamed navigation (axe: landmark-unique).
    output = output.replace(POST_SIDEBAR, POST_SIDEBAR[:-1] + ' aria-label="About this post">')
    # An excerpt's avatars and its "Continue reading" link are not navigation: as landmarks,
    # one pair per excerpt, all alike, they make a listing's landmarks indistinguishable.
    output = re.sub(r'<nav (class="md-post__(?:authors|action)\b[^"]*">.*?)</nav>', r"<div \1</div>",
                    output, flags=re.S)
    # A task list's checkbox is labelled by an empty icon; let its label hold the item's text
    # up to the first block inside the item (axe: label).
    output = re.sub(
        r'(<label class="task-list-control"><input [^>]*><span class="task-list-indicator"></span>)'
        r"</label>(.*?)(?=</li>|</p>|<ul|<ol|<p>|<div)",
        r"\1\2</label>", output, flags=re.S,
    )
    # A pinned post's mark in a list is an empty <span> straight inside the <ul> of its date and
    # reading time (vnu: not allowed there), with nothing for a screen reader: an item, named.
    output = output.replace(PIN, PIN_ITEM)
    return output
