"""Markup fixes no Material block allows, found by the Nu HTML Checker and axe-core."""

from __future__ import annotations

import re

POST_SIDEBAR = '<nav class="md-nav md-nav--primary">'
PIN = '<span class="md-pin"></span>'
PIN_ITEM = '<li class="md-meta__item"><span class="md-pin" role="img" aria-label="Pinned" title="Pinned"></span></li>'


# Markdown's tables align a column with a style attribute, which the Content-Security-Policy
# blocks (style-src 'self'): a class does it instead (assets/stylesheets/posts.css).
ALIGNED_CELL = re.compile(r'<(t[hd])([^>]*?) style="text-align: (left|right|center);"')


def fixed(output: str) -> str:
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
