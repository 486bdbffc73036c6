"""`make post` writes a draft post whose front matter passes the build's schema, refuses unknown
tags (naming the nearest) and existing files, and the post it writes builds."""

import shutil
import subprocess
import sys

import pytest

from blogpost.content.schema import PLACEHOLDER_DESCRIPTION
from blogpost.content.source import check_source, load_authors
from conftest import BUILD_ENV, ROOT, mkdocs_build

SCRIPT = ROOT / "scripts" / "new_post.py"


@pytest.fixture
def project(site_copy):
    # The script works on the project it lives in: give the copy its own.
    (site_copy / "scripts").mkdir()
    for name in ("new_post.py", "project.py"):
        (site_copy / "scripts" / name).write_bytes((SCRIPT.parent / name).read_bytes())
    return site_copy


def run(project, *args):
    return subprocess.run([sys.executable, "scripts/new_post.py", *args], cwd=project, env=BUILD_ENV,
                          capture_output=True, text=True, timeout=60)


def test_writes_a_valid_draft_post_and_prints_its_path(project, tmp_path, vocabulary):
    result = run(project, "--title", 'Ops & <Security>: "a" guide', "--tags", "AI,Learning", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "docs/blog/posts/2026-11-20-ops-a-guide.md"
    path = project / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    checked = check_source(result.stdout.strip(), text.encode(), kind="post", tags=list(vocabulary),
                           authors=load_authors(str(project / "docs")))
    assert checked.problems == []
    assert checked.meta["title"] == 'Ops & <Security>: "a" guide'
    assert checked.meta["tags"] == ["AI", "Learning"] and checked.meta["draft"] is True
    assert "\n<!-- more -->\n" in text
    # Remove the draft line alone, and the build refuses the placeholder description.
    published = text.replace("draft: true\n", "")
    path.write_text(published, encoding="utf-8")
    out = tmp_path / "out"
    refused = mkdocs_build(project, out)
    assert refused.returncode != 0
    assert ("docs/blog/posts/2026-11-20-ops-a-guide.md:4: description: still the placeholder of `make post` "
            "(write one or two sentences") in refused.stderr, refused.stderr
    assert not out.exists()
    # Write a description too, and the post is published.
    path.write_text(published.replace(PLACEHOLDER_DESCRIPTION, "How ops and security share one guide."),
                    encoding="utf-8")
    built = mkdocs_build(project, out)
    assert built.returncode == 0, built.stderr
    [built_page] = (out / "blog/2026/11/20").glob("ops*guide/index.html")
    page = built_page.read_text(encoding="utf-8")
    assert "Ops &amp; &lt;Security&gt;: &#34;a&#34; guide" in page or "Ops &amp; &lt;Security&gt;: &quot;a&quot; guide" in page


def test_today_is_the_default_date(project):
    result = run(project, "--title", "Today", "--tags", "AI")
    assert result.returncode == 0, result.stderr
    name = result.stdout.strip().rsplit("/", 1)[1]
    assert name.endswith("-today.md") and len(name) == len("YYYY-MM-DD-today.md")


def test_refuses_unknown_tags_naming_the_nearest(project):
    result = run(project, "--title", "X", "--tags", "ai,Lerning,Zzz")
    assert result.returncode != 0
    assert "tags: 'ai' is not a known tag (did you mean 'AI'?)" in result.stderr
    assert "tags: 'Lerning' is not a known tag (did you mean 'Learning'?)" in result.stderr
    assert "tags: 'Zzz' is not a known tag (known tags: AI, CyberSecurity, Learning)" in result.stderr
    assert not list((project / "docs/blog/posts").glob("*-x.md"))


def test_refuses_an_existing_file(project):
    first = run(project, "--title", "Twice", "--tags", "AI", "--date", "2026-11-20")
    assert first.returncode == 0
    before = (project / first.stdout.strip()).read_bytes()
    second = run(project, "--title", "Twice", "--tags", "Learning", "--date", "2026-11-20")
    assert second.returncode != 0
    assert "docs/blog/posts/2026-11-20-twice.md already exists" in second.stderr
    assert (project / first.stdout.strip()).read_bytes() == before


def test_make_post_passes_title_and_tags(project):
    for name in ("Makefile", "requirements-pip.txt", "requirements.txt", "requirements-test.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)  # keeps mtimes: the venv's stamps stay newer
    venv = ROOT / ".venv"
    result = subprocess.run(["make", "--no-print-directory", "post", "TITLE=From make", "TAGS=Learning",
                             f"VENV={venv}"], cwd=project, env=BUILD_ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    path = result.stdout.strip().splitlines()[-1]
    assert path.startswith("docs/blog/posts/") and path.endswith("-from-make.md")
    assert "  - \"Learning\"" in (project / path).read_text(encoding="utf-8")


def test_lists_the_new_post_s_address_as_the_blog_will_give_it(project, tmp_path):
    from blogpost.content.addresses import read_url_list
    from urls import lost, pending, served

    before = read_url_list(project / "docs")
    assert before, "the copy keeps the project's docs/.urls.txt"
    result = run(project, "--title", "Ops & <Security>: \"a\" guide", "--tags", "AI", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    after = read_url_list(project / "docs")
    [added] = set(after) - set(before)
    assert sorted(set(after) - {added}) == sorted(before)
    assert (project / "docs/.urls.txt").read_text(encoding="utf-8").splitlines() == sorted(
        "./" if url == "" else url for url in after)
    assert pending(project) == {added}  # a draft: not published yet, and not lost
    # Published, the post is at exactly that address.
    path = project / result.stdout.strip()
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", "")
                    .replace(PLACEHOLDER_DESCRIPTION, "A guide."), encoding="utf-8")
    out = tmp_path / "out"
    assert mkdocs_build(project, out).returncode == 0
    pages, redirects = served(out)
    assert added in pages and lost(after, pages, redirects, pending(project)) == []
