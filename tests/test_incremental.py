"""The incremental preview (blogpost/speed/incremental.py) serves, after every save, exactly the
site a clean build of the same tree makes: a seeded random sequence of edits is applied to a
served corpus, and after each rebuild (and its search index) the served folder is compared with a
clean build, file by file, in the same mode (`mkdocs serve`: drafts shown and marked, the serve
address). The clean build runs without the incremental patch, in a process of its own."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import yaml

import bench  # scripts/bench.py: the corpus generator
from conftest import BUILD_ENV
from pagefind_index import pages
from project import copy_site, free_port, stop_group, variant

POSTS = 30
STEPS = 12
# At 30 posts a body edit templates 4 pages again, a new post or a title edit more: from 8, a
# second process templates half of them (blogpost/speed/parallel.py), so both ways are taken.
PARALLEL_FROM = 8
SEED = int(os.environ.get("INCREMENTAL_SEED", "20261201"))
FIXED_TIME = {"SOURCE_DATE_EPOCH": "1764000000", "BLOGPOST_SPEED_STRICT": "true"}
# MkDocs drops a log line equal to an earlier one ("Documentation built in 1.70 seconds"): builds
# are counted by the preview's own line.
BUILT = re.compile(r"incremental preview: build \d+")
INDEXED = re.compile(r"search index of build (\d+) ready")
FAILED = re.compile(r"Aborted|Error|An error happened during the rebuild")

REFERENCE = textwrap.dedent("""
    import sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    config_file, site_dir, serve_url = sys.argv[1:]
    config = load_config(config_file=config_file, site_dir=site_dir)
    config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = serve_url
    build(config, serve_url=serve_url, dirty=False)
    config.plugins["blogpost"].indexer.last.join()
""")


class Served:
    """`mkdocs serve` of a project, its log read as it comes, its site folder found."""

    def __init__(self, project: Path, tmp: Path, config: str = "mkdocs.yml") -> None:
        self.project, self.port = project, free_port()
        self.tmp = tmp / "serve-tmp"
        self.tmp.mkdir()
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", config, "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project, env={**BUILD_ENV, **FIXED_TIME, "TMPDIR": str(self.tmp)},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/blog-post/"

    def builds(self) -> int:
        return sum(bool(BUILT.search(line)) for line in self.lines)

    def wait_for_build(self, count: int, timeout: float = 180) -> None:
        """Until at least `count` builds are done and the last one's search index is in place (a
        save can be seen twice, while it is written and after: then one more build runs)."""
        def done():
            if self.proc.poll() is not None or any(FAILED.search(line) for line in self.lines):
                return True
            indexed = [int(m[1]) for line in self.lines if (m := INDEXED.search(line))]
            return self.builds() >= count and self.builds() in indexed

        with self.changed:
            if not self.changed.wait_for(done, timeout):
                raise AssertionError("no rebuild within the timeout:\n" + "".join(self.lines[-20:]))
        assert not any(FAILED.search(line) for line in self.lines), "".join(self.lines[-40:])
        assert self.proc.poll() is None, "".join(self.lines[-40:])

    @property
    def site(self) -> Path:
        found = [p for p in self.tmp.iterdir() if p.name.startswith("mkdocs_") and p.is_dir()]
        assert len(found) == 1, found
        return found[0]

    def stop(self) -> None:
        stop_group(self.proc)


def reference(project: Path, out: Path, serve_url: str) -> Path:
    """A clean build of the project as `mkdocs serve` builds it, without the incremental patch."""
    others = [p for p in bench.PATCHES if p != "incremental"]
    name = variant(project, "mkdocs-reference.yml", plugins={"blogpost-speed": {"patches": others}})
    try:
        result = subprocess.run([sys.executable, "-c", REFERENCE, name, str(out), serve_url],
                                cwd=project, env={**BUILD_ENV, **FIXED_TIME}, capture_output=True,
                                text=True, timeout=600)
    finally:
        (project / name).unlink()
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def tree(root: Path) -> dict[str, bytes]:
    """Every file of a site; the search index by the pages it holds (Pagefind writes its chunks
    in hash-map order, so their bytes and names differ between any two runs)."""
    found = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
             if p.is_file() and not p.relative_to(root).parts[0] == "pagefind"}
    found["pagefind/ (indexed pages)"] = repr(sorted(pages(root), key=lambda page: page["url"])).encode()
    return found


def differences(served: Path, clean: Path) -> list[str]:
    a, b = tree(served), tree(clean)
    found = [f"only served: {p}" for p in sorted(a.keys() - b.keys())]
    found += [f"only in the clean build: {p}" for p in sorted(b.keys() - a.keys())]
    found += [f"differs: {p}" for p in sorted(a.keys() & b.keys()) if a[p] != b[p]]
    return found


# Edits -------------------------------------------------------------------------------------

def _front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def save(path: Path, text: str) -> None:
    """Write a file in one step, as editors save (the watcher never sees it half written)."""
    spare = _project_of(path) / ".saving"
    spare.write_text(text, encoding="utf-8")
    os.replace(spare, path)


def _project_of(path: Path) -> Path:
    return next(p for p in path.parents if (p / "mkdocs.yml").is_file())


def _write(path: Path, meta: dict, body: str) -> None:
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10**6)
    save(path, f"---\n{head}---\n{body}")


def _posts(project: Path) -> list[Path]:
    return sorted((project / bench.POSTS).glob("*.md"))


def _unlinked(project: Path) -> list[Path]:
    """Posts no other page links to (deleting one breaks no link)."""
    texts = {p: p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md")}
    return [p for p in _posts(project) if not any(p.name in t for q, t in texts.items() if q != p)]


def _tags(project: Path) -> list[str]:
    return [t["name"] for t in yaml.safe_load((project / "docs/.tags.yml").read_text(encoding="utf-8"))["tags"]]


def edit_body(project, rng):
    path = rng.choice(_posts(project))
    meta, body = _front(path)
    if rng.random() < 0.5:  # before the excerpt's end: list pages change too
        body = body.replace("\n<!-- more -->", f"\nAn edited sentence, number {rng.randint(1, 999)}.\n\n<!-- more -->", 1)
    else:
        body += f"\n## Added {rng.randint(1, 999)}\n\nA paragraph added while previewing.\n"
    _write(path, meta, body)
    return f"body of {path.name}"


def edit_length(project, rng):
    """A long passage added to one of the newest posts: its reading time changes, on its page
    and on every card of it (the home page's latest posts, its tag pages, the blog's lists)."""
    path = rng.choice(_posts(project)[-3:])
    meta, body = _front(path)
    body += "\n## A longer read\n\n" + " ".join(["A sentence that makes the post longer to read."] * 150) + "\n"
    _write(path, meta, body)
    return f"length of {path.name}"


def edit_title(project, rng):
    path = rng.choice(_posts(project))
    meta, body = _front(path)
    old, new = meta["title"], f"Retitled {rng.randint(1, 999)}: {meta['title']}"
    meta["title"] = new
    _write(path, meta, body.replace(f"# {old}\n", f"# {new}\n", 1))
    return f"title of {path.name}"


def edit_tags(project, rng):
    path = rng.choice(_posts(project))
    meta, body = _front(path)
    meta["tags"] = rng.sample(_tags(project), rng.randint(1, 3))
    _write(path, meta, body)
    return f"tags of {path.name}"


def edit_date(project, rng):
    path = rng.choice(_posts(project))
    meta, body = _front(path)
    meta["date"] = meta["date"] + __import__("datetime").timedelta(days=rng.randint(-400, 400))
    _write(path, meta, body)
    return f"date of {path.name}"


def edit_draft(project, rng):
    path = rng.choice(_posts(project))
    meta, body = _front(path)
    if meta.get("draft"):
        del meta["draft"]
    else:
        meta["draft"] = True
    _write(path, meta, body)
    return f"draft flag of {path.name}"


def add_post(project, rng):
    n = len(_posts(project)) + rng.randint(100, 10_000)
    planned = bench.plan(n + 1, seed=rng.randint(1, 10**6))
    post = planned[-1]
    text = bench.post_text(post, planned[:0] + [post], _tags(project), ["editors"], rng)
    path = project / bench.POSTS / post.filename
    save(path, text)
    return f"new post {path.name}"


def delete_post(project, rng):
    path = rng.choice(_unlinked(project))
    path.unlink()
    return f"deleted {path.name}"


def edit_guide(project, rng):
    path = rng.choice(sorted((project / "docs/guides").rglob("*.md")))
    text = path.read_text(encoding="utf-8")
    save(path, text + f"\n\nA guide paragraph added while previewing, {rng.randint(1, 999)}.\n")
    return f"guide page {path.relative_to(project / 'docs')}"


def edit_vocabulary(project, rng):
    path = project / "docs/.tags.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    tag = rng.choice(data["tags"])
    tag["description"] = f"Described again, {rng.randint(1, 999)}: {tag['description']}"
    save(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6))
    return f".tags.yml: description of {tag['name']}"


def edit_description(project, rng):
    """A post's or a guide page's description: what cards (home, tag pages, the guide card) show."""
    path = rng.choice(_posts(project) + sorted((project / "docs/guides").rglob("*.md")))
    meta, body = _front(path)
    meta["description"] = f"Described again while previewing, {rng.randint(1, 999)}."
    _write(path, meta, body)
    return f"description of {path.relative_to(project / 'docs')}"


def edit_reviewed(project, rng):
    """A guide page's `updated`: its "Last reviewed" line, and the guide card's when it is the index."""
    path = rng.choice(sorted((project / "docs/guides").rglob("*.md")))
    meta, body = _front(path)
    days = __import__("datetime").timedelta(days=rng.randint(1, 30))  # never after today: refused
    meta["updated"] = min(meta["date"] + days, __import__("datetime").date.today())
    _write(path, meta, body)
    return f"updated of {path.relative_to(project / 'docs')}"


EDITS = (edit_body, edit_body, edit_length, edit_title, edit_tags, edit_date, edit_draft, add_post, delete_post,
         edit_guide, edit_vocabulary, edit_description, edit_reviewed)


@pytest.fixture
def corpus(tmp_path) -> Path:
    project = copy_site(tmp_path / "project")
    bench.write_corpus(project, POSTS)
    return project


def _step(served: Served, corpus: Path, tmp_path: Path, number: int, edit, rng: random.Random) -> None:
    """One edit saved in the served corpus: once rebuilt, the site served equals a clean build."""
    time.sleep(0.6)  # a save in a later second than the last build's output
    builds = served.builds()
    what = edit(corpus, rng)
    served.wait_for_build(builds + 1)
    clean = reference(corpus, tmp_path / f"clean-{number}", served.url)
    found = differences(served.site, clean)
    assert not found, f"step {number} ({what}, seed {SEED}): {len(found)} differences: {found[:10]}"


@pytest.mark.corpus
def test_every_rebuild_of_the_preview_equals_a_clean_build(corpus, tmp_path):
    rng = random.Random(SEED)
    # Every kind of edit at least once, then at random.
    steps = list(EDITS) + [rng.choice(EDITS) for _ in range(max(0, STEPS - len(EDITS)))]
    rng.shuffle(steps)
    config = variant(corpus, "mkdocs-served.yml", plugins={"blogpost-speed": {"parallel_from": PARALLEL_FROM}})
    served = Served(corpus, tmp_path, config)
    try:
        served.wait_for_build(1)
        for number, edit in enumerate(steps, start=1):
            _step(served, corpus, tmp_path, number, edit, rng)
        log = "".join(served.lines)
        assert "pages rendered" in log and re.search(r"[1-9]\d* kept", log), log[-3000:]
        # Pages whose source and world were unchanged were not fingerprinted again, nor were
        # their events run again.
        assert re.search(r"[1-9]\d* pages known unchanged", log), log[-3000:]
        assert re.search(r"[1-9]\d* pages kept", log), log[-3000:]
        # and, where the site around them was the same too (a body edit), neither was what
        # other pages decide of them.
        assert re.search(r"[1-9]\d* of them in unchanged surroundings", log), log[-3000:]
        # A save that changed only a post's body rendered that post alone.
        assert re.search(r"quick, 1 page rendered", log), log[-3000:]
        # Posts whose only change was their end (related posts, older/newer) had it replaced.
        assert re.search(r"[1-9]\d* with a new end", log), log[-3000:]
        # Blog views whose only change was which posts they show had their cards replaced.
        assert re.search(r"[1-9]\d* with new cards", log), log[-3000:]
        # Rebuilds with many pages to template had a second process template half of them, and
        # those with few did not.
        rebuilds = [line for line in served.lines if BUILT.search(line) and "full build" not in line]
        assert any(re.search(r"\([1-9]\d* by a second process\)", line) for line in rebuilds), log[-3000:]
        assert any("(0 by a second process)" in line for line in rebuilds), log[-3000:]
    finally:
        served.stop()


@pytest.mark.corpus
def test_new_posts_until_the_blog_has_one_more_page_equal_a_clean_build(corpus, tmp_path):
    """New posts move one post of every page of the blog's views to the next page: those pages
    get their cards replaced in the pages already written. Until the blog has a page more, when
    every page's pager and description change with them, each result equals a clean build."""
    rng = random.Random(SEED)
    config = variant(corpus, "mkdocs-served.yml", plugins={"blogpost-speed": {"parallel_from": PARALLEL_FROM}})
    served = Served(corpus, tmp_path, config)
    try:
        served.wait_for_build(1)
        pages = len(list((served.site / "blog/page").glob("*/index.html")))
        for number in range(1, 12):
            _step(served, corpus, tmp_path, number, add_post, rng)
            if len(list((served.site / "blog/page").glob("*/index.html"))) > pages:
                break
        else:
            pytest.fail(f"the blog never had more than {pages + 1} pages")
        assert re.search(r"[1-9]\d* with new cards", "".join(served.lines)), "".join(served.lines)[-3000:]
    finally:
        served.stop()


# Units ------------------------------------------------------------------------------------

def test_a_value_the_fingerprint_does_not_know_makes_the_page_count_as_changed():
    from blogpost.speed import fingerprint

    one, other = {"a": [1, "x", None], "b": (2.5, True)}, {"b": (2.5, True), "a": [1, "x", None]}
    assert fingerprint.value(one) == fingerprint.value(other)
    with pytest.raises(fingerprint.Unknown):
        fingerprint.value({"a": [object()]})


def test_plain_containers_taken_whole_keep_their_kinds_and_values_apart():
    from markupsafe import Markup

    from blogpost.speed import fingerprint

    value = fingerprint.value
    assert value({"a": 1}) != value([("a", 1)])  # a dict is not the list of its items
    assert value({"a": 1}) != value({"a": True}) != value({"a": 1.0})
    assert value(["x"]) != value([Markup("x")])  # Markup is written unescaped: it differs
    assert value({"b": [1], "a": {"c": 2}}) == value({"a": {"c": 2}, "b": [1]})
    long = "x" * 2000
    assert fingerprint._compact(long) == fingerprint._compact("".join(["x"] * 2000))
    assert fingerprint._compact(long) != fingerprint._compact(long + "y")


def test_a_value_many_pages_refer_to_is_carried_by_its_digest():
    import dataclasses
    import marshal

    from blogpost.speed import fingerprint

    @dataclasses.dataclass(frozen=True)
    class Shown:  # as a model entry: frozen, referred to by many pages
        title: str
        tags: tuple

    one, same, other = Shown("A" * 600, ("x",)), Shown("A" * 600, ("x",)), Shown("A" * 600, ("y",))
    assert fingerprint.value(one) == fingerprint.value(same) != fingerprint.value(other)
    with fingerprint.batch():
        related = fingerprint.value([one, same, one])
        assert related == fingerprint.value([same, same, one])
    assert len(marshal.dumps(related, 2)) < 200  # three digests, not three copies of the title


def test_a_card_made_again_in_the_next_build_is_not_made_plain_again(monkeypatch):
    import datetime as dt

    from blogpost.page_data import Card, Chip
    from blogpost.speed import fingerprint

    def card(date, title="A post"):  # made anew, as every build makes its cards
        return Card(title, "../a-post/", date, "2 January 2026", "What it says.", (Chip("AI", "../tags/ai/"),), 3)

    noon = dt.datetime(2026, 1, 2, 12, tzinfo=dt.timezone.utc)
    at_one = noon.astimezone(dt.timezone(dt.timedelta(hours=1)))  # the same instant, written otherwise
    with fingerprint.batch():
        first = fingerprint.value(card(noon))
    made = []
    stock = fingerprint._token
    monkeypatch.setattr(fingerprint, "_token", lambda plain: made.append(plain[0]) or stock(plain))
    with fingerprint.batch():  # the next build: an equal card, another object
        assert fingerprint.value(card(noon)) == first
        assert "Card" not in made
        assert fingerprint.value(card(at_one)) != first  # equal, yet its HTML says "+01:00"
        assert fingerprint.value(card(noon, "Another post")) != first
    assert made.count("Card") == 2
    with fingerprint.batch(), fingerprint.batch():  # two batches on: forgotten
        made.clear()
        assert fingerprint.value(card(noon)) == first
        assert made.count("Card") == 1

def test_a_conversion_that_logged_is_not_reused(tmp_path):
    import logging

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from blogpost.speed.compat import Patches
    from blogpost.speed.render_memo import RenderMemo

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\n[to b](b.md#part) and [gone](missing.md)\n", encoding="utf-8")
    (docs / "b.md").write_text("# B\n\n## Part\n", encoding="utf-8")
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(docs), "site_dir": str(tmp_path / "site")})
    assert config.validate() == ([], [])
    memo, logged = RenderMemo(), []
    handler = logging.Handler()
    handler.emit = logged.append
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        for rebuild in (1, 2):
            files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in ("a.md", "b.md")])
            patches = Patches()
            memo.apply(patches)
            try:
                for file in files:
                    page = Page(None, file, config)
                    page.read_source(config)
                    page.render(config, files)
            finally:
                patches.undo()
            memo.keep()
            if rebuild == 1:
                assert files.get_file_from_path("b.md").page.toc.items[0].children[0].id == "part"
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    # b.md converted once and reused; a.md, whose broken link is logged, converted (and logged) twice.
    assert (memo.hits, memo.misses) == (1, 1)
    assert sum("missing.md" in record.getMessage() for record in logged) == 2
    assert files.get_file_from_path("b.md").page.toc.items[0].children[0].id == "part"


def test_a_post_that_differs_only_in_its_end_is_told_apart_from_one_that_differs_elsewhere():
    """later(ended=True) leaves out only what the post's end shows (related posts, older/newer
    links, the end's HTML), and own(made=True) all that later() holds; own(listed=True) leaves
    out its previous and next pages and its end."""
    import datetime as dt

    from blogpost.page_data import KEY, PageData, PostLinks
    from blogpost.speed import fingerprint

    class Page:  # what the fingerprint reads of a post (the site's entries are frozen dataclasses)
        def __init__(self, related, title="A", end="<section>x</section>", previous="p"):
            self.title, self.url = title, "blog/a/"
            self.previous_page = previous
            links = PostLinks(entry=title, newer=None, older=None, related=related)
            self.meta = {"title": title, "date": dt.date(2026, 1, 2), KEY: PageData(post=links, end=end)}

    base = Page(["one"])
    new_end = Page(["two"], end="<section>y</section>")
    new_title = Page(["one"], title="B")
    new_neighbour = Page(["one"], previous="q")
    own, later = fingerprint.own, fingerprint.later
    assert own(base) != own(new_end) and later(base) != later(new_end)
    assert later(base, ended=True) == later(new_end, ended=True)
    assert later(base, ended=True) != later(new_neighbour, ended=True)
    assert later(base, ended=True) != later(new_title, ended=True)  # the post's entry
    assert own(base, made=True) == own(new_end, made=True) == own(new_neighbour, made=True)
    assert own(base, made=True) != own(new_title, made=True)
    assert own(base, listed=True) == own(new_neighbour, listed=True) == own(new_end, listed=True)
    assert own(base, listed=True) != own(new_title, listed=True)


def test_a_source_is_read_again_whenever_its_file_changes_and_reads_as_open_does(tmp_path):
    from blogpost.speed.sources import Sources

    path = tmp_path / "post.md"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo\rthree\n")
    sources = Sources()
    first = sources.text(str(path), stock=None)
    assert first == path.open(encoding="utf-8-sig").read() == "one\ntwo\nthree\n"
    assert sources.text(str(path), stock=None) is first  # unchanged: the same text, not read again
    sources.next_build()
    assert sources.read_bytes(path) == path.read_bytes() and sources.text(str(path), stock=None) is first
    # Same size, and the modification time put back: the change time still tells, from the next
    # build on (every stage of one build reads what its first read found).
    before = path.stat()
    path.write_bytes(b"\xef\xbb\xbfONE\r\ntwo\rthree\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert sources.text(str(path), stock=None) is first
    sources.next_build()
    assert sources.text(str(path), stock=None) == "ONE\ntwo\nthree\n"
    path.write_bytes(b"caf\xe9\n")  # not UTF-8: read as open() reads it, which raises
    sources.next_build()
    with pytest.raises(UnicodeDecodeError):
        sources.text(str(path), stock=lambda: path.open(encoding="utf-8-sig").read())


def _seed_post_builds(builds: int, check):
    """Material's blog makes the seed post in `builds` builds of the preview; check(post, file,
    build) after each. Returns what the preview kept of its posts."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, InclusionLevel

    from blogpost.speed.compat import Patches
    from blogpost.speed.posts import Posts
    from blogpost.speed.sources import Sources
    from conftest import ROOT, SEED_POST

    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    blog = config.plugins["material/blog"]
    blog.on_config(config)
    posts, sources, patches = Posts(), Sources(), Patches()
    try:
        for build in range(builds):
            sources.apply(patches)
            posts.apply(patches, sources)
            file = File(SEED_POST, config.docs_dir, config.site_dir, config.use_directory_urls)
            file.inclusion = InclusionLevel.EXCLUDED
            check(blog._resolve_post(file, config), file, build, posts)
            patches.undo()
    finally:
        patches.undo()
    return posts


def test_a_post_made_again_from_the_same_source_is_a_copy_no_later_change_reaches():
    from conftest import SEED_URL

    def check(post, file, build, posts):
        assert file.page is post and post.file is file and file.url == SEED_URL, file.url
        assert posts.reused == build and post.config.date.created.year == 2026
        assert post.meta["title"] == "IT Outsourcing: Pros, Cons, and Best Practices" and post.authors == []
        # What later stages do to a post: the next build's copy starts from Material's post.
        post.meta["title"] = "changed"
        post.meta["tags"].append("changed")
        post.config.readtime = 99
        post.authors.append("someone")

    posts = _seed_post_builds(2, check)
    (pristine, _), = posts.made.now.values()
    assert pristine["config"].readtime is None and pristine["meta"]["title"] != "changed"


def test_a_post_whose_making_logged_is_made_anew_every_time(monkeypatch):
    import logging

    from material.plugins.blog.plugin import BlogPlugin

    stock = BlogPlugin._resolve_post
    made = []

    def warning_then_stock(self, file, config):  # as Material warns of a setting it ignores
        made.append(file)
        logging.getLogger("mkdocs.material.blog").warning("a setting the post should not have")
        return stock(self, file, config)

    monkeypatch.setattr(BlogPlugin, "_resolve_post", warning_then_stock)
    posts = _seed_post_builds(2, lambda post, file, build, posts: None)
    assert len(made) == 2 and posts.reused == 0 and posts.made.now == {}


def test_a_page_made_from_the_same_source_in_the_same_world_is_not_fingerprinted_again(monkeypatch):
    """What a page's events made of it is fingerprinted once while its source and what its events
    read of the rest of the site (World.of) stay the same; a change to either, a page whose
    world is not known, or a page not read from a source of its own is fingerprinted again."""
    from types import SimpleNamespace

    from blogpost.speed import fingerprint
    from blogpost.speed.incremental import Preview

    calls = []

    def own(page, **options):
        calls.append(page.title)
        return (page.title, options)

    monkeypatch.setattr(fingerprint, "own", own)

    def page(title, uri="blog/a.md"):
        file = SimpleNamespace(src_uri=uri, abs_src_path=f"/docs/{uri}", url="blog/a/", dest_uri="blog/a/index.html",
                               abs_dest_path="/site/blog/a/index.html", inclusion=SimpleNamespace(name="INCLUDED"))
        return SimpleNamespace(title=title, file=file)

    class World:
        def __init__(self, facts):
            self.facts = facts

        def of(self, page, text):
            return self.facts

    preview = Preview()
    preview.read = {"blog/a.md": "text"}

    def made(p, facts):
        found: dict = {}
        count = len(calls)
        digest, before = preview._made(p, World(facts), found)
        assert before == (len(calls) == count)  # the last build's digest, when nothing was made
        preview.made = found
        return digest

    first = made(page("A"), ("entry", 1))
    assert calls == ["A"]
    assert made(page("B"), ("entry", 1)) == first and calls == ["A"]  # the same source, the same world
    assert made(page("B"), ("entry", 2)) != first and calls == ["A", "B"]  # another world
    preview.read = {"blog/a.md": "new text"}
    made(page("C"), ("entry", 2))
    assert calls == ["A", "B", "C"]  # another source
    made(page("D"), None)
    made(page("E"), None)
    assert calls[-2:] == ["D", "E"]  # its world not known: always looked at
    preview.read = {}
    made(page("F"), ("entry", 2))
    made(page("G"), ("entry", 2))
    assert calls[-2:] == ["F", "G"]  # not read from a source of its own


def test_what_a_page_reads_of_the_site_is_its_own_entry_unless_it_lists_entries():
    """World.of: a page's own entry, held state, preview image and link lookups; a page with a
    list marker, a blog view, or a page whose conversion was not recorded reads the whole site."""
    from types import SimpleNamespace

    from blogpost.speed.incremental import World

    entries = {"blog/a.md": ("a", 1), "blog/b.md": ("b", 1)}
    model = SimpleNamespace(by_uri=entries, entries=list(entries.values()))
    held = SimpleNamespace(pages={}, left_out={}, withheld=set(), unsafe=set())
    site = SimpleNamespace(model=model, held=held, preview_images={})
    config = SimpleNamespace(plugins={"blogpost": site})
    lookups = {"blog/a.md": (("b.md", ("blog/b.md", "blog/b/", "INCLUDED")),), "index.md": (), "guides/x.md": ()}
    renders = SimpleNamespace(lookups=lookups.get)

    def world():
        model.entries = list(entries.values())
        return World("shared", [], config, renders)

    def page(uri):
        return SimpleNamespace(file=SimpleNamespace(src_uri=uri))

    a, home = world().of(page("blog/a.md"), "text"), world().of(page("index.md"), "<!-- latest-posts -->")
    entries["blog/b.md"] = ("b", 2)  # another post changes: not a's entry
    assert world().of(page("blog/a.md"), "text") == a
    assert world().of(page("index.md"), "<!-- latest-posts -->") != home  # it lists every post
    lookups["blog/a.md"] = (("b.md", ("blog/b.md", "blog/b-2/", "INCLUDED")),)  # a links to b: b moved
    assert world().of(page("blog/a.md"), "text") != a
    a = world().of(page("blog/a.md"), "text")
    held.pages["blog/a.md"] = ("draft", None)
    assert world().of(page("blog/a.md"), "text") != a
    del held.pages["blog/a.md"]
    entries["blog/a.md"] = ("a", 2)
    assert world().of(page("blog/a.md"), "text") != a
    assert world().of(page("blog/c.md"), "text") is not None  # no entry: its own facts still
    assert world().of(page("guides/x.md"), "text") != world().of(page("guides/x.md"), "text <!-- guides -->")
    assert world().of(page("blog/d.md"), "text") == world().of(page("index.md"), "<!-- guides -->")  # not recorded: all
    # A blog view (its posts are Material's, its date theirs) reads the whole site too.
    from material.plugins.blog.structure import View

    view = View.__new__(View)
    view.file = SimpleNamespace(src_uri="index.md")
    assert world().of(view, "# Blog") == world().of(page("index.md"), "<!-- guides -->")
    before = world().of(view, "# Blog")
    entries["blog/b.md"] = ("b", 3)
    assert world().of(view, "# Blog") != before


def test_a_kept_page_is_restored_through_copies_no_later_change_reaches_back():
    """speed/kept.py: what a page's events left on it is restored on the next build through
    copies of what later stages change (front matter, PageData, settings, anchors); a value it
    does not know how to copy keeps the page from being kept at all."""
    from types import SimpleNamespace

    import pytest as _pytest
    from mkdocs.structure.toc import TableOfContents

    from blogpost.page_data import KEY, PageData
    from blogpost.speed import kept

    made = SimpleNamespace(content="<p>x</p>", markdown="x", title="A", toc=TableOfContents([]),
                           present_anchor_ids={"a"}, file="not kept", excerpt="not kept",
                           meta={"hide": ["navigation"], KEY: PageData(lastmod="2026-01-02")})
    state = kept._state(made)
    assert "file" not in state and "excerpt" not in state
    files = SimpleNamespace(src_uris={})
    first = SimpleNamespace()
    kept._restore(first, state, files)
    first.meta["hide"] = [*first.meta["hide"], "footer"]
    first.meta[KEY].lists = {"latest-posts": ()}
    first.present_anchor_ids.add("b")
    again = SimpleNamespace()
    kept._restore(again, state, files)
    assert again.meta["hide"] == ["navigation"] and again.meta[KEY].lists == {}
    assert again.meta[KEY].lastmod == "2026-01-02" and again.present_anchor_ids == {"a"}
    assert again.content == "<p>x</p>" and again.title == "A"

    made.unknown = object()
    with _pytest.raises(kept._Unknown):
        kept._state(made)


def test_an_end_replaced_in_place_leaves_the_page_as_if_written_whole(tmp_path):
    """Only what follows the end's start is written again: the file is then the page with its
    end replaced, whether the new end is longer or shorter, after text of several bytes a
    character."""
    from blogpost.speed.incremental import _replace_end

    page = tmp_path / "index.html"
    written = "<h1>Café – naïve 🙂</h1><section>old end</section><footer>…</footer>\n"
    page.write_text(written, encoding="utf-8")
    for before, after in (("<section>old end</section>", "<section>a much longer new end</section>"),
                          ("<section>a much longer new end</section>", "<section>é</section>")):
        _replace_end(str(page), written, before, after)
        written = written.replace(before, after, 1)
        assert page.read_bytes() == written.encode("utf-8")


def test_a_view_s_cards_replaced_in_place_leave_the_page_as_if_templated_whole(tmp_path):
    """A blog view's page whose only change is which cards it shows has them replaced in the
    last output: each new card where an old one was, the template's white space between them
    kept. Cards that are not there in order, apart by white space only, are not replaced."""
    from jinja2 import Environment

    from blogpost.speed.incremental import _cards_region, _replace_end

    # As Material's blog.html loops over a view's posts, each drawn by partials/post.html.
    view = Environment().from_string(
        "<h1>Blog – page 2</h1>\n      {% for card in cards %}\n        {% if card %}{{ card }}{% endif %}\n"
        "      {% endfor %}\n      <nav>1 2 3</nav>\n")
    old = ("<article>A</article>", "<article>Café B</article>", "<article>C</article>")
    for new in (("<article>Naïve Z, a longer one</article>", *old[:2]), old[1:] + ("<article>D</article>",)):
        written = view.render(cards=old)
        page = tmp_path / "index.html"
        page.write_text(written, encoding="utf-8")
        region = _cards_region(written, old, new)
        assert region is not None and written.count(region[0]) == 1
        _replace_end(str(page), written, *region)
        assert page.read_bytes() == view.render(cards=new).encode("utf-8")
    written = view.render(cards=old)
    assert _cards_region(written, ("<article>A</article>", "<article>C</article>"), old[1:]) is None  # B between
    assert _cards_region(written, ("<article>X</article>",) + old[1:], old) is None  # not there
    assert _cards_region(written, old[::-1], old) is None  # not in that order
    assert _cards_region(written, (), ()) is None


def test_a_view_s_frame_is_all_it_shows_but_its_sitemap_date():
    """own(framed=True) leaves out the date sitemap.xml gives a page (a view is dated by its
    newest post), and nothing else."""
    from blogpost.page_data import KEY, PageData
    from blogpost.speed import fingerprint

    class Page:
        def __init__(self, lastmod="2026-01-02", title="Blog", description="Page 2 of 3."):
            self.title, self.url = title, "blog/page/2/"
            self.meta = {KEY: PageData(lastmod=lastmod, social=[("name", "description", description)])}

    own = fingerprint.own
    assert own(Page(), framed=True) == own(Page(lastmod="2026-03-04"), framed=True)
    assert own(Page()) != own(Page(lastmod="2026-03-04"))
    assert own(Page(), framed=True) != own(Page(description="Page 2 of 4."), framed=True)
    assert own(Page(), framed=True) != own(Page(title="Archive"), framed=True)


# The quick rebuild (blogpost/speed/quick.py) -------------------------------------------------

QUICK = re.compile(r"incremental preview: build \d+ in [\d.]+ s: quick, \d+ pages? rendered.*\((.*)\)")
REPORTED = re.compile(r"ERROR +- |The browser shows these problems")


def _rebuilt(served: Served, start: int, timeout: float = 180) -> list[str]:
    """The lines logged from line `start` until a build and its search index are done, or a
    build failed (a failed build numbers no index: the next index's number is higher still)."""
    before = max([int(m[1]) for line in served.lines[:start] if (m := INDEXED.search(line))], default=0)

    def done():
        new = served.lines[start:]
        if served.proc.poll() is not None or any(FAILED.search(line) or REPORTED.search(line) for line in new):
            return True
        return any(BUILT.search(line) for line in new) and any(
            (m := INDEXED.search(line)) and int(m[1]) > before for line in new)

    with served.changed:
        assert served.changed.wait_for(done, timeout), "".join(served.lines[-20:])
    time.sleep(0.3)  # the rest of a failure's report
    assert served.proc.poll() is None, "".join(served.lines[-40:])
    return served.lines[start:]


def _body(path: Path, change) -> str:
    """The file's text with its Markdown body changed, its front matter as it is, byte for byte."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + 5
    return text[:end] + change(text[end:])


@pytest.mark.corpus
def test_a_save_of_a_body_alone_renders_that_page_alone_and_anything_else_builds(corpus, tmp_path):
    """Each save that changed only a page's Markdown body is a quick rebuild of that page (the
    newest post's goes into the feeds too); a save the quick rebuild cannot carry is a whole
    build. Either way the site is a clean build's. A body with HTML that could run code, or with a
    broken link, fails as a whole build fails, naming the file and line (and HTML that could run
    code is not written)."""
    posts = _posts(corpus)
    guide = sorted((corpus / "docs/guides").rglob("*.md"))[-1]
    middle, newest = posts[len(posts) // 2], posts[-1]
    served = Served(corpus, tmp_path)

    def step(number: int, path: Path, text: str, *, quick: bool) -> None:
        time.sleep(0.6)  # a save in a later second than the last build's output
        start = len(served.lines)
        save(path, text)
        lines = _rebuilt(served, start)
        assert not any(FAILED.search(line) or REPORTED.search(line) for line in lines), "".join(lines[-40:])
        found = [m for line in lines if (m := QUICK.search(line))]
        assert bool(found) == quick, f"step {number}: " + "".join(lines[-10:])
        if quick:
            assert found[0][1] == path.relative_to(corpus / "docs").as_posix(), found[0][0]
        clean = reference(corpus, tmp_path / f"clean-{number}", served.url)
        differs = differences(served.site, clean)
        assert not differs, f"step {number} ({path.name}): {differs[:10]}"

    try:
        _rebuilt(served, 0)
        # A post updated since: Material's sidebar shows the date, set on the post after Material made it.
        step(0, middle, middle.read_text(encoding="utf-8").replace("\ndescription: ", "\nupdated: 2026-01-15\ndescription: ", 1),
             quick=False)
        step(1, middle, _body(middle, lambda b: b + "\nA paragraph written while previewing.\n"), quick=True)
        # A heading: a new id (links into the page are checked again).
        step(2, middle, _body(middle, lambda b: b + "\n## A new section\n\nWith its own words.\n"), quick=True)
        # The newest post is in the site's feeds and its tags' feeds.
        step(3, newest, _body(newest, lambda b: b.replace("\n<!-- more -->", "\nA first thought.\n\n<!-- more -->", 1)),
             quick=True)
        step(4, guide, _body(guide, lambda b: b + "\nOne more line for the guide.\n"), quick=True)
        # A longer read: its cards show another reading time.
        step(5, newest, _body(newest, lambda b: b + "\n" + " ".join(["Many more words to read."] * 400) + "\n"),
             quick=False)
        # Its front matter: a whole build.
        step(6, middle, middle.read_text(encoding="utf-8").replace("\ndescription: ", "\ndescription: Again. ", 1),
             quick=False)

        page = served.site / bench.post_url(middle.read_text(encoding="utf-8")) / "index.html"
        good = middle.read_text(encoding="utf-8")
        for number, added, expected, unsafe in (
            (7, '\n<img src="x.png" onerror="alert(1)">\n', "onerror", True),
            (8, "\nSee [the missing page](missing-page.md).\n", "missing-page.md", False),
        ):
            time.sleep(0.6)
            start = len(served.lines)
            save(middle, _body(middle, lambda b: b + added))
            report = "".join(_rebuilt(served, start))
            assert not QUICK.search(report), report[-3000:]
            assert re.search(rf"{re.escape(middle.relative_to(corpus).as_posix())}:\d+: ", report), report[-3000:]
            assert expected in report, report[-3000:]
            if unsafe:  # never written, not even in the preview (a broken link is, under the error page)
                assert expected not in page.read_text(encoding="utf-8")
            step(number * 10, middle, good, quick=False)  # after a failure, a whole build
    finally:
        served.stop()
