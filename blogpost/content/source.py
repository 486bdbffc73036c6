"""One page's source as the build first reads it (before any plugin): encoding, the front matter's
YAML with the line of every field, the schema, the excerpt marker, how deep the body nests and
executable HTML.

Authors are untrusted (posts arrive as pull requests), so every check here does work linear in
the size of its input, and the YAML is read defensively (`read_yaml`): its size is capped, its
events are scanned before any value is built (anchors, aliases, tags and deep nesting refused,
so an alias bomb costs nothing), and duplicate keys are refused on the composed nodes."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from blogpost.content.executable import fenced_lines, line_finder, mask_code, unsafe_html
from blogpost.content.problems import Problem
from blogpost.content.schema import DATE_HINT, TAB_HINT, control_characters, field_name, validate
from blogpost.layout import EXCERPT_MARKER

# libyaml's loader when PyYAML has it: the same events, nodes and marks, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FRONT_MATTER = 16 * 1024  # characters: a front matter is a few short fields
MAX_YAML_DEPTH = 8  # collections inside collections: front matter needs 2, the vocabularies 3
MAX_BODY_DEPTH = 20  # nested lists, quotes, blocks, HTML elements or emphasis in a page's body
MAX_VOCABULARY = 256 * 1024  # characters of docs/.tags.yml or the blog's .authors.yml

# Explicit YAML tags that only say what a plain value already is (`!!str 2026`); any other
# (`!!binary`, `!!set`, `!!python/...`, local `!tags`) makes a value the site cannot use.
_PLAIN_TAGS = {None, "!"} | {f"tag:yaml.org,2002:{name}" for name in
                             ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_MERGE = "tag:yaml.org,2002:merge"


def load_authors(docs_dir: str, authors_file: str = "blog/.authors.yml") -> list[str]:
    """The author keys of the blog's .authors.yml, in the file's order; none when it is missing
    or unreadable (blogpost/content/vocabularies.py reports why)."""
    path = Path(docs_dir, authors_file)
    if not path.is_file():
        return []
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        return []
    data, _ = read_yaml(authors_file, text, [], first_line=1, limit=MAX_VOCABULARY)
    authors = data.get("authors") if isinstance(data, dict) else None
    return [key for key in authors if isinstance(key, str)] if isinstance(authors, dict) else []


@dataclass
class Checked:
    problems: list[Problem]
    meta: dict | None  # the front matter, when the page could be read
    lines: dict | None = None  # field -> line in the file


# The front matter block exactly as MkDocs finds it (mkdocs.utils.meta.YAML_RE).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def read_source(path: str) -> bytes:
    """A page's source as the gate reads it (the preview keeps it while the file is unchanged)."""
    return Path(path).read_bytes()


def decode(raw: bytes) -> str:
    """UTF-8 text with a byte-order mark and CRLF/CR line endings read as if absent."""
    text = raw.decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def check_source(
    path: str, raw: bytes, *, kind: str | None, tags: list[str], authors: list[str],
    now: dt.datetime | None = None,
) -> Checked:
    """Every problem of one page's source, each naming the file, the line and the field.

    `now` is the build's time (default: now, in UTC): a page cannot have been updated after it.
    """
    try:
        text = decode(raw)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Checked([Problem(path, line, "encoding", (
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8 (save the file as UTF-8)"))], None)
    problems: list[Problem] = []
    match = FRONT_MATTER.match(text)
    meta: dict | None = {}
    lines: dict = {}
    body, body_line = text, 1
    if match:
        body, body_line = text[match.end():], text[: match.end()].count("\n") + 1
        confined: list[Problem] = []
        meta, lines = _parse_front_matter(path, match.group(1), problems, confined)
        if meta is None and problems and problems == confined:  # what else is wrong, in the same report
            problems += _rest_of_front_matter(path, match.group(1), problems, kind=kind, tags=tags,
                                              authors=authors, now=now)
    elif re.match(r"-{3}[ \t]*\n", text):
        problems.append(Problem(path, 1, "front matter", "is not closed (end it with a line '---')"))
        meta = None
    elif kind:
        problems.append(Problem(path, 1, "front matter", (
            "missing (start the file with '---', the fields title, date, description, tags"
            + (", authors" if kind == "post" else "") + ", then '---')")))
        meta = None
    if meta is not None and kind:
        problems += validate(meta, path=path, lines=lines, kind=kind, tags=tags, authors=authors, now=now)
    elif meta:
        problems += control_characters(meta, path=path, lines=lines)
    if kind == "post" and EXCERPT_MARKER not in body:
        problems.append(Problem(path, body_line, "excerpt", (
            f"no '{EXCERPT_MARKER}' marker (put it on its own line after the first paragraph)")))
    masked = mask_code(body)
    problems += nesting(path, body, body_line, masked=masked)
    problems += unsafe_html(path, body, body_line, masked=masked)
    return Checked(problems, meta, lines)


# The file's line of the front matter's first line (after the opening '---').
FIRST_LINE = 2


def _parse_front_matter(
    path: str, source: str, problems: list[Problem], confined: list[Problem] | None = None,
) -> tuple[dict | None, dict]:
    """The front matter and the line of each field (and list item) in the file; None when
    unreadable (`confined`: as read_yaml says)."""
    if len(source) > MAX_FRONT_MATTER:
        problems.append(Problem(path, 1, "front matter", (
            f"is {len(source):,} characters long, at most {MAX_FRONT_MATTER:,} "
            "(it holds a few short fields; the text goes below the closing '---')")))
        return None, {}
    data, node = read_yaml(path, source, problems, first_line=FIRST_LINE, confined=confined)
    if node is None and data is None:
        return None, {}
    if not isinstance(data, dict):
        problems.append(Problem(path, FIRST_LINE, "front matter", "must be 'field: value' lines, one per field"))
        return None, {}
    lines: dict[object, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loader_key(key_node)
            lines.setdefault(key, key_node.start_mark.line + FIRST_LINE)
            if key in ONE_LINE and _written_on_lines(value_node) > 1 and isinstance(data.get(key), str) \
                    and "\n" not in data[key]:  # one with a line break is reported as such by the schema
                problems.append(Problem(path, key_node.start_mark.line + FIRST_LINE, key, (
                    f"must be one line of plain text, it is written on {_written_on_lines(value_node)} lines "
                    "(write it on one line, without '>' or '|')")))
            if isinstance(value_node, yaml.SequenceNode):
                for index, item in enumerate(value_node.value):
                    lines.setdefault((key, index), item.start_mark.line + FIRST_LINE)
    return data, lines


# A line that starts a field of the front matter (`title: ...`, `tags:`), at the left margin
# or after tabs (which YAML refuses there: a field all the same).
_TOP_FIELD = re.compile(r"\t*([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")
# How many unreadable fields one front matter is read past.
MAX_SET_ASIDE = 8


def _fields_around(lines: list[str], at: list[int]) -> set[tuple[str, int, int]]:
    """The fields of the front matter whose lines hold the given lines (0-based): each as (its
    name, its first line, the line after its last); none for a line before the first field."""
    starts = [i for i, text in enumerate(lines) if _TOP_FIELD.match(text)]
    found = set()
    for i in at:
        k = bisect.bisect_right(starts, i) - 1
        if 0 <= i < len(lines) and k >= 0:
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            found.add((_TOP_FIELD.match(lines[starts[k]]).group(1), starts[k], end))
    return found


def _rest_of_front_matter(
    path: str, source: str, found: list[Problem], *, kind: str | None, tags: list[str],
    authors: list[str], now: dt.datetime | None,
) -> list[Problem]:
    """A front matter YAML could not read, each of its problems (`found`) confined to its line
    (see read_yaml): the problems of the rest of it, so that one run reports them all. The field
    each problem's line falls in is set aside (its lines left blank: the others keep their line
    numbers) and the rest is read again, up to MAX_SET_ASIDE fields; what it holds is then
    checked, except that a field set aside is not missing. A problem that is not confined stops
    it. Nothing of it is used: the page stays unreadable."""
    lines, set_aside, more = source.split("\n"), set(), []
    named = {problem.field for problem in found}  # every field set aside or a problem is about
    at = [problem.line - FIRST_LINE for problem in found]
    while True:
        fields = {field for field in _fields_around(lines, at) if field[0] not in set_aside}
        if not fields or len(set_aside) + len(fields) > MAX_SET_ASIDE:
            return more  # nothing new to set aside: the rest cannot be told apart
        for name, start, end in fields:
            set_aside.add(name)
            named.add(field_name(name))
            lines[start:end] = [""] * (end - start)
        attempt: list[Problem] = []
        confined: list[Problem] = []
        meta, field_lines = _parse_front_matter(path, "\n".join(lines), attempt, confined)
        if meta is None and (not attempt or attempt != confined):
            return more  # a mistake YAML cannot place (an unclosed quote, say) may echo one set aside
        more += attempt
        named |= {problem.field for problem in attempt}
        if meta is not None:
            break
        at = [problem.line - FIRST_LINE for problem in attempt]
    if kind:
        checked = validate(meta, path=path, lines=field_lines, kind=kind, tags=tags, authors=authors, now=now)
        missing = named - set(map(field_name, meta))  # not missing: unreadable
        more += [problem for problem in checked if problem.field not in missing]
    else:
        more += control_characters(meta, path=path, lines=field_lines)
    return more


def read_yaml(
    path: str, source: str, problems: list[Problem], *, first_line: int, field: str = "front matter",
    limit: int | None = None, confined: list[Problem] | None = None,
) -> tuple[object, yaml.Node | None]:
    """(data, node) of one YAML document, or (None, None) with its problems added.

    Work is linear in the source: nothing is built before its events have been checked (no
    anchors or aliases, no tags but plain ones, nesting at most MAX_YAML_DEPTH), and the nodes
    are checked for duplicate and merge keys before their values are built. `first_line` is
    the file's line of the source's first line. `confined`, when given, gets the problems that
    are an author's mistake at the line they name, within one field (a ': ' in a value, a tab,
    a date that is none, a control character): the rest can be read without that field. A
    syntax error YAML only noticed later (an unclosed quote), an anchor or a tag is not."""
    if limit is not None and len(source) > limit:
        problems.append(Problem(path, 1, field, f"is {len(source):,} characters long, at most {limit:,}"))
        return None, None
    found: list[Problem] = []
    try:
        if not _events_are_plain(path, source, found, first_line, field):
            problems += found
            return None, None
        loader = _LOADER(source)
        try:
            node = loader.get_single_node()
            if node is None:
                return {}, None
            found += _key_problems(path, node, first_line)
            if unreadable := _unreadable_dates(path, node, loader, first_line):
                problems += unreadable
                if confined is not None:
                    confined += unreadable
                return None, None
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as error:  # a control character: YAML reads no further
        line = source[: error.position].count("\n") + first_line
        problems.append(Problem(path, line, field,
                                f"character 0x{error.character:02x} is not allowed in YAML (remove it)"))
        if confined is not None:
            confined.append(problems[-1])
        return None, None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else 1
        if mark and (explained := _explain_syntax(path, source, error, mark.line, line)):
            problems.append(explained)
            if confined is not None:
                confined.append(explained)
            return None, None
        what = " ".join(str(error.problem or error.context or "malformed").split())
        if error.context and error.context_mark and error.problem:
            what += f", {error.context} that starts on line {error.context_mark.line + first_line}"
        problems.append(Problem(path, line, field,
                                f"YAML syntax error: {what} (check quotes, colons and indentation)"))
        return None, None
    except Exception as error:  # PyYAML's constructors raise more than YAMLError on odd values
        what = " ".join(str(error).split())[:200] or type(error).__name__
        problems.append(Problem(path, first_line, field, f"a value YAML cannot read: {what} (quote it as text)"))
        return None, None
    problems += found
    return data, node


# A line `field: value` of YAML, the value unquoted.
_FIELD_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:[ \t]+([^\s\"'].*?)[ \t]*")


def _explain_syntax(path: str, source: str, error: yaml.MarkedYAMLError, at: int, line: int) -> Problem | None:
    """The two YAML syntax errors authors make most, in their terms: a tab, and a ': ' inside an
    unquoted value (a title like `Vendor access: a routine`)."""
    lines = source.split("\n")
    text = lines[at] if at < len(lines) else ""
    written = _FIELD_LINE.fullmatch(text)
    around = [written.group(1)] if written else [name for name, _, _ in _fields_around(lines, [at])]
    field = field_name(around[0]) if around else "front matter"
    if "\t" in text or "tab" in str(error.problem or ""):
        return Problem(path, line, field, f"a tab where YAML allows none ({TAB_HINT})")
    if written and str(error.problem or "").startswith("mapping values are not allowed") \
            and (": " in written.group(2) or written.group(2).endswith(":")):
        name, value = written.groups()
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        example = f": {name}: {quoted}" if len(quoted) <= 80 else ""
        return Problem(path, line, field, (
            f"the value holds ': ', which YAML reads as the start of another field "
            f"(put the {name} in quotes{example})"))
    return None


def _unreadable_dates(path: str, root: yaml.Node, loader, first_line: int) -> list[Problem]:
    """Values YAML reads as dates but that are none (2026-13-01, 25:00), each at its own line."""
    found = []
    stack: list[tuple[object, yaml.Node]] = [(None, root)]
    while stack:
        key, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += ((loader_key(k), v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack += ((key, item) for item in node.value)
        elif node.tag == "tag:yaml.org,2002:timestamp":
            try:
                loader.construct_yaml_timestamp(node)
            except ValueError as error:
                found.append(Problem(path, node.start_mark.line + first_line, field_name(key or "front matter"),
                                     f"{node.value[:40]} is not a date: {error} ({DATE_HINT})"))
    return sorted(found, key=lambda p: p.line)


def _events_are_plain(path: str, source: str, found: list[Problem], first_line: int, field: str) -> bool:
    """The document's parser events, before any node or value exists: False (with the problem)
    at the first anchor, alias, unusual tag or collection nested deeper than MAX_YAML_DEPTH."""
    loader = _LOADER(source)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + first_line
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                found.append(Problem(path, line, field,
                                     "YAML anchors and aliases are not allowed (write each value out)"))
                return False
            tag = getattr(event, "tag", None)
            if tag not in _PLAIN_TAGS:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                found.append(Problem(path, line, field,
                                     f"the YAML tag {shown[:40]} is not allowed (write a plain value)"))
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    found.append(Problem(path, line, field, (
                        f"lists and mappings nested more than {MAX_YAML_DEPTH} deep "
                        "(write 'field: value' lines and short lists)")))
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    return True


def _key_problems(path: str, root: yaml.Node, first_line: int) -> list[Problem]:
    """Duplicate keys (with the line of the second) and merge keys, in every mapping of a tree
    of nodes (a tree: aliases were refused before composing)."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + first_line
                if key_node.tag == _MERGE:
                    found.append(Problem(path, line, "<<", "YAML merge keys are not allowed (write each field out)"))
                    continue
                if isinstance(key_node, yaml.ScalarNode):
                    identity = (key_node.tag, key_node.value)
                    if identity in seen:
                        found.append(Problem(path, line, field_name(key_node.value), "appears twice (keep one)"))
                    seen.add(identity)
                stack += (key_node, value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    found.sort(key=lambda p: p.line)
    return found


ONE_LINE = ("title", "description")  # fields written on one line, so that they read as one


def _written_on_lines(node: yaml.Node) -> int:
    """How many lines of the file a scalar's text takes (a block scalar starts on the next line)."""
    if not isinstance(node, yaml.ScalarNode):
        return 1
    if node.style in (">", "|"):
        end = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
        return max(1, end - node.start_mark.line)
    return node.end_mark.line - node.start_mark.line + 1


def loader_key(node: yaml.Node) -> object:
    return node.value if isinstance(node, yaml.ScalarNode) else None


# Body nesting ---------------------------------------------------------------------------------
# Python-Markdown parses nested blocks (lists, quotes, admonitions, definitions, md_in_html) and
# nested emphasis by recursion: a few hundred levels exhaust Python's stack. Each is counted here
# in one pass over the body, before Markdown runs, and refused well before that.

_SPACES = re.compile(r"[ \t]*+")
_CONTAINER = re.compile(r"(?:>|(?:[-*+]|\d{1,9}[.)]|!!!|\?\?\?\+?|={3}[!+]?|:)(?=[ \t]|$))")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*+)([^<>]*+)>")  # possessive: no backtracking
# Not counted: void elements, and <p>, which md_in_html never nests. Every other element counts,
# even one whose end tag HTML lets authors leave out (<li>, <td>...): md_in_html nests those.
_UNNESTED = frozenset("area base br col embed hr img input link meta param source track wbr keygen p".split())
_DELIMITERS = re.compile(r"[*_]+|\n[ \t]*+(?=\n)")


def nesting(path: str, body: str, first_line: int = 1, *, masked: str | None = None) -> list[Problem]:
    """A body nested deeper than MAX_BODY_DEPTH: blocks, HTML elements or emphasis, each once.

    Blocks are counted on every line outside fenced code (an indented line may be a block's
    content rather than code: counting it is the safe side); HTML elements and emphasis outside
    code blocks, spans and comments (`masked`: mask_code(body) when the caller has it)."""
    masked = mask_code(body) if masked is None else masked
    found = []
    line_of = line_finder(masked, first_line)

    depth, line, hint = _block_depth(body)
    if depth > MAX_BODY_DEPTH:
        found.append(Problem(path, first_line + line, "body", (
            f"nested {depth} levels deep, at most {MAX_BODY_DEPTH} ({hint})")))
    if "<" in masked:
        depth, at = _html_depth(masked)
        if depth > MAX_BODY_DEPTH:
            found.append(Problem(path, line_of(at), "body", (
                f"HTML elements nested {depth} levels deep, at most {MAX_BODY_DEPTH} "
                "(close each element, or nest fewer)")))
    if "*" in masked or "_" in masked:
        depth, at = _emphasis_depth(masked)
        if depth > MAX_BODY_DEPTH:
            found.append(Problem(path, line_of(at), "body", (
                f"emphasis nested {depth} levels deep, at most {MAX_BODY_DEPTH} "
                "(close each * or _ before opening another)")))
    return found


def _block_depth(text: str) -> tuple[int, int, str]:
    """(deepest nesting, its line index, a hint): on each line outside fenced code, every container
    marker (quote, list item, admonition, details, definition) counts one level, and so does every
    four columns of indentation before one: Python-Markdown nests by four-column steps."""
    deepest, where, hint = 0, 0, "flatten the list"
    lines = text.split("\n")
    in_fence = fenced_lines(lines)
    for index, line in enumerate(lines):
        if not line or line[0] not in " \t>-*+0123456789!?=:" or in_fence[index]:
            continue
        depth, width, at, first, kinds = 0, 0, 0, True, set()
        while at < len(line):
            end = _SPACES.match(line, at).end()
            width += len(line[at:end].expandtabs(4))
            at = end
            marker = _CONTAINER.match(line, at)
            if not marker:
                break
            depth += 1 + (width if first else max(0, width - 1)) // 4
            kinds.add(marker.group()[0])
            first, width, at = False, 0, marker.end()
        if depth > deepest:
            deepest, where = depth, index
            hint = ("flatten the list" if kinds & set("-*+0123456789") else
                    "use fewer '>'" if kinds == {">"} else "flatten the blocks")
    return deepest, where, hint


def _html_depth(text: str) -> tuple[int, int]:
    """(deepest nesting of HTML elements, offset of the tag that reached it)."""
    stack: list[str] = []
    open_names: dict[str, int] = {}
    deepest, where = 0, 0
    for tag in _HTML_TAG.finditer(text):
        closing, name, rest = tag.groups()
        name = name.lower()
        if name in _UNNESTED:
            continue
        if closing:
            if open_names.get(name):
                while stack:
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
        elif not rest.rstrip().endswith("/"):
            stack.append(name)
            open_names[name] = open_names.get(name, 0) + 1
            if len(stack) > deepest:
                deepest, where = len(stack), tag.start()
    return deepest, where


def _emphasis_depth(text: str) -> tuple[int, int]:
    """(deepest nesting of emphasis in one paragraph, offset where it was reached): a run of * or _
    after a space and before a letter opens, one before a space closes, one between letters is
    neither."""
    depth = deepest = where = 0
    for run in _DELIMITERS.finditer(text):
        start, end = run.span()
        if text[start] == "\n":
            depth = 0  # a blank line ends the paragraph: emphasis never spans it
            continue
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        opens = not after.isspace() and (before.isspace() or _punctuation(before))
        closes = not before.isspace() and (after.isspace() or _punctuation(after))
        if opens and not closes:
            depth += 1
            if depth > deepest:
                deepest, where = depth, start
        elif closes and not opens and depth:
            depth -= 1
    return deepest, where


def _punctuation(char: str) -> bool:
    return not char.isalnum() and not char.isspace()
