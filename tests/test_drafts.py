"""Drafts and scheduled pages, posts and guides alike: absent from every file of `mkdocs build`,
shown and marked in `mkdocs serve`."""

import datetime as dt
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import BUILD_ENV, mkdocs_build
from pagefind_index import chunks
from project import stop_group

SEARCH_INDEX = "pagefind/ (the search index)"

TOMORROW = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).replace(microsecond=0).isoformat()
SOON = (dt.datetime.now(dt.timezone(dt.timedelta(hours=-10))) + dt.timedelta(hours=2)).replace(microsecond=0)

# name -> (file, front matter extra, marker word that must not be published)
HIDDEN = {
    "draft post": ("docs/blog/posts/2026-11-19-zebra.md", "draft: true\n", "Zebradraft"),
    "post dated next year": ("docs/blog/posts/2099-01-01-giraffe.md", "", "Giraffefuture"),
    "post dated tomorrow (with offset)": ("docs/blog/posts/2099-01-02-ibex.md", "", "Ibexsoon"),
    "post due in two hours (another offset)": ("docs/blog/posts/2099-01-03-lynx.md", "", "Lynxhours"),
    "draft guide": ("docs/guides/field-guide/okapidraft.md", "draft: true\n", "Okapidraft"),
    "scheduled guide": ("docs/guides/field-guide/tapirlater.md", "", "Tapirlater"),
}
DATES = {"Giraffefuture": "2099-01-01", "Tapirlater": "2099-02-01", "Ibexsoon": TOMORROW, "Lynxhours": SOON.isoformat()}
SHOWN = {"published post": ("docs/blog/posts/2026-11-19-heron.md", "", "Heronlive"),
         "published guide": ("docs/guides/field-guide/koalalive.md", "", "Koalalive")}


def page(word: str, extra: str, *, post: bool) -> str:
    date = DATES.get(word, "2026-11-19")
    return (
        f"---\ntitle: {word} title\ndate: {date}\ndescription: {word} description.\ntags: [AI]\n"
        + ("authors: [editors]\n" if post else "") + extra + f"---\n\n# {word} title\n\n{word} intro.\n\n"
        + ("<!-- more -->\n\n" if post else "") + f"{word} body.\n"
    )


@pytest.fixture
def project(site_copy):
    for path, extra, word in [*HIDDEN.values(), *SHOWN.values()]:
        target = site_copy / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(word, extra, post="/posts/" in path), encoding="utf-8")
    config = site_copy / "mkdocs.yml"
    nav = "".join(f"      - {path.removeprefix('docs/')}\n" for path, _, _ in [*HIDDEN.values(), *SHOWN.values()]
                  if path.startswith("docs/guides/"))
    nav = "  - Guides:\n" + nav
    text = config.read_text(encoding="utf-8").replace("  - Tags: tags/index.md\n", nav + "  - Tags: tags/index.md\n")
    config.write_text(text, encoding="utf-8")
    return site_copy


def test_drafts_and_scheduled_pages_are_absent_from_every_built_file(project, tmp_path):
    out = tmp_path / "out"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stderr
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".xml", ".txt", ".gz"}]
    outputs = {p.relative_to(out).as_posix(): p.read_bytes().lower() for p in files if p.suffix != ".gz"}
    outputs[SEARCH_INDEX] = b"\n".join(chunks(out).values()).lower()  # its chunks are gzip files
    assert {SEARCH_INDEX, "sitemap.xml", "feed.xml", "tags/ai/feed.xml", "blog/index.html",
            "blog/archive/2026/index.html", "tags/ai/index.html"} <= set(outputs)
    for _, _, word in HIDDEN.values():
        leaks = [name for name, data in outputs.items() if word.lower().encode() in data]
        assert not leaks, f"{word} is published in {leaks}"
    assert not (out / "guides" / "field-guide" / "okapidraft").exists()
    assert not (out / "blog" / "2099").exists()
    # The same build publishes what is due, in every place: the check above can fail.
    for name in [SEARCH_INDEX, "sitemap.xml", "tags/ai/index.html", "tags/ai/feed.xml"]:
        assert b"heronlive" in outputs[name] and b"koalalive" in outputs[name], name
    for name in ["feed.xml", "blog/index.html", "blog/archive/2026/index.html"]:
        assert b"heronlive" in outputs[name], name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError:
            raise
        except OSError:  # not serving yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_shows_drafts_and_scheduled_pages_marked(project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=BUILD_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/blog-post/"
        deadline = time.monotonic() + 60
        draft = fetch(base + "blog/2026/11/19/zebradraft-title/", deadline)
        assert 'data-unpublished="draft"' in draft and "Draft — not published" in draft
        scheduled = fetch(base + "blog/2099/01/01/giraffefuture-title/", deadline)
        assert 'data-unpublished="scheduled"' in scheduled and "Dated 1 January 2099" in scheduled
        guide = fetch(base + "guides/field-guide/okapidraft/", deadline)
        assert 'data-unpublished="draft"' in guide
        index = fetch(base + "blog/", deadline)
        assert "Zebradraft title" in index and "Giraffefuture title" in index
        assert index.count('class="md-draft"') >= len([k for k in HIDDEN if "post" in k])
        live = fetch(base + "blog/2026/11/19/heronlive-title/", deadline)
        assert "data-unpublished" not in live
    finally:
        stop_group(server, timeout=20)


def test_a_post_dated_today_in_the_site_timezone_is_published(site_copy, tmp_path):
    # Fourteen hours ahead of UTC, "today" has often begun here while it is still yesterday in UTC.
    (site_copy / "mkdocs-east.yml").write_text(
        "INHERIT: mkdocs.yml\nplugins:\n  blogpost:\n    timezone: Etc/GMT-14\n", encoding="utf-8")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()
    (site_copy / "docs/blog/posts/today.md").write_text(page("Wombattoday", "", post=True).replace(
        "date: 2026-11-19", f"date: {today.isoformat()}"), encoding="utf-8")
    out = tmp_path / "out"
    result = mkdocs_build(site_copy, out, config="mkdocs-east.yml")
    assert result.returncode == 0, result.stderr
    assert (out / f"blog/{today:%Y/%m/%d}/wombattoday-title/index.html").is_file()
    assert b"wombattoday-title" in (out / "feed.xml").read_bytes()
