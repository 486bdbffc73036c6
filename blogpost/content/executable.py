"""HTML that could run code in a reader's browser: found in a page's Markdown source (code
blocks and spans masked, so code that shows HTML is fine) and again in the HTML it renders to."""

from __future__ import annotations

import html
import re

import lxml.html

from blogpost.content.problems import Problem

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d+[.)])[ \t]")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")  # attr_list: { #id .class key="value" }
_DANGEROUS_TAG = re.compile(r"<\s*(script|iframe|object|embed)\b", re.I)
_EVENT_ATTR = re.compile(r"(?:^|[\s\"'/])(on[a-z]+)\s*=", re.I)
_MD_LINK = re.compile(r"\]\(\s*<?([^\s)>]+)|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+)|<([a-zA-Z][\w+.-]*:[^\s>]*)>", re.M)
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript):", re.I)
_SHOW_AS_CODE = "authors write Markdown, not scripts; to show it, put it in `code`"


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _mask_code(body: str) -> str:
    """The body with fenced and indented code blocks, code spans and comments blanked out."""
    if "```" in body or "~~~" in body or "\n    " in "\n" + body or "\n\t" in "\n" + body:
        text = _mask_blocks(body)
    else:
        text = body  # no line opens a fence or is indented: no code block to blank
    text = _COMMENT.sub(lambda m: _blank(m.group()), text)
    return _CODE_SPAN.sub(lambda m: _blank(m.group()), text) if "`" in text else text


def _mask_blocks(body: str) -> str:
    out, fence, in_list, previous_blank = [], None, False, True
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(_blank(line))
            continue
        if opening:
            fence = opening.group(1)
            out.append(_blank(line))
            continue
        indented = line.startswith(("    ", "\t"))
        if line.strip() and not indented:
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and not previous_blank)
        if indented and previous_blank and not in_list and line.strip():
            out.append(_blank(line))
            continue
        out.append(line)
        previous_blank = not line.strip()
    return "\n".join(out)


def _bad_scheme(url: str) -> str | None:
    """'javascript:' for a URL a browser would run, however it is spelled (entities, case, spaces)."""
    match = _BAD_SCHEME.match(re.sub(r"[\x00-\x20\\]", "", html.unescape(url)))
    return match.group().lower() if match else None


def unsafe_html(path: str, body: str, first_line: int = 1) -> list[Problem]:
    """HTML that could run code in a reader's browser, outside code blocks and spans."""
    text = _mask_code(body)
    line_of = lambda offset: first_line + text.count("\n", 0, offset)  # noqa: E731
    found = []
    for match in _DANGEROUS_TAG.finditer(text):
        name = match.group(1).lower()
        found.append(Problem(path, line_of(match.start()), "html", f"<{name}> can run code ({_SHOW_AS_CODE})"))
    for tag in _TAG.finditer(text):
        attributes = tag.group(2)
        for attr in _EVENT_ATTR.finditer(attributes):
            found.append(Problem(path, line_of(tag.start()), "html", (
                f"the {attr.group(1).lower()}= attribute of <{tag.group(1).lower()}> runs code ({_SHOW_AS_CODE})")))
        for value in re.findall(r"=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", attributes):
            if scheme := _bad_scheme(value.strip("\"'")):
                found.append(Problem(path, line_of(tag.start()), "html", (
                    f"a {scheme} URL in <{tag.group(1).lower()}> runs code (link to a page or an https:// address)")))
    for block in _ATTR_LIST.finditer(text):
        for attr in _EVENT_ATTR.finditer(" " + block.group(1)):
            found.append(Problem(path, line_of(block.start()), "html", (
                f"the {attr.group(1).lower()}= attribute in {{ }} runs code ({_SHOW_AS_CODE})")))
        for value in re.findall(r"=\s*(\"[^\"]*\"|'[^']*'|[^\s}]+)", block.group(1)):
            if scheme := _bad_scheme(value.strip("\"'")):
                found.append(Problem(path, line_of(block.start()), "html", (
                    f"a {scheme} URL in {{ }} runs code (link to a page or an https:// address)")))
    for link in _MD_LINK.finditer(text):
        target = next(g for g in link.groups() if g)
        if scheme := _bad_scheme(target):
            found.append(Problem(path, line_of(link.start()), "link", (
                f"{scheme} URLs run code (link to a page or an https:// address)")))
    return sorted(found, key=lambda p: p.line)


_RUNS_CODE = {"script", "iframe", "object", "embed"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


def unsafe_elements(path: str, content: str, source: str) -> list[Problem]:
    """A second look, at the HTML Markdown made: whatever could run code, however it got there."""
    if not content.strip():
        return []
    found = []
    for element in lxml.html.fragment_fromstring(content, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.lower()
        reasons = [(f"<{name}> can run code", "<" + name)] if name in _RUNS_CODE else []
        for attribute, value in element.attrib.items():
            attribute = attribute.lower()
            if attribute.startswith("on"):
                reasons.append((f"the {attribute}= attribute of <{name}> runs code", attribute))
            elif attribute in _URL_ATTRIBUTES and (scheme := _bad_scheme(value)):
                reasons.append((f"a {scheme} URL in <{name}> runs code", scheme[:4]))
        for reason, needle in reasons:
            at = source.lower().find(needle)
            line = source.count("\n", 0, at) + 1 if at >= 0 else 1
            found.append(Problem(path, line, "html", f"{reason} ({_SHOW_AS_CODE})"))
    return found
