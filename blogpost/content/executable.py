"""HTML that could run code in a reader's browser, found in a page's Markdown source (code blocks,
spans and comments masked, so code that shows HTML is fine), in one pass: the first look, with the
author's line numbers. The HTML the page renders to is then held to the allow-list (allowlist.py)."""

from __future__ import annotations

import bisect
import html
import re
from collections import deque

from blogpost.content.problems import Problem

_FENCE = re.compile(r"^[ \t]*+(`{3,}|~{3,})")
# A line that opens a block whose indented lines are its content, not code: a list item, an
# admonition or details block, a definition, a footnote.
_CONTAINER_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d+[.)]|!!!|\?\?\?\+?|={3}[!+]?|:|\[\^[^\]\n]++\]:)(?:[ \t]|$)")
# Every scan below is one pass, linear in the body: author input never makes the check slow.
# Regular expressions here never backtrack far (no nested or overlapping quantifiers: `*+` is
# possessive); comments, code spans and tags are found by str.find loops.
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*+(?=\n)")  # a code span never crosses one
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*+)")
_TAG_TEXT = re.compile(r"[^<>\"']*+")  # what a tag holds between its quoted values
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*+)\}")  # attr_list: { #id .class key="value" }
_DANGEROUS_TAG = re.compile(r"<\s*+(script|iframe|object|embed)\b", re.I)
_EVENT_ATTR = re.compile(r"(?:^|[\s\"'/])(on[a-z]++)\s*+=", re.I)
_ATTR_VALUE_IN_TAG = re.compile(r"=\s*+(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_ATTR_VALUE_IN_LIST = re.compile(r"=\s*+(\"[^\"]*\"|'[^']*'|[^\s}]+)")
# Markdown link destinations: inline, reference definitions, autolinks (links.py locates links
# with it too). An autolink holds no '<' (CommonMark), which also keeps its scan from running
# past the next one.
MD_LINK = re.compile(r"\]\(\s*+<?([^\s)>]+)|^[ \t]{0,3}\[[^\]\n]++\]:[ \t]*+<?(\S+)"
                      r"|<([a-zA-Z][\w+.-]*+:[^\s<>]*+)>", re.M)
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript):", re.I)
_SHOW_AS_CODE = "authors write Markdown, not scripts; to show it, put it in `code`"


def _blank(text: str) -> str:
    """Spaces for every character but line breaks, so that offsets and lines stay where they were."""
    return "\n".join(" " * len(part) for part in text.split("\n"))


def mask_code(body: str) -> str:
    """The body with fenced and indented code blocks, comments and code spans blanked out."""
    if "```" in body or "~~~" in body or "\n    " in "\n" + body or "\n\t" in "\n" + body:
        text = _mask_blocks(body)
    else:
        text = body  # no line opens a fence or is indented: no code block to blank
    if "<!--" in text:
        text = _blank_spans(text, _comments(text))
    if "`" in text:
        text = _blank_spans(text, _code_spans(text))
    return text



def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each (start, end) span blanked; spans in order, not overlapping."""
    if not spans:
        return text
    out, at = [], 0
    for start, end in spans:
        out += (text[at:start], _blank(text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out)


def _comments(text: str) -> list[tuple[int, int]]:
    """Each `<!-- ... -->`; an unclosed one is left as it is (and so is all text after it)."""
    spans = []
    start = text.find("<!--")
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        spans.append((start, end + 3))
        start = text.find("<!--", end + 3)
    return spans


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Each code span: a run of backticks up to the next run of the same length in the same
    paragraph (CommonMark). One pass: every run is looked at once, and so is every queue entry."""
    runs = [match.span() for match in _BACKTICKS.finditer(text)]
    paragraph, breaks = [], iter(_BLANK_LINE.finditer(text))
    number, next_break = 0, next(breaks, None)
    for start, _ in runs:
        while next_break is not None and next_break.end() < start:
            number, next_break = number + 1, next(breaks, None)
        paragraph.append(number)
    by_length: dict[int, deque[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, deque()).append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        while same and same[0] <= index:
            same.popleft()
        if same and paragraph[same[0]] == paragraph[index]:
            closing = same[0]
            spans.append((start, runs[closing][1]))
            index = closing + 1
        else:
            index += 1  # no closing run: literal backticks
    return spans


def _tags(text: str):
    """(offset, name, attributes) of each HTML start tag, in one pass: after '<' and a name, text
    and quoted values up to '>'. An unquoted '<' starts over there; a quote never closed ends the
    attempt there (no later quote of its kind exists, so no later attempt looks for one)."""
    size = len(text)
    at = text.find("<")
    while at >= 0:
        name = _TAG_NAME.match(text, at)
        if not name:
            at = text.find("<", at + 1)
            continue
        scan, resume = name.end(), size
        while True:
            scan = _TAG_TEXT.match(text, scan).end()
            if scan >= size:
                break
            char = text[scan]
            if char == ">":
                yield at, name.group(1), text[name.end():scan]
                resume = scan + 1
                break
            if char == "<":
                resume = scan
                break
            closing = text.find(char, scan + 1)
            if closing < 0:
                resume = scan + 1
                break
            scan = closing + 1
        at = text.find("<", resume)


def _mask_blocks(body: str) -> str:
    lines = body.split("\n")
    in_fence = fenced_lines(lines)
    out, in_list, previous_blank = [], False, True
    for index, line in enumerate(lines):
        if in_fence[index]:
            out.append(_blank(line))
            continue
        indented = line.startswith(("    ", "\t"))
        if line.strip() and not indented:
            in_list = bool(_CONTAINER_ITEM.match(line)) or (in_list and not previous_blank)
        if indented and previous_blank and not in_list and line.strip():
            out.append(_blank(line))
            continue
        out.append(line)
        previous_blank = not line.strip()
    return "\n".join(out)


def fenced_lines(lines: list[str]) -> bytearray:
    """1 for each line of a fenced code block, its fences included. A fence is closed by the next
    fence of its character at least as long; one never closed is text (Python-Markdown reads it
    so), and so is what follows it. One pass: whether a fence is ever closed is known from the
    longest fence after it, and the search for its closing fence ends where the block does."""
    marks = bytearray(len(lines))
    found: list[tuple[int, str, int, int]] = []  # (line, character, length, position among its character's)
    by_char: dict[str, list[tuple[int, int]]] = {"`": [], "~": []}
    for index, line in enumerate(lines):
        if line[:1] in (" ", "\t", "`", "~") and (opening := _FENCE.match(line)):
            char, length = opening.group(1)[0], len(opening.group(1))
            found.append((index, char, length, len(by_char[char])))
            by_char[char].append((index, length))
    longest_after = {}
    for char, fences in by_char.items():
        longest, maxima = 0, [0] * (len(fences) + 1)
        for position in range(len(fences) - 1, -1, -1):
            longest = max(longest, fences[position][1])
            maxima[position] = longest
        longest_after[char] = maxima
    at = 0
    while at < len(found):
        index, char, length, position = found[at]
        if longest_after[char][position + 1] < length:
            at += 1  # never closed: a line of text
            continue
        closing = position + 1
        while by_char[char][closing][1] < length:
            closing += 1
        end = by_char[char][closing][0]
        marks[index:end + 1] = b"\x01" * (end + 1 - index)
        while at < len(found) and found[at][0] <= end:
            at += 1
    return marks


def _bad_scheme(url: str) -> str | None:
    """'javascript:' for a URL a browser would run, however it is spelled (entities, case, spaces)."""
    match = _BAD_SCHEME.match(re.sub(r"[\x00-\x20\\]", "", html.unescape(url)))
    return match.group().lower() if match else None


def line_finder(text: str, first_line: int):
    """offset -> line number in text (counted from first_line); the index of newlines is made on first use."""
    newlines: list[int] | None = None

    def line_of(offset: int) -> int:
        nonlocal newlines
        if newlines is None:
            newlines = [match.start() for match in re.finditer("\n", text)]
        return first_line + bisect.bisect_left(newlines, offset)

    return line_of


def unsafe_html(path: str, body: str, first_line: int = 1, *, masked: str | None = None) -> list[Problem]:
    """HTML that could run code in a reader's browser, outside code blocks and spans.

    `masked` is `mask_code(body)` when the caller has it already."""
    text = mask_code(body) if masked is None else masked
    line_of = line_finder(text, first_line)

    found = []
    for match in _DANGEROUS_TAG.finditer(text):
        name = match.group(1).lower()
        found.append(Problem(path, line_of(match.start()), "html", f"<{name}> can run code ({_SHOW_AS_CODE})"))
    for start, name, attributes in _tags(text):
        name = name.lower()
        for attr in _EVENT_ATTR.finditer(attributes):
            found.append(Problem(path, line_of(start), "html", (
                f"the {attr.group(1).lower()}= attribute of <{name}> runs code ({_SHOW_AS_CODE})")))
        for value in _ATTR_VALUE_IN_TAG.findall(attributes):
            if scheme := _bad_scheme(value.strip("\"'")):
                found.append(Problem(path, line_of(start), "html", (
                    f"a {scheme} URL in <{name}> runs code (link to a page or an https:// address)")))
    for block in _ATTR_LIST.finditer(text):
        for attr in _EVENT_ATTR.finditer(" " + block.group(1)):
            found.append(Problem(path, line_of(block.start()), "html", (
                f"the {attr.group(1).lower()}= attribute in {{ }} runs code ({_SHOW_AS_CODE})")))
        for value in _ATTR_VALUE_IN_LIST.findall(block.group(1)):
            if scheme := _bad_scheme(value.strip("\"'")):
                found.append(Problem(path, line_of(block.start()), "html", (
                    f"a {scheme} URL in {{ }} runs code (link to a page or an https:// address)")))
    for link in MD_LINK.finditer(text):
        target = next(g for g in link.groups() if g)
        if scheme := _bad_scheme(target):
            found.append(Problem(path, line_of(link.start()), "link", (
                f"{scheme} URLs run code (link to a page or an https:// address)")))
    return sorted(found, key=lambda p: p.line)
