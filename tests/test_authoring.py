"""Bad input fails the build with one line per problem, naming the file, the line and the field;
special input (a byte-order mark, CRLF, code that shows HTML) builds. Each problem is checked on
the source; the build tests build a copy of the site with broken or special files."""

import queue
import socket
import subprocess
import sys
import threading
import time

import lxml.html
import pytest

from blogpost.content.source import check_source, load_authors
from blogpost.layout import Layout
from conftest import BUILD_ENV, DOCS, mkdocs_build
from project import stop_group

BAD = "docs/blog/posts/2026-11-20-bad.md"
GUIDE = "docs/guides/vendor-checks/index.md"
BODY = "# A post\n\nIntro.\n\n<!-- more -->\n\nBody.\n"


def post(front: str = "", body: str = BODY, *, fields: str = "title: A post\ndate: 2026-11-20\n"
         "description: One sentence.\ntags: [AI]\nauthors: [editors]\n") -> str:
    return f"---\n{fields}{front}---\n\n{body}"


def build(project, tmp_path, files: dict):
    for name, content in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = tmp_path / "out"
    result = mkdocs_build(project, out)
    result.out = out
    return result


def assert_fails_with(result, *lines):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    for line in lines:
        assert line in result.stderr, result.stderr
    assert not list(result.out.rglob("*.html")), "a failed build left pages behind"


CASES = {
    "unknown tag": (
        {BAD: post(fields="title: A post\ndate: 2026-11-20\ndescription: One.\ntags:\n  - ai\nauthors: [editors]\n")},
        f"{BAD}:6: tags: 'ai' is not a known tag (did you mean 'AI'?)"),
    "misspelled field": (
        {BAD: post("tittle: A post\n", fields="date: 2026-11-20\ndescription: One.\ntags: [AI]\nauthors: [editors]\n")},
        f"{BAD}:6: tittle: unknown field (did you mean 'title'?)"),
    "empty tag list": (
        {BAD: post(fields="title: A post\ndate: 2026-11-20\ndescription: One.\ntags: []\nauthors: [editors]\n")},
        f"{BAD}:5: tags: is an empty list, needs at least one"),
    "date without offset": (
        {BAD: post(fields="title: A post\ndate: 2026-11-20T09:30:00\ndescription: One.\ntags: [AI]\nauthors: [editors]\n")},
        f"{BAD}:3: date: 2026-11-20 09:30:00 is a date-time, not an ISO 8601 date or a date-time with an offset"),
    "description too long": (
        {BAD: post(fields=f"title: A post\ndate: 2026-11-20\ndescription: {'x' * 170}\ntags: [AI]\nauthors: [editors]\n")},
        f"{BAD}:4: description: is 170 characters long, at most 160 allowed (cut 10)"),
    "unknown author": (
        {BAD: post(fields="title: A post\ndate: 2026-11-20\ndescription: One.\ntags: [AI]\nauthors: [editor]\n")},
        f"{BAD}:6: authors: 'editor' is not a known author (did you mean 'editors'?)"),
    "not UTF-8": (
        {BAD: post().replace("Intro.", "Caf\udce9.").encode("utf-8", "surrogateescape")},
        f"{BAD}:11: encoding: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)"),
    "malformed YAML": (
        {BAD: post(fields='title: "A post\ndate: 2026-11-20\ndescription: One.\ntags: [AI]\nauthors: [editors]\n')},
        f"{BAD}:7: front matter: YAML syntax error: found unexpected end of stream, while scanning a quoted scalar that starts on line 2"),
    "no front matter": (
        {BAD: BODY},
        f"{BAD}:1: front matter: missing (start the file with '---'"),
    "no excerpt marker": (
        {BAD: post(body="# A post\n\nIntro only.\n")},
        f"{BAD}:8: excerpt: no '<!-- more -->' marker"),
    "script tag": (
        {BAD: post(body="# A post\n\nIntro.\n\n<!-- more -->\n\n<script>alert(1)</script>\n")},
        f"{BAD}:15: html: <script> can run code"),
    "iframe": (
        {BAD: post(body='# A post\n\nIntro <iframe src="https://example.org"></iframe>.\n\n<!-- more -->\n')},
        f"{BAD}:11: html: <iframe> can run code"),
    "object": (
        {BAD: post(body='# A post\n\nIntro.\n\n<!-- more -->\n\n<object data="x.swf"></object>\n')},
        f"{BAD}:15: html: <object> can run code"),
    "embed": (
        {BAD: post(body='# A post\n\nIntro.\n\n<!-- more -->\n\n<EMBED src="x.swf">\n')},
        f"{BAD}:15: html: <embed> can run code"),
    "event attribute": (
        {BAD: post(body='# A post\n\nIntro.\n\n<!-- more -->\n\n<img src="x.png"\n     onerror="alert(1)">\n')},
        f"{BAD}:15: html: the onerror= attribute of <img> runs code"),
    "javascript link": (
        {BAD: post(body="# A post\n\nIntro.\n\n<!-- more -->\n\nSee [this](javascript:alert(1)).\n")},
        f"{BAD}:15: link: javascript: URLs run code"),
    "javascript href": (
        {BAD: post(body='# A post\n\nIntro.\n\n<!-- more -->\n\n<a href=" JaVa&#115;cript:alert(1)">x</a>\n')},
        f"{BAD}:15: html: a javascript: URL in <a> runs code"),
    "attribute list": (
        {BAD: post(body='# A post\n\nIntro.\n\n<!-- more -->\n\n[x](https://example.org){ onclick="go()" }\n')},
        f"{BAD}:15: html: the onclick= attribute in {{ }} runs code"),
    "guide with unknown tag": (
        {GUIDE: "---\ntitle: Vendor checks\ndate: 2026-11-20\ndescription: One.\ntags: [Security]\n---\n\n# Vendor checks\n"},
        f"{GUIDE}:5: tags: 'Security' is not a known tag (did you mean 'CyberSecurity'?)"),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_bad_input_is_named_by_file_line_and_field(files, expected, vocabulary):
    # The checks the build runs first on every page (the build itself: the tests below).
    [(path, content)] = files.items()
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    checked = check_source(path, raw, kind=Layout().kind_of(path.removeprefix("docs/")),
                           tags=list(vocabulary), authors=load_authors(str(DOCS)))
    found = [str(problem) for problem in checked.problems]
    assert any(line.startswith(expected) for line in found), found


def test_two_pages_with_one_url_fail_naming_both(site_copy, tmp_path):
    twin = "docs/blog/posts/2026-11-20-twin.md"
    result = build(site_copy, tmp_path, {BAD: post(), twin: post()})
    assert_fails_with(result, f"{twin}:2: url: /blog/2026/11/20/a-post/ is also the address of {BAD}")


def test_two_pages_with_one_url_fail_whatever_their_kind(site_copy, tmp_path):
    guide = "---\ntitle: A guide\ndate: 2026-11-20\ndescription: One.\ntags: [AI]\n---\n\n# A guide\n"
    result = build(site_copy, tmp_path, {"docs/guides/setup.md": guide, "docs/guides/setup/index.md": guide})
    assert_fails_with(result, "docs/guides/setup/index.md:2: url: /guides/setup/ is also the address of "
                              "docs/guides/setup.md (rename or move one of them)")


def test_a_slug_resolves_a_url_clash(site_copy, tmp_path):
    twin = "docs/blog/posts/2026-11-20-twin.md"
    result = build(site_copy, tmp_path, {BAD: post(), twin: post("slug: a-post-again\n")})
    assert result.returncode == 0, result.stderr
    assert (result.out / "blog/2026/11/20/a-post-again/index.html").is_file()


def test_every_problem_in_every_file_is_reported_in_one_run(site_copy, tmp_path):
    other = "docs/blog/posts/2026-11-21-other.md"
    result = build(site_copy, tmp_path, {
        BAD: post(fields="title: A post\ndate: 2026-11-20\ndescription: One.\ntags: [ai, Lerning]\n"),
        other: post(body="# B\n\n<script>x()</script>\n\n<!-- more -->\n\n[x](javascript:void(0))\n"),
        GUIDE: b"---\ntitle: Caf\xe9\n---\n",
    })
    assert_fails_with(
        result,
        "6 problems in the content:",
        f"{BAD}:1: authors: required field is missing (authors: [editors])",
        f"{BAD}:5: tags: 'ai' is not a known tag (did you mean 'AI'?)",
        f"{BAD}:5: tags: 'Lerning' is not a known tag (did you mean 'Learning'?)",
        f"{GUIDE}:2: encoding: byte 0xe9 is not valid UTF-8",
        f"{other}:11: html: <script> can run code",
        f"{other}:15: link: javascript: URLs run code",
    )


def test_code_that_shows_html_builds_and_stays_text(site_copy, tmp_path):
    body = (
        "# A post\n\nUse `<script>` and `onclick=` with care.\n\n<!-- more -->\n\n"
        "```html\n<script>alert(1)</script>\n<a href=\"javascript:x()\">x</a>\n```\n\n"
        "    <iframe src=\"x\"></iframe>\n\n"
        "~~~~\n<img src=x onerror=alert(1)>\n~~~~\n\n"
        "The word JavaScript: a language. `[x](javascript:y)` &lt;embed>\n"
    )
    result = build(site_copy, tmp_path, {BAD: post(body=body)})
    assert result.returncode == 0, result.stderr
    article = lxml.html.parse(str(result.out / "blog/2026/11/20/a-post/index.html")).getroot().cssselect("article")[0]
    text = article.text_content()
    for shown in ("<script>alert(1)</script>", '<a href="javascript:x()">x</a>', '<iframe src="x"></iframe>',
                  "<img src=x onerror=alert(1)>", "[x](javascript:y)", "<embed>"):
        assert shown in text
    assert not article.cssselect("script, iframe, embed, object, img[onerror], a[href^=javascript]")


def test_a_byte_order_mark_and_crlf_line_endings_are_accepted(site_copy, tmp_path):
    result = build(site_copy, tmp_path, {BAD: b"\xef\xbb\xbf" + post().replace("\n", "\r\n").encode("utf-8")})
    assert result.returncode == 0, result.stderr
    page = (result.out / "blog/2026/11/20/a-post/index.html").read_text(encoding="utf-8")
    assert "<title>A post - Blog Post</title>" in page
    assert "blog/2026/11/20/a-post/" in (result.out / "tags/ai/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("body, target", [
    ("[gone](../../missing.md)", "../../missing.md"),
    ("![chart](../../assets/images/missing.png)", "../../assets/images/missing.png"),
    ("[anchor](../index.md#no-such-section)", "no-such-section"),
], ids=["link", "image", "anchor"])
def test_broken_links_images_and_anchors_fail_naming_the_file(site_copy, tmp_path, body, target):
    result = build(site_copy, tmp_path, {BAD: post(body=f"# A post\n\nIntro.\n\n<!-- more -->\n\n{body}\n")})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    line = next((l for l in result.stderr.splitlines() if target in l), "")
    assert "blog/posts/2026-11-20-bad.md" in line, result.stderr


def test_serve_names_every_problem_on_rebuild_and_keeps_serving(site_copy, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=site_copy, env={**BUILD_ENV, "TMPDIR": str(tmp_path)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stderr], daemon=True).start()
    seen = []

    def wait_for(text):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return
        raise AssertionError(f"{text!r} not in the output of mkdocs serve:\n" + "".join(seen))

    try:
        wait_for("Serving on")
        (site_copy / BAD).write_text(post(fields="title: A post\ndate: 2026-11-20\ndescription: One.\n"
                                          "tags:\n  - ai\nauthors: [editors]\n", body="# A post\n\nIntro.\n"),
                                     encoding="utf-8")
        wait_for(f"{BAD}:9: excerpt: no '<!-- more -->' marker")
        assert f"{BAD}:6: tags: 'ai' is not a known tag (did you mean 'AI'?)\n" in seen
        wait_for("The browser shows these problems until a rebuild succeeds")
        (site_copy / BAD).write_text(post(), encoding="utf-8")
        # ("Documentation built in N seconds" is not a sure sign: MkDocs drops a log message
        # identical to an earlier one, as that is whenever the rebuild takes as long as the
        # first build. "Reloading browsers" follows a failed rebuild too, to show its problems.)
        wait_for("The site builds again")
        assert not any("Traceback" in line for line in seen), "".join(seen)
    finally:
        stop_group(server, timeout=20)
    # Stopped as Ctrl-C stops it, the server removes the folder it served from.
    assert server.returncode == 0 and not list(tmp_path.glob("mkdocs_*"))
