"""One page's source as the build first reads it (before any plugin): encoding, the front matter's
YAML with the line of every field, the schema, the excerpt marker and executable HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from blogpost.content.executable import unsafe_html
from blogpost.content.problems import Problem
from blogpost.content.schema import validate
from blogpost.layout import EXCERPT_MARKER


def load_authors(docs_dir: str, authors_file: str = "blog/.authors.yml") -> list[str]:
    """The author keys of the blog's .authors.yml, in the file's order."""
    path = Path(docs_dir, authors_file)
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    return list((data.get("authors") or {}).keys())


@dataclass
class Checked:
    problems: list[Problem]
    meta: dict | None  # the front matter, when the page could be read
    lines: dict | None = None  # field -> line in the file


# The front matter block exactly as MkDocs finds it (mkdocs.utils.meta.YAML_RE).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def decode(raw: bytes) -> str:
    """UTF-8 text with a byte-order mark and CRLF/CR line endings read as if absent."""
    text = raw.decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def check_source(
    path: str, raw: bytes, *, kind: str | None, tags: list[str], authors: list[str]
) -> Checked:
    """Every problem of one page's source, each naming the file, the line and the field."""
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
        meta, lines = _parse_yaml(path, match.group(1), problems)
    elif re.match(r"-{3}[ \t]*\n", text):
        problems.append(Problem(path, 1, "front matter", "is not closed (end it with a line '---')"))
        meta = None
    elif kind:
        problems.append(Problem(path, 1, "front matter", (
            "missing (start the file with '---', the fields title, date, description, tags"
            + (", authors" if kind == "post" else "") + ", then '---')")))
        meta = None
    if meta is not None and kind:
        problems += validate(meta, path=path, lines=lines, kind=kind, tags=tags, authors=authors)
    if kind == "post" and EXCERPT_MARKER not in body:
        problems.append(Problem(path, body_line, "excerpt", (
            f"no '{EXCERPT_MARKER}' marker (put it on its own line after the first paragraph)")))
    problems += unsafe_html(path, body, body_line)
    return Checked(problems, meta, lines)


def _parse_yaml(path: str, source: str, problems: list[Problem]) -> tuple[dict | None, dict]:
    """The front matter and the line of each field (and list item) in the file; None when unreadable."""
    try:
        # libyaml's loader when PyYAML has it: the same nodes and marks, ten times faster.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(source)
    except yaml.reader.ReaderError as error:  # a control character: YAML reads no further
        line = source[: error.position].count("\n") + 2
        problems.append(Problem(path, line, "front matter",
                                f"character 0x{error.character:02x} is not allowed in YAML (remove it)"))
        return None, {}
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        what = " ".join(str(error.problem or error.context or "malformed").split())
        if error.context and error.context_mark and error.problem:
            what += f", {error.context} that starts on line {error.context_mark.line + 2}"
        problems.append(Problem(path, line, "front matter", f"YAML syntax error: {what} (check quotes, colons and indentation)"))
        return None, {}
    except Exception as error:  # PyYAML's constructors raise more than YAMLError on odd values
        what = " ".join(str(error).split()) or type(error).__name__
        problems.append(Problem(path, 2, "front matter", f"a value YAML cannot read: {what} (quote it as text)"))
        return None, {}
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "front matter", "must be 'field: value' lines, one per field"))
        return None, {}
    lines: dict[object, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loader_key(key_node)
            lines[key] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                for index, item in enumerate(value_node.value):
                    lines[(key, index)] = item.start_mark.line + 2
    return data, lines


def loader_key(node: yaml.Node) -> object:
    return node.value if isinstance(node, yaml.ScalarNode) else None


