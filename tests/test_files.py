"""Which files docs/ may hold (blogpost/content/files.py): a temporary docs/ per case, no build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DOCS, ROOT

from blogpost.content.files import MAX_BYTES, check_files, drop_refused

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 8 8">\n'
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
CODE = "(an image must not run code: export it again as plain SVG, or use a PNG)"
EXTERNAL = "(an SVG here draws only what it contains: point only at '#id's in the same file, or use a PNG)"
SYMLINK = ("is a symbolic link; links are not published, wherever they point "
           "(copy the file into docs/ instead of linking to it)")


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder whose docs/ holds what a good site holds."""
    docs = tmp_path / "docs"
    for folder in ("blog/posts/2026-01-01-post", "assets/images", "assets/stylesheets", "assets/javascripts"):
        (docs / folder).mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    (docs / ".tags.yml").write_text("tags: []\n")
    (docs / "blog" / ".authors.yml").write_text("authors: {}\n")
    (docs / "blog" / "posts" / "2026-01-01-post.md").write_text("# Post\n")
    (docs / "blog" / "posts" / "2026-01-01-post" / "figure.png").write_bytes(PNG)
    (docs / "assets" / "images" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 16)
    (docs / "assets" / "images" / "icon.svg").write_text(
        SVG + '<defs><linearGradient id="g"/><path id="p" d="M0 0h8"/></defs>\n'
        '<style>.a { fill: url(#g) } .b { fill: url( "#g" ) }</style>\n'
        '<use href="#p"/><use xlink:href="#p"/>\n<rect class="a" width="8" height="8" fill="url(#g)"/>\n'
        '<a href="#p"><text>&amp; &#60;</text></a>\n</svg>\n')
    (docs / "assets" / "stylesheets" / "site.css").write_text("body { margin: 0 }\n")
    (docs / "assets" / "javascripts" / "site.js").write_text("// site\n")
    return tmp_path


def problems(project: Path) -> list[str]:
    return [str(p) for p in check_files(str(project / "docs"), project)]


def write(project: Path, path: str, content: str | bytes) -> None:
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)


def test_a_good_tree_has_no_problem(project):
    assert problems(project) == []


def test_the_real_docs_have_no_problem():
    assert check_files(str(DOCS), ROOT) == []


@pytest.mark.parametrize("path, content, expected", [
    ("docs/evil.html", "<script>alert(1)</script>",
     "docs/evil.html:1: file: is an HTML page, which would be served from the site's address without "
     "the site's checks or its Content-Security-Policy (write it as a Markdown page, .md)"),
    ("docs/blog/posts/page.htm", "<p>hi</p>",
     "docs/blog/posts/page.htm:1: file: is an HTML page, which would be served from the site's address "
     "without the site's checks or its Content-Security-Policy (write it as a Markdown page, .md)"),
    ("docs/assets/images/evil.js", "alert(1)",
     "docs/assets/images/evil.js:1: file: is a script outside docs/assets/javascripts/, where the site "
     "keeps its own, which its Content-Security-Policy trusts (a post needs no script: write Markdown)"),
    ("docs/blog/posts/style.css", "body { display: none }",
     "docs/blog/posts/style.css:1: file: is a stylesheet outside docs/assets/stylesheets/, where the site "
     "keeps its own (a post is styled by the site: write Markdown)"),
    ("docs/data.json", "{}",
     "docs/data.json:1: file: .json files are not published from docs/ (docs/ holds .md pages and images "
     "(.png .jpg .jpeg .gif .webp .avif .ico .svg) anywhere, .css in docs/assets/stylesheets/ "
     "and .js in docs/assets/javascripts/)"),
    ("docs/paper.pdf", b"%PDF-1.7",
     "docs/paper.pdf:1: file: is a PDF, whose scripts some viewers run (publish it elsewhere and link to it, "
     "or write its content as a page)"),
    ("docs/assets/images/Photo.JPG", b"\xff\xd8\xff\xe0",
     "docs/assets/images/Photo.JPG:1: file: the extension .JPG must be written in lower case (rename it Photo.jpg)"),
    ("docs/assets/images/page.png", "<html><script>alert(1)</script>",
     "docs/assets/images/page.png:1: file: is not a PNG image, whatever its name says "
     "(save it as PNG, or name it after the format it is in)"),
    ("docs/.env", "SECRET=1",
     "docs/.env:1: file: is a dot-file: MkDocs does not publish it, and the project reads only "
     "docs/.tags.yml, docs/blog/.authors.yml, docs/.urls.txt (remove it)"),
    ("docs/.well-known/security.txt", "x",
     "docs/.well-known:1: file: is a dot-folder: MkDocs publishes nothing in it "
     "(move what should be published to a folder without a leading dot, or remove it)"),
], ids=["html", "htm", "js outside javascripts", "css outside stylesheets", "json", "pdf",
        "upper-case extension", "not a png", "unknown dot-file", "dot-folder"])
def test_a_file_not_allowed_there_is_one_problem(project, path, content, expected):
    write(project, path, content)
    assert problems(project) == [expected]


@pytest.mark.parametrize("body, expected", [
    ("<script>alert(1)</script>", f"2: file: has a <script> element, which runs code {CODE}"),
    ('<g onload="alert(1)"/>', f"2: file: <g> has the event handler onload=, which runs code {CODE}"),
    ('<rect ONCLICK="alert(1)"/>', f"2: file: <rect> has the event handler ONCLICK=, which runs code {CODE}"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml" onclick="x">hi</div></foreignObject>',
     f"2: file: has a <foreignObject> element, which embeds HTML, able to run code or load other files {CODE}"),
    ('<image xlink:href="https://example.com/x.png"/>',
     f"2: file: <image> has xlink:href= pointing outside the file, not at a '#id' {EXTERNAL}"),
    ('<use href="other.svg#shape"/>',
     f"2: file: <use> has href= pointing outside the file, not at a '#id' {EXTERNAL}"),
    ('<a href="javascript:alert(1)"><text>x</text></a>',
     f"2: file: <a> has href= pointing outside the file, not at a '#id' {EXTERNAL}"),
    ('<rect style="fill: url(http://example.com/x.svg#g)"/>',
     f"2: file: <rect> has style= with a url() that is not a '#id' {EXTERNAL}"),
    ('<rect fill="url(https://example.com/#g)"/>',
     f"2: file: <rect> has fill= with a url() that is not a '#id' {EXTERNAL}"),
    ("<style>\n.a { fill: url(#g) }\n.b { background: u\\72l(//example.com/x) }\n</style>",
     f"4: file: <style> has a url() that is not a '#id' {EXTERNAL}"),
    ('<style>@import "https://example.com/x.css";</style>',
     f"2: file: <style> has @import, which loads other files {EXTERNAL}"),
    ('<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>',
     f"2: file: <set> animates href, which can run code or point outside the file {CODE}"),
    ('<iframe src="https://example.com"/>',
     f"2: file: has a <iframe> element, which loads another document {EXTERNAL}"),
    ('<h:meta xmlns:h="http://www.w3.org/1999/xhtml" http-equiv="refresh" content="0;url=https://example.com"/>',
     f"2: file: has the HTML element <meta> inside it {CODE}"),
], ids=["script", "onload", "onclick upper-case", "foreignObject", "xlink:href external", "href external",
        "href javascript", "url() in style attribute", "url() in fill", "escaped url() in style element",
        "@import", "animated href", "iframe", "xhtml element"])
def test_an_svg_that_could_run_code_or_load_files_is_one_problem(project, body, expected):
    write(project, "docs/assets/images/bad.svg", f"{SVG}{body}\n</svg>\n")
    assert problems(project) == [f"docs/assets/images/bad.svg:{expected}"]


def test_an_svg_with_an_entity_declaration_is_one_problem(project):
    write(project, "docs/bad.svg", '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY x "<script>alert(1)</script>">\n]>\n'
          f"{SVG}<text>&x;</text>\n</svg>\n")
    assert problems(project) == [
        "docs/bad.svg:3: file: declares entities or attributes in its DOCTYPE, which a browser applies and "
        "this check cannot see (save it as plain SVG, without a DOCTYPE)"]


def test_an_svg_with_the_standard_doctype_is_fine(project):
    write(project, "docs/ok.svg", '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
          f'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n{SVG}<rect width="8" height="8"/>\n</svg>\n')
    assert problems(project) == []


def test_an_svg_with_a_stylesheet_instruction_is_one_problem(project):
    write(project, "docs/bad.svg", f'<?xml-stylesheet type="text/xsl" href="https://example.com/x.xsl"?>\n{SVG}</svg>\n')
    assert problems(project) == [
        "docs/bad.svg:1: file: has the processing instruction <?xml-stylesheet?>, which can load a stylesheet "
        "or transformation from elsewhere (save it as plain SVG)"]


def test_an_unparsable_svg_is_one_problem(project):
    write(project, "docs/bad.svg", f"{SVG}<g>\n<rect/>\n</svg>\n")
    assert problems(project) == [
        "docs/bad.svg:4: file: is not well-formed XML: Opening and ending tag mismatch: g line 2 and svg "
        "(save it as plain SVG)"]


@pytest.mark.parametrize("link, target", [
    ("docs/assets/hostname", "/etc/hostname"),
    ("docs/assets/environ.png", "/proc/self/environ"),
    ("docs/assets/config.md", "../../.git/config"),
    ("docs/blog/posts/gone.png", "nowhere.png"),  # dangling
    ("docs/assets/linked", "/etc"),  # a folder
    ("docs/assets/loop", "."),  # a folder that contains itself
    ("docs/blog/.authors.yml", "/proc/self/environ"),  # a known dot-file, replaced by a link
])
def test_every_symlink_is_one_problem_and_never_followed(project, link, target):
    (project / link).unlink(missing_ok=True)
    os.symlink(target, project / link)
    assert problems(project) == [f"{link}:1: file: {SYMLINK}"]


def test_a_symlinked_docs_folder_is_one_problem(tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "docs")
    assert problems(tmp_path) == [f"docs:1: file: {SYMLINK}"]


def test_the_list_of_published_addresses_is_allowed_at_the_top_of_docs_only(project):
    write(project, "docs/.urls.txt", "./\nblog/\n")
    assert problems(project) == []
    write(project, "docs/blog/.urls.txt", "./\n")
    assert [p.split(": is a dot-file")[0] for p in problems(project)] == ["docs/blog/.urls.txt:1: file"]


def test_editor_and_os_dot_files_are_ignored(project):
    write(project, "docs/.DS_Store", b"\0\0\0\1Bud1")
    write(project, "docs/blog/posts/.2026-01-01-post.md.swp", b"b0VIM")
    assert problems(project) == []


def test_a_name_with_a_control_character_cannot_forge_a_line(project):
    write(project, "docs/a\nx.md:1: ok.md", "# x\n")
    assert problems(project) == [
        "docs/a\\nx.md:1: ok.md:1: file: its name has a control character "
        "(rename it with letters, digits, '-' and '_')"]


def test_a_fifo_is_one_problem_and_not_opened(project):
    os.mkfifo(project / "docs" / "pipe.svg")
    assert problems(project) == ["docs/pipe.svg:1: file: is not a regular file (a FIFO, socket or device; remove it)"]


def test_a_file_over_the_cap_is_one_problem(project):
    with (project / "docs" / "huge.png").open("wb") as file:
        file.write(PNG)
        file.truncate(MAX_BYTES + 1)
    assert problems(project) == [
        "docs/huge.png:1: file: is 5.0 MB, over the 5 MB a file may be (resize or compress it)"]


def test_every_problem_of_a_tree_is_reported_at_once(project):
    write(project, "docs/evil.html", "x")
    write(project, "docs/a.svg", f"{SVG}<script/>\n<rect onload='x'/>\n</svg>\n")
    os.symlink("/etc/hostname", project / "docs" / "host")
    assert [line.split(": file:")[0] for line in problems(project)] == [
        "docs/a.svg:2", "docs/a.svg:3", "docs/evil.html:1", "docs/host:1"]


def test_drop_refused_removes_refused_files_and_folders(project):
    class Files(list):
        remove = list.remove

    class File:
        def __init__(self, src_uri):
            self.src_uri = src_uri

    write(project, "docs/evil.html", "x")
    os.symlink("/etc", project / "docs" / "assets" / "linked")
    files = Files(File(uri) for uri in ("index.md", "evil.html", "assets/linked/hostname", "assets/linkedin.png"))
    drop_refused(files, check_files(str(project / "docs"), project), str(project / "docs"), project)
    assert [f.src_uri for f in files] == ["index.md", "assets/linkedin.png"]
