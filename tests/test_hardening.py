"""Untrusted authors (posts arrive as pull requests) cannot make the build slow, huge or crash:
each reproducer from the hardening issue is refused with one `file:line: field: message` problem,
checked on the source (check_source, check_vocabularies: fast, no builds).

The time bounds below are generous guards against a scan that grows with the square of its
input (a 200 KB body checks in milliseconds; a quadratic scan takes minutes), not benchmarks."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from blogpost.content import executable
from blogpost.content import allowlist
from blogpost.content.executable import mask_code, unsafe_html
from blogpost.content.source import MAX_BODY_DEPTH, check_source, load_authors
from blogpost.content.vocabularies import check_vocabularies, read_tags
from blogpost.model import load_vocabulary
from conftest import DOCS, ROOT

PATH = "docs/blog/posts/2026-11-20-x.md"
FIELDS = "title: A post\ndate: 2026-11-20\ndescription: One sentence.\ntags: [AI]\nauthors: [editors]\n"
INTRO = "# A post\n\nIntro.\n\n<!-- more -->\n\n"
BODY_LINE = 15  # the file's line of the text after INTRO, in post(body=INTRO + ...)
ONE_PROBLEM = re.compile(r"^docs/[^\n:]+:\d+: [^\n]+: [^\n]+$")


def post(front: str = "", *, fields: str = FIELDS, body: str = INTRO + "Body.\n") -> str:
    return f"---\n{fields}{front}---\n\n{body}"


def check(text: str | bytes, *, kind: str = "post", now: dt.datetime | None = None) -> list[str]:
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    checked = check_source(PATH, raw, kind=kind, tags=["AI", "Learning"], authors=["editors"], now=now)
    return [str(problem) for problem in checked.problems]


# Front matter -----------------------------------------------------------------------------------

def alias_bomb(levels: int = 9) -> str:
    """Ten references per level, `levels` deep: 10**levels values once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_any_value_is_built(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a value was built")

    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_document", never)
    tracemalloc.start()
    try:
        found = check(post(fields=FIELDS.replace("tags: [AI]\n", "") + alias_bomb() + "tags: *a9\n"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [f"{PATH}:6: front matter: YAML anchors and aliases are not allowed (write each value out)"]
    assert peak < 5_000_000


@pytest.mark.parametrize("front", ["x: &keep 1\n", "slug: *nothing\n", "x: [&a AI]\n"],
                         ids=["anchor", "alias alone", "anchor in a list"])
def test_any_anchor_or_alias_is_refused(front):
    assert check(post(front)) == [
        f"{PATH}:7: front matter: YAML anchors and aliases are not allowed (write each value out)"]


def test_a_duplicate_key_is_refused_at_its_second_line():
    assert check(post("title: Again\n")) == [f"{PATH}:7: title: appears twice (keep one)"]
    assert check(post('"tags": [Learning]\n')) == [f"{PATH}:7: tags: appears twice (keep one)"]


def test_a_merge_key_or_an_unusual_yaml_tag_is_refused():
    assert check(post("<<: {slug: x}\n")) == [f"{PATH}:7: <<: YAML merge keys are not allowed (write each field out)"]
    assert check(post("slug: !!binary aGk=\n")) == [
        f"{PATH}:7: front matter: the YAML tag !!binary is not allowed (write a plain value)"]
    assert check(post("slug: !!python/name:os.system x\n"))[0].startswith(f"{PATH}:7: front matter: the YAML tag ")
    assert check(post('slug: !!str "plain"\n')) == []


def test_deeply_nested_front_matter_is_refused_without_recursion():
    found = check(post("x: " + "[" * 30 + "]" * 30 + "\n"))
    assert found == [f"{PATH}:7: front matter: lists and mappings nested more than 8 deep "
                     "(write 'field: value' lines and short lists)"]
    found = check(post("x:\n" + "".join(" " * level + "- \n" for level in range(1, 3000, 2))), kind=None)
    assert len(found) == 1 and found[0].startswith(f"{PATH}:"), found
    found = check(post("x: " + "[" * 8000 + "]" * 8000 + "\n"))  # libyaml stops at 1000 levels itself
    assert len(found) == 1 and found[0].startswith(f"{PATH}:7: front matter: "), found


def test_front_matter_has_a_size_cap():
    found = check(post("slug: " + "a" * 17_000 + "\n"))
    assert found == [f"{PATH}:1: front matter: is 17,095 characters long, at most 16,384 "
                     "(it holds a few short fields; the text goes below the closing '---')"]


@pytest.mark.parametrize("escape, message", [
    ("\\a", "has the control character U+0007, not allowed (remove it)"),
    ("\\e", "has the control character U+001B, not allowed (remove it)"),
    ("\\0", "has the control character U+0000, not allowed (remove it)"),
    ("\\x7f", "has the control character U+007F, not allowed (remove it)"),
    ("\\x9b", "has the control character U+009B, not allowed (remove it)"),
    ("\\t", "has a tab, not allowed (use spaces, not tabs)"),
    ("\\n", "must be one line of plain text, it has a line break (write it on one line, without '>' or '|')"),
    ("\\N", "must be one line of plain text, it has a line break"),
    ("\\L", "must be one line of plain text, it has a line break"),
    ("\\P", "must be one line of plain text, it has a line break"),
])
def test_a_control_character_is_refused_in_every_string(escape, message):
    title = check(post(fields=FIELDS.replace("title: A post", f'title: "A{escape}post"')))
    assert len(title) == 1 and title[0].startswith(f"{PATH}:2: title: {message}"), title
    tag = check(post(fields=FIELDS.replace("tags: [AI]", f'tags:\n  - AI\n  - "Lear{escape}ning"')))
    assert f"{PATH}:7: tags: {message}" in "\n".join(tag), tag
    anywhere = check(post(f'x:\n  - y: "deep{escape}"\n'), kind=None)  # even where no schema applies
    assert len(anywhere) == 1 and anywhere[0].startswith(f"{PATH}:8: x: {message}"), anywhere


@pytest.mark.parametrize("description", [
    ">\n  One line\n  and another.", "|\n  One line\n  and another.", ">-\n  One line\n  and another.",
    "One line\n  and another.", '"One line\\nand another."',
], ids=["folded", "literal", "folded, no final break", "plain", "escaped"])
def test_a_description_is_one_line(description):
    found = check(post(fields=FIELDS.replace("description: One sentence.", f"description: {description}")))
    assert len(found) == 1, found
    assert found[0].startswith(f"{PATH}:4: description: must be one line of plain text, it ")
    assert found[0].endswith("(write it on one line, without '>' or '|')")


def test_updated_cannot_be_after_the_build():
    assert check(post("updated: 9999-01-01\n")) == [
        f"{PATH}:7: updated: 9999-01-01 is after now (updated is when the page last changed)"]
    now = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert check(post("updated: 2026-11-21\n"), now=now) == []
    assert check(post("updated: 2026-11-22\n"), now=now) == [
        f"{PATH}:7: updated: 2026-11-22 is after now (updated is when the page last changed)"]
    assert check(post("updated: 2026-11-21T09:30:00+01:00\n"), now=now) == [
        f"{PATH}:7: updated: 2026-11-21 09:30:00+01:00 is after now (updated is when the page last changed)"]
    assert check(post("updated: 2026-11-21T08:30:00+01:00\n"), now=now) == []


def test_a_future_date_is_still_allowed_it_means_scheduled():
    assert check(post(fields=FIELDS.replace("2026-11-20", "9999-12-31"))) == []


# The vocabularies ---------------------------------------------------------------------------------

@pytest.fixture
def site(tmp_path) -> Path:
    """A project with the real vocabularies and avatar, to break one at a time."""
    docs = tmp_path / "docs"
    (docs / "blog").mkdir(parents=True)
    (docs / "assets/images").mkdir(parents=True)
    shutil.copy(DOCS / ".tags.yml", docs / ".tags.yml")
    shutil.copy(DOCS / "blog/.authors.yml", docs / "blog/.authors.yml")
    shutil.copy(DOCS / "assets/images/avatar-editors.svg", docs / "assets/images/avatar-editors.svg")
    return tmp_path


def vocabulary_problems(project: Path) -> list[str]:
    return [str(p) for p in check_vocabularies(str(project / "docs"), project, "blog/.authors.yml")]


def test_the_real_vocabularies_pass():
    assert check_vocabularies(str(DOCS), ROOT, "blog/.authors.yml") == []
    assert list(load_vocabulary(str(DOCS))) == ["AI", "CyberSecurity", "Learning"]


def test_empty_vocabularies_are_fine_and_a_missing_tag_list_is_not(site):
    (site / "docs/.tags.yml").write_text("tags: []\n", encoding="utf-8")
    (site / "docs/blog/.authors.yml").unlink()
    assert vocabulary_problems(site) == []
    (site / "docs/.tags.yml").unlink()
    assert vocabulary_problems(site) == [
        "docs/.tags.yml:1: tags: the file is missing (it lists the tags pages may carry)"]
    assert load_vocabulary(str(site / "docs")) == {}


TAG = "  - name: {name}\n    slug: {slug}\n    description: {description}\n"


def add_tag(project: Path, name="Evil", slug="evil", description="A tag.") -> None:
    with (project / "docs/.tags.yml").open("a", encoding="utf-8") as out:
        out.write(TAG.format(name=name, slug=slug, description=description))


def tag_line(project: Path, offset: int) -> int:
    """The line of the added tag's name (offset 0), slug (1) or description (2)."""
    return (project / "docs/.tags.yml").read_text(encoding="utf-8").count("\n") - 2 + offset


def test_a_tag_slug_that_is_a_path_is_refused(site):
    add_tag(site, slug="../../../x")
    assert vocabulary_problems(site) == [
        f"docs/.tags.yml:{tag_line(site, 1)}: tags: tag 'Evil': slug '../../../x' must be lowercase words joined "
        "by hyphens (like 'cyber-security'): it is the tag's address, tags/<slug>/"]
    assert "Evil" not in load_vocabulary(str(site / "docs"))


@pytest.mark.parametrize("tag, expected", [
    ({"slug": "ai"}, "tags: tag 'Evil': slug 'ai' is another tag's, on line 9 (each tag needs its own)"),
    ({"slug": "index"}, "tags: tag 'Evil': slug 'index' is the address of the tags page (choose another)"),
    ({"slug": "Not-A-Slug"}, "tags: tag 'Evil': slug 'Not-A-Slug' must be lowercase words joined by hyphens"),
    ({"name": "ai"}, "tags: 'ai' is a tag already, on line 8 (keep one)"),
    ({"name": '"Ev\\ail"'}, "tags: a tag: name has the control character U+0007, not allowed (remove it)"),
    ({"name": "2024"}, "tags: a tag: name must be text, not int (quote it)"),
    ({"description": ">\n      Two\n      lines"}, "tags: tag 'Evil': description must be one line of plain text, "
                                                  "it has a line break (write it on one line, without '>' or '|')"),
], ids=["slug taken", "index", "slug case", "name taken", "control character", "number", "two lines"])
def test_each_tag_is_checked(site, tag, expected):
    add_tag(site, **tag)
    found = vocabulary_problems(site)
    assert len(found) == 1 and expected in found[0], found
    assert found[0].startswith("docs/.tags.yml:")


def test_a_vocabulary_alias_bomb_or_duplicate_is_refused_and_never_loaded(site):
    (site / "docs/.tags.yml").write_text(alias_bomb() + "tags: *a9\n", encoding="utf-8")
    assert vocabulary_problems(site) == [
        "docs/.tags.yml:1: tags: YAML anchors and aliases are not allowed (write each value out)"]
    assert load_vocabulary(str(site / "docs")) == {}
    (site / "docs/blog/.authors.yml").write_text(
        "authors:\n  editors:\n    name: A\n    name: B\n    description: D.\n"
        "    avatar: assets/images/avatar-editors.svg\n", encoding="utf-8")
    assert "docs/blog/.authors.yml:4: name: appears twice (keep one)" in vocabulary_problems(site)
    (site / "docs/blog/.authors.yml").write_text(alias_bomb() + "authors: *a9\n", encoding="utf-8")
    assert load_authors(str(site / "docs")) == []


AUTHOR = ("  {key}:\n    name: {name}\n    description: Writes.\n    avatar: {avatar}\n")


def add_author(project: Path, key="mallory", name="Mallory", avatar="assets/images/avatar-editors.svg",
               url: str | None = None) -> int:
    """Adds an author; returns the line of its url (or avatar, without one)."""
    path = project / "docs/blog/.authors.yml"
    text = AUTHOR.format(key=key, name=name, avatar=avatar) + (f"    url: {url}\n" if url is not None else "")
    with path.open("a", encoding="utf-8") as out:
        out.write(text)
    return path.read_text(encoding="utf-8").count("\n")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", '"javascript&#58;alert(1)"', '" javascript:alert(1)"',
    "data:text/html,x", "http://example.org/", "//evil.example/", "https:evil.example", "vbscript:x",
])
def test_an_author_url_is_https_or_on_this_site(site, url):
    line = add_author(site, url=url)
    found = vocabulary_problems(site)
    assert len(found) == 1, found
    assert found[0].startswith(f"docs/blog/.authors.yml:{line}: authors: mallory: url ")
    assert found[0].endswith("must be an https:// address or a path on this site (like about/)")


@pytest.mark.parametrize("url", ["https://example.org/mallory", "about/", "/blog-post/about/", "../about/"])
def test_an_https_or_site_url_is_accepted(site, url):
    add_author(site, url=url)
    assert vocabulary_problems(site) == []


@pytest.mark.parametrize("avatar, message", [
    ("https://evil.example/a.png", "must be an image file in docs/, like assets/images/avatar.svg "
                                   "(avatars come from this site only)"),
    ("//evil.example/a.png", "must be an image file in docs/"),
    ("/assets/images/avatar-editors.svg", "must be an image file in docs/"),
    ("data:image/png;base64,AAAA", "must be an image file in docs/"),
    ("../../etc/passwd.png", "must be a plain path inside docs/, without '..'"),
    ("assets/images/missing.svg", "is not a file in docs/ (add the image, or correct the path)"),
    (".tags.yml", "is a hidden file, which the site does not publish"),
    ("assets/images", "must be an image: .svg"),
])
def test_an_avatar_comes_from_this_site_only(site, avatar, message):
    line = add_author(site, avatar=avatar)
    found = vocabulary_problems(site)
    assert len(found) == 1, found
    assert found[0].startswith(f"docs/blog/.authors.yml:{line}: authors: mallory: avatar {avatar!r} {message}")


def test_an_avatar_that_leads_outside_docs_by_a_link_is_refused(site):
    outside = site / "outside.svg"
    outside.write_text("<svg/>", encoding="utf-8")
    (site / "docs/assets/images/link.svg").symlink_to(outside)
    add_author(site, avatar="assets/images/link.svg")
    assert [p.split(": ", 2)[2] for p in vocabulary_problems(site)] == [
        "mallory: avatar 'assets/images/link.svg' leads outside docs/ (avatars come from this site only)"]


def test_author_names_are_plain_one_line_text(site):
    add_author(site, name='"Mal\\nlory"')
    found = vocabulary_problems(site)
    assert len(found) == 1 and "authors: mallory: name must be one line of plain text" in found[0], found


# The body: bounded nesting and linear scans ------------------------------------------------------

@pytest.mark.parametrize("body, message, line", [
    ("\n".join("    " * level + "- item" for level in range(400)) + "\n",
     "body: nested 400 levels deep, at most 20 (flatten the list)", BODY_LINE + 399),
    ("- " * 400 + "x\n", "body: nested 400 levels deep, at most 20 (flatten the list)", BODY_LINE),
    (">" * 400 + " x\n", "body: nested 400 levels deep, at most 20 (use fewer '>')", BODY_LINE),
    ("\n".join("    " * level + "!!! note\n" for level in range(400)),
     "body: nested 400 levels deep, at most 20 (flatten the blocks)", BODY_LINE + 2 * 399),
    ("<div markdown>\n" * 400 + "x\n" + "</div>\n" * 400,
     "body: HTML elements nested 400 levels deep, at most 20 (close each element, or nest fewer)", BODY_LINE + 399),
    ("<div markdown>\n" + "<li>" * 400 + "x\n\n</div>\n",
     "body: HTML elements nested 401 levels deep, at most 20 (close each element, or nest fewer)", BODY_LINE + 1),
    ("*a " * 1000 + "x" + " a*" * 1000 + "\n",
     "body: emphasis nested 1000 levels deep, at most 20 (close each * or _ before opening another)", BODY_LINE),
], ids=["list", "list on one line", "quotes", "admonitions", "md_in_html", "unclosed items", "emphasis"])
def test_deep_nesting_is_one_problem_before_markdown_runs(body, message, line):
    assert check(post(body=INTRO + body)) == [f"{PATH}:{line}: {message}"]


@pytest.fixture(scope="module")
def convert():
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return lambda text: md.reset().convert(text)


def test_nesting_at_every_limit_at_once_is_accepted_and_renders(convert):
    depth = MAX_BODY_DEPTH
    inner = "\n".join("    " * level + "- item" for level in range(depth - 1))
    inner += "\n" + "    " * (depth - 1) + "- " + "*a " * depth + "x" + " a*" * depth
    body = "<div markdown>\n" * depth + "\n" + inner + "\n\n" + "</div>\n" * depth
    assert check(post(body=INTRO + body)) == []
    assert "<li>" in convert(body)  # far from Python's recursion limit, even all at once


def test_fenced_code_does_not_count_as_nesting():
    code = "```yaml\n" + "\n".join(" " * level + "- x" for level in range(0, 400, 4)) + "\n```\n"
    shown = "\n~~~~\n" + "<div>" * 100 + "\n~~~~\n\nAnd `" + "<span>" * 100 + "` in a span.\n"
    assert check(post(body=INTRO + code + shown)) == []


def test_an_unclosed_fence_is_text_as_markdown_reads_it():
    body = INTRO + "```\n<script>alert(1)</script>\n\n" + "\n".join("    " * n + "- x" for n in range(30)) + "\n"
    found = check(post(body=body))
    assert set(found) == {
        f"{PATH}:{BODY_LINE + 32}: body: nested 30 levels deep, at most 20 (flatten the list)",
        f"{PATH}:{BODY_LINE + 1}: html: <script> can run code (authors write Markdown, not scripts; "
        "to show it, put it in `code`)"}, found


def reference_fences(lines: list[str]) -> list[int]:
    """fenced_lines, the obvious way (quadratic)."""
    marks, index = [0] * len(lines), 0
    while index < len(lines):
        opening = re.match(r"^[ \t]*(`{3,}|~{3,})", lines[index])
        if opening:
            fence = opening.group(1)
            for end in range(index + 1, len(lines)):
                closing = re.match(r"^[ \t]*(`{3,}|~{3,})", lines[end])
                if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                    marks[index:end + 1] = [1] * (end + 1 - index)
                    index = end
                    break
        index += 1
    return marks


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["```", "````", "~~~", "~~~~", "  ```", "```py", "x", "", "    ~~~"]), max_size=30))
def test_fences_match_the_obvious_reading(lines):
    assert list(executable.fenced_lines(lines)) == reference_fences(lines)


BIG = 200_000  # characters of body


@pytest.mark.parametrize("unit", ["<!--", "`", "``x`", "<a ", "<a", "<a:", '<a "', "[x](", "[x]( ", "{", "{:",
                                  "-->", "&#", "<div>", "</div>", "*a ", "_", "\n", "\n    ", "> ", "- ", "1. "])
def test_no_body_check_grows_with_the_square_of_its_input(unit):
    body = INTRO + unit * (BIG // len(unit))
    start = time.perf_counter()
    check(post(body=body))
    assert time.perf_counter() - start < 2


def test_a_long_tag_name_is_not_a_slow_scan():
    start = time.perf_counter()
    assert unsafe_html(PATH, "<a" + "b" * BIG) == []
    assert unsafe_html(PATH, "<a href='" + "x" * BIG) == []
    assert time.perf_counter() - start < 2


def test_the_rendered_html_check_is_linear_too():
    content = '<a onclick="x()">a</a>' * 10_000
    start = time.perf_counter()
    assert len(allowlist.check(content)) == 10_000
    assert time.perf_counter() - start < 2


# The one-pass scans find what the regular expressions they replace found -------------------------

OLD_COMMENT = re.compile(r"<!--.*?-->", re.S)
OLD_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
OLD_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")


def old_mask(body: str) -> str:
    blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    if "```" in body or "~~~" in body or "\n    " in "\n" + body or "\n\t" in "\n" + body:
        body = executable._mask_blocks(body)
    return OLD_CODE_SPAN.sub(blank, OLD_COMMENT.sub(blank, body))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="`<!->x \t\n", max_size=60))
def test_masking_matches_the_regular_expressions(body):
    assert mask_code(body) == old_mask(body)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="<>ab =/-\n1", max_size=60))
def test_tags_match_the_regular_expression_without_quotes(text):
    assert list(executable._tags(text)) == [(m.start(), m.group(1), m.group(2)) for m in OLD_TAG.finditer(text)]


# Never a traceback ----------------------------------------------------------------------------------

YAMLISH = st.lists(st.sampled_from(list("-:[]{}&*!|>'\"#%@`?,. \t\nax01") + [
    "title", "date", "tags", "slug", "updated", "2026-11-20", "9999-12-31", "\\x07", "\\L", "<<", "!!binary",
    "\x85", "\u2028", "\x00", "\x7f", "&a", "*a", "!!str", "\n  ", "\n- ", ": "]), max_size=60).map("".join)
MARKDOWNISH = st.lists(st.sampled_from(list("`<>!-*_[](){}:#=\"' \t\n>1.x") + [
    "<!--", "-->", "<!-- more -->", "```", "    ", "<div markdown>", "</div>", "onclick=", "javascript:",
    "!!! note", "- ", "> "]), max_size=100).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=YAMLISH, body=MARKDOWNISH, kind=st.sampled_from(["post", "guide", None]))
def test_any_yaml_and_markdown_is_read_or_gets_one_line_problems(front, body, kind):
    found = check(f"---\n{front}\n---\n\n{body}", kind=kind)
    assert all(ONE_PROBLEM.match(problem) for problem in found), found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=300), kind=st.sampled_from(["post", "guide", None]))
def test_any_bytes_are_read_or_get_one_line_problems(raw, kind):
    found = check(b"---\n" + raw if raw[:1] == b"t" else raw, kind=kind)
    assert all(ONE_PROBLEM.match(problem) for problem in found), found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tags=YAMLISH, authors=YAMLISH)
def test_any_vocabulary_is_read_or_gets_one_line_problems(tags, authors):
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder, "docs")
        (docs / "blog").mkdir(parents=True)
        (docs / ".tags.yml").write_text("tags:\n" + tags, encoding="utf-8")
        (docs / "blog/.authors.yml").write_text("authors:\n" + authors, encoding="utf-8")
        found = [str(p) for p in check_vocabularies(str(docs), Path(folder), "blog/.authors.yml")]
        assert all(ONE_PROBLEM.match(problem) for problem in found), found
        valid, _ = read_tags(str(docs))
        assert all(set(tag) == {"name", "slug", "description"} for tag in valid)
        load_vocabulary(str(docs))
        load_authors(str(docs))
