"""Build benchmark: synthetic corpora of N posts, built with our full configuration
and with a bare Material blog configuration, timed in alternating runs.

    python scripts/bench.py [--sizes 100,1000,3000] [--runs 5] [--serve-size 1000]
                            [--preview-size 1000] [--unoptimised] [--patch-shares]

Everything happens in temporary copies of the site; docs/ is never touched.
Figures printed: median wall time, peak memory (max RSS of the build process),
output size, search index size per page, and the ratio ours/bare (the median of
the ratios of runs taken back to back, so that load from elsewhere on the machine
hits both sides alike). The preview is timed at --serve-size: under `mkdocs serve`, a post's
body edited, a post's tags edited, a post added (--runs times each), each from the file
write to the edited page served with its new content, polled over HTTP. The link-preview images of --preview-size posts are timed in-process,
as the plugin makes them in on_files: into an empty cache (each one drawn and stored, as in
a fresh clone) and from the filled cache (as in a rebuild); the timed builds of ours find
their previews in the project's cache, filled beforehand, as a developer's builds do. Every
build of ours has BLOGPOST_SPEED_STRICT=true: a speed plugin
that would step aside (other versions) fails the benchmark instead of timing the
stock path. --unoptimised also builds without the speed plugin; --patch-shares
builds without each of its patches in turn and prints the share of the build time
each one saves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from mkdocs.utils.meta import get_data
from pymdownx.slugs import slugify

from blogpost.features.preview_images import Previews, cache_folder
from blogpost.speed.plugin import PATCHES
from new_post import front_matter  # the same front matter `make post` writes
from project import ROOT, config, copy_site, free_port, plugin_options, stop_group, variant

POSTS = Path("docs/blog/posts")
# The patches that act on `mkdocs build` (the incremental one acts only under `mkdocs serve`).
BUILD_PATCHES = tuple(p for p in PATCHES if p != "incremental")
SPEED = "blogpost-speed"  # the plugin that changes how fast the site builds, never what it builds
SEED = 20261128
# Posts are dated from here on, a few a day at most, so every date is in the past.
FIRST_DAY = dt.date(2014, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)

WORDS = (
    "vendor contract service level review access audit budget risk control team partner "
    "handover backlog incident response outage recovery backup policy training skill "
    "roadmap priority scope estimate invoice report metric target baseline dashboard "
    "escalation owner steward checklist register approval change release deployment "
    "support ticket queue workflow knowledge runbook exit transition continuity data "
    "privacy encryption identity password device network cloud licence renewal tender "
    "shortlist interview reference pilot trial feedback retrospective quality decision "
    "evidence assumption dependency milestone governance meeting agenda minutes action"
).split()
SECTIONS = (
    "Scope", "Risks", "Costs", "Roles", "Controls", "Evidence", "Timeline", "Contracts",
    "Measures", "Handover", "Training", "Security", "Exit plan", "Lessons", "Next steps",
)


@dataclass(frozen=True)
class Post:
    index: int
    date: dt.date
    slug: str
    title: str
    sections: tuple[str, ...]

    @property
    def filename(self) -> str:
        return f"{self.date:%Y-%m-%d}-{self.slug}.md"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(8, 16))
        out.append(_sentence(rng, n))
        left -= n
    return " ".join(out)


def _anchor(heading: str) -> str:
    return heading.lower().replace(" ", "-")


def plan(n: int, seed: int = SEED) -> list[Post]:
    """The posts of a corpus of n, oldest first: dates, titles and section headings."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    posts = []
    for i in range(n):
        date = FIRST_DAY + dt.timedelta(days=span * i // max(n, 1))
        words = [rng.choice(WORDS) for _ in range(3)]
        title = f"{words[0].capitalize()} {words[1]} and {words[2]}: note {i + 1}"
        sections = tuple(rng.sample(SECTIONS, 5))
        posts.append(Post(i, date, f"note-{i + 1}-{'-'.join(words)}", title, sections))
    return posts


def post_text(post: Post, posts: list[Post], tags: list[str], authors: list[str], rng: random.Random) -> str:
    """One post of about 860 words, valid under the site's front-matter contract."""
    chosen = rng.sample(tags, rng.randint(1, min(3, len(tags))))
    description = _sentence(rng, 12)[:150]
    earlier = posts[max(0, post.index - 50):post.index]
    links = rng.sample(earlier, min(3, len(earlier)))
    lines = [
        *front_matter(post.title, post.date, description, chosen, authors[:1], draft=False),
        "",
        f"# {post.title}",
        "",
    ]
    intro = _paragraph(rng, 60)
    if links:
        # A link in the excerpt, rendered relative to every list page that shows it.
        intro += f" See also [{links[0].title}]({links[0].filename})."
    intro += f" This note covers [{post.sections[0].lower()}](#{_anchor(post.sections[0])}) first."
    # A few excerpts lean on definitions made after the separator.
    definitions = []
    if post.index % 11 == 5:
        intro += " Costs rose.[^cost]"
        definitions += ["[^cost]: " + _sentence(rng, 8), ""]
    if post.index % 13 == 6 and links:
        intro += " Keep [the earlier checklist][checklist] at hand."
        definitions += [f"[checklist]: {links[-1].filename}", ""]
    lines += [intro, "", "<!-- more -->", ""]
    for k, heading in enumerate(post.sections):
        lines += [f"## {heading}", "", _paragraph(rng, 70), ""]
        lines += [f"- {_sentence(rng, 7)}" for _ in range(4)] + [""]
        if k < len(links):
            other = links[k]
            target = rng.choice(other.sections)
            rest = _paragraph(rng, 60)
            lines += [f"As [{other.title}]({other.filename}#{_anchor(target)}) argued, {rest[0].lower()}{rest[1:]}", ""]
        else:
            lines += [_paragraph(rng, 60), ""]
    if post.index % 7 == 0:
        lines += ["Figures come from the quarterly review.[^source]", "",
                  "[^source]: " + _sentence(rng, 10), ""]
    return "\n".join(lines + definitions)


def write_corpus(project: Path, n: int, seed: int = SEED) -> list[Path]:
    """Write n synthetic posts into project's docs/blog/posts; returns their paths."""
    docs = project / "docs"
    tags = [t["name"] for t in yaml.safe_load((docs / ".tags.yml").read_text(encoding="utf-8"))["tags"]]
    authors = list(yaml.safe_load((docs / "blog/.authors.yml").read_text(encoding="utf-8"))["authors"])
    posts = plan(n, seed)
    rng = random.Random(seed + 1)
    out = project / POSTS
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for post in posts:
        path = out / post.filename
        path.write_text(post_text(post, posts, tags, authors, rng), encoding="utf-8")
        paths.append(path)
    return paths


def stock_variant(project: Path) -> str:
    """Our configuration without the speed plugin, beside mkdocs.yml; returns its file name."""
    return variant(project, "mkdocs-stock.yml", plugins={SPEED: {"enabled": False}})


def without_patch(project: Path, patch: str) -> str:
    """Our configuration with every speed patch but one, beside mkdocs.yml; returns its file name."""
    others = [p for p in PATCHES if p != patch]
    return variant(project, f"mkdocs-without-{patch}.yml", plugins={SPEED: {"patches": others}})


def _our_config() -> dict:
    """What the bare configuration takes from ours, as MkDocs reads mkdocs.yml."""
    ours = config(ROOT)
    return {
        "site_name": ours.site_name,
        "site_url": ours.site_url,
        "site_description": ours.site_description,
        "blog": plugin_options(ours, "material/blog"),
        "markdown_extensions": [
            {name: ours.mdx_configs[name]} if name in ours.mdx_configs else name for name in ours.markdown_extensions
        ],
        "nav": ours.nav,
    }


def bare_project(dest: Path) -> Path:
    """The same content under the configuration a bare Material blog uses: blog, tags,
    search and mkdocs-rss-plugin, none of our plugins and no theme overrides."""
    ours = _our_config()
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", dest / "docs")
    (dest / "docs/tags/index.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    bare = {
        "site_name": ours["site_name"],
        "site_url": ours["site_url"],
        "site_description": ours["site_description"],
        "theme": {"name": "material", "language": "en", "font": False},
        "plugins": [
            "search",
            {"blog": ours["blog"]},
            "tags",
            {"rss": {
                "match_path": "blog/posts/.*",
                "date_from_meta": {"as_creation": "date"},
                "categories": ["tags"],
                "use_git": False,
            }},
        ],
        "markdown_extensions": ours["markdown_extensions"],
        "nav": ours["nav"],
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(bare, sort_keys=False), encoding="utf-8")
    return dest


# Strict: a speed plugin that would step aside fails the build instead of timing the stock path.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764000000", "BLOGPOST_SPEED_STRICT": "true"}


@dataclass
class Run:
    seconds: float
    peak_mb: float


def build(project: Path, config: str, out: Path, *, profile: Path | None = None) -> Run:
    """One `mkdocs build` in a fresh process: wall time and the peak RSS of that process."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable]
    if profile:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "mkdocs", "build", "-q", "-f", config, "-d", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"build of {project / config} failed:\n{output.decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def search_index(root: Path) -> tuple[int, int]:
    """(bytes of the search index, pages it indexes): Material's search_index.json, or our
    Pagefind index under pagefind/ (all its chunks; a page fetches only what a query needs)."""
    path = root / "search/search_index.json"
    if not path.exists():
        entry = json.loads((root / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        return tree_size(root / "pagefind"), sum(lang["page_count"] for lang in entry["languages"].values())
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    pages = {d["location"].split("#")[0] for d in docs}
    return path.stat().st_size, len(pages)


# Each build as the incremental preview logs it (MkDocs drops a "Documentation built in" line
# equal to an earlier one).
BUILT = re.compile(r"incremental preview: build \d+ in ([\d.]+) s")
INDEXED = re.compile(r"search index of build (\d+) ready")


class Serve:
    """`mkdocs serve` of a project in its own process group, its log read as it comes."""

    def __init__(self, project: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{urllib.parse.urlsplit(config(project).site_url).path}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        self.log: list[str] = []
        self.built: list[float] = []  # each build's time as the preview logs it
        self.indexed: list[int] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.log.append(line)
                if m := BUILT.search(line):
                    self.built.append(float(m.group(1)))
                if m := INDEXED.search(line):
                    self.indexed.append(int(m.group(1)))
                self.changed.notify_all()

    def wait(self, condition, timeout: float, what: str) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: condition() or self.proc.poll() is not None, timeout):
                raise SystemExit(f"mkdocs serve: {what} within {timeout:.0f} s:\n" + "".join(self.log[-30:]))
        if self.proc.poll() is not None:
            raise SystemExit("mkdocs serve exited:\n" + "".join(self.log[-30:]))

    def settled(self, timeout: float = 900) -> None:
        """Until every build so far is done and the last one's search index is in place."""
        self.wait(lambda: self.built and len(self.built) in self.indexed, timeout, "no search index")

    def stop(self) -> None:
        stop_group(self.proc)


def _served(url: str, text: str, timeout: float) -> float:
    """Poll url until its body holds text; the time it did."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                if text.encode() in response.read():
                    return time.perf_counter()
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def post_url(text: str) -> str:
    """A post's address under the site, as the blog makes it from its date and title."""
    _, meta = get_data(text)
    return f"blog/{meta['date']:%Y/%m/%d}/{slugify(case='lower')(str(meta['title']), '-')}/"


PREVIEW_EDITS = ("body edit", "title edit", "new post")
PREVIEW_TARGETS = (1.5, 3, 3)  # seconds, at 1000 posts
PREVIEW_SCALE_3000 = 1.5  # at 3000 posts, at most 1.5 times those


def preview_times(project: Path, runs: int, timeout: float = 900) -> tuple[float, dict[str, list[float]], list[float]]:
    """Start `mkdocs serve` on the project, then, `runs` times each: edit a post's body, edit a
    post's title, add a post; each timed from the file write to the page served (polled over
    HTTP) with the new content (an edited title: at the new address). Returns (first build s as
    logged, seconds per kind of edit, each rebuild as logged: from on_config to on_post_build)."""
    posts = sorted((project / POSTS).glob("*.md"))
    tags = [t["name"] for t in yaml.safe_load((project / "docs/.tags.yml").read_text(encoding="utf-8"))["tags"]]
    rng = random.Random(SEED)
    serve = Serve(project)
    found: dict[str, list[float]] = {kind: [] for kind in PREVIEW_EDITS}
    try:
        serve.settled(timeout)
        first = serve.built[0]
        for i in range(runs):
            for kind in PREVIEW_EDITS:
                time.sleep(1)  # a save well after the last build, as an author's next one
                mark = f"edit-{os.getpid()}-{i}-{rng.randint(10**5, 10**6)}"
                if kind == "new post":
                    planned = plan(len(posts) + 1)
                    post = Post(len(posts) + i, LAST_DAY - dt.timedelta(days=i), f"new-{mark}", f"New post {mark}",
                                planned[-1].sections)
                    path = project / POSTS / post.filename
                    text = post_text(post, [post], tags, ["editors"], rng)
                else:
                    path = posts[len(posts) // 3 + 7 * i + PREVIEW_EDITS.index(kind)]
                    text = path.read_text(encoding="utf-8")
                    if kind == "body edit":
                        text += f"\nOne more paragraph, added while previewing: {mark}.\n"
                    else:  # a new title: a new address, and the title on lists, tag pages, neighbours
                        title = re.search(r'^title: "(.*)"$', text, re.M)[1]
                        text = text.replace(title, f"{title} {mark}")
                url = serve.url + post_url(text)
                spare = project / ".saving"  # saved in one step, as editors do
                spare.write_text(text, encoding="utf-8")
                start = time.perf_counter()
                os.replace(spare, path)
                end = _served(url, mark, timeout)
                found[kind].append(end - start)
                print(f"  preview {kind} {i + 1}/{runs}: {end - start:.2f} s", file=sys.stderr)
                serve.settled(timeout)
        return first, found, serve.built[1:]
    finally:
        serve.stop()


@dataclass
class PreviewCost:
    n: int
    cold: list[float]  # seconds for all n, into an empty cache
    warm: list[float]  # seconds for all n, from the filled cache
    png_bytes: int  # the n previews together


def shown(docs: Path) -> list[tuple[str, tuple[str, ...]]]:
    """The title and tags of each page with tags under docs: what its preview shows."""
    found = []
    for path in sorted(docs.rglob("*.md")):
        _, meta = get_data(path.read_text(encoding="utf-8"))
        if meta.get("tags") and meta.get("title"):
            found.append((str(meta["title"]), tuple(meta["tags"])))
    return found


def cache_previews(project: Path) -> None:
    """Fill the project's preview cache before the timed builds, so that each of them reuses
    the previews (preview_cost times the drawing on its own)."""
    site = config(project)
    previews = Previews(cache_folder(site, site.plugins["blogpost"].config.previews_cache, project), site.site_name)
    for title, tags in shown(project / "docs"):
        previews.picture(title, tags)


def preview_cost(project: Path, runs: int) -> PreviewCost:
    """Time the previews of the corpus's posts as the plugin makes them: each run into an empty
    cache folder, then again from it, with a new Previews (as a new build has) each time."""
    site_name = config(project).site_name
    posts = shown(project / POSTS)
    cost = PreviewCost(len(posts), [], [], 0)
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="previews-") as folder:
            for times, expected in ((cost.cold, "drawn"), (cost.warm, "reused")):
                previews = Previews(Path(folder), site_name)
                start = time.perf_counter()
                for title, tags in posts:
                    previews.picture(title, tags)
                times.append(time.perf_counter() - start)
                if getattr(previews, expected) != len(posts):
                    raise SystemExit(f"previews: {previews.drawn} drawn, {previews.reused} reused "
                                     f"of {len(posts)}: expected all {expected}")
            cost.png_bytes = tree_size(Path(folder))
        print(f"  previews of {cost.n}: cold {cost.cold[-1]:.2f} s, warm {cost.warm[-1]:.3f} s", file=sys.stderr)
    return cost


@dataclass
class Row:
    n: int
    ours: list[Run]
    bare: list[Run]
    ratios: list[float]
    ours_bytes: int
    bare_bytes: int
    index: tuple[int, int]
    bare_index: tuple[int, int]
    unoptimised: list[Run] | None = None
    unopt_ratios: list[float] | None = None
    shares: dict[str, list[float]] | None = None  # speed patch -> its share of the build time, per run


def _preview_targets(n: int) -> tuple:
    """The preview's targets at n posts: those at 1000 up to 1000 posts, 1.5 times those up to
    3000; none set beyond."""
    if n <= 1000:
        return PREVIEW_TARGETS
    if n <= 3000:
        return tuple(target * PREVIEW_SCALE_3000 for target in PREVIEW_TARGETS)
    return (None,) * len(PREVIEW_TARGETS)


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def _peak(runs: list[Run]) -> float:
    return max(r.peak_mb for r in runs)


def measure(n: int, runs: int, work: Path, *, unoptimised: bool, patch_shares: bool,
            profile: Path | None) -> Row:
    ours = copy_site(work / f"ours-{n}")
    write_corpus(ours, n)
    cache_previews(ours)
    bare = bare_project(work / f"bare-{n}")
    write_corpus(bare, n)
    out_ours, out_bare, out_other = work / f"site-ours-{n}", work / f"site-bare-{n}", work / f"site-other-{n}"
    row = Row(n, [], [], [], 0, 0, (0, 0), (0, 0))
    stock = stock_variant(ours) if unoptimised else None
    if unoptimised:
        row.unoptimised, row.unopt_ratios = [], []
    if profile:
        for name in ("mkdocs.yml", stock) if stock else ("mkdocs.yml",):
            dest = profile / f"{Path(name).stem}-{n}.prof"
            build(ours, name, out_ours, profile=dest)
            print(f"  profile: {dest}", file=sys.stderr)
        build(bare, "mkdocs.yml", out_bare, profile=profile / f"bare-{n}.prof")
    for i in range(runs):
        # Alternate which side goes first, so neither always follows the other.
        order = ["ours", "bare"] if i % 2 == 0 else ["bare", "ours"]
        if unoptimised:
            order.append("unoptimised")
        got = {}
        for side in order:
            if side == "ours":
                got[side] = build(ours, "mkdocs.yml", out_ours)
            elif side == "bare":
                got[side] = build(bare, "mkdocs.yml", out_bare)
            else:
                got[side] = build(ours, stock, out_other)
            print(f"  N={n} run {i + 1}/{runs} {side}: {got[side].seconds:.2f} s", file=sys.stderr)
        row.ours.append(got["ours"])
        row.bare.append(got["bare"])
        row.ratios.append(got["ours"].seconds / got["bare"].seconds)
        if unoptimised:
            row.unoptimised.append(got["unoptimised"])
            row.unopt_ratios.append(got["ours"].seconds / got["unoptimised"].seconds)
    if patch_shares:
        row.shares = shares(ours, n, runs, out_ours, out_other)
    row.ours_bytes, row.bare_bytes = tree_size(out_ours), tree_size(out_bare)
    row.index, row.bare_index = search_index(out_ours), search_index(out_bare)
    shutil.rmtree(out_bare)
    shutil.rmtree(out_other, ignore_errors=True)
    return row


def shares(project: Path, n: int, runs: int, out: Path, other: Path) -> dict[str, list[float]]:
    """Each speed patch's share of the build time, (without it - full) / without it, per run;
    the build without the patch alternates with the full one, each going first in turn."""
    variants = {patch: without_patch(project, patch) for patch in BUILD_PATCHES}
    found = {patch: [] for patch in BUILD_PATCHES}
    for i in range(runs):
        for patch, name in variants.items():
            pair = [("mkdocs.yml", out), (name, other)]
            if i % 2:
                pair.reverse()
            seconds = {config_file: build(project, config_file, site).seconds for config_file, site in pair}
            full, without = seconds["mkdocs.yml"], seconds[name]
            found[patch].append((without - full) / without)
            print(f"  N={n} run {i + 1}/{runs} full {full:.2f} s, without {patch} {without:.2f} s", file=sys.stderr)
    return found


def _corpus_project(work: Path, n: int) -> Path:
    """Our site with an n-post corpus in work/ours-<n>, made on first use (measure() may have made it)."""
    project = work / f"ours-{n}"
    if not project.exists():
        copy_site(project)
        write_corpus(project, n)
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,3000", help="comma-separated post counts")
    parser.add_argument("--runs", type=int, default=5, help="builds per configuration and size (a shared 2-core machine can drift by 15%% within minutes: five pairs give a steadier median ratio)")
    parser.add_argument("--serve-size", type=int, default=1000, help="posts for the preview rebuild (0: skip)")
    parser.add_argument("--preview-size", type=int, default=1000,
                        help="posts whose link-preview images are timed, cold and cached (0: skip)")
    parser.add_argument("--unoptimised", action="store_true",
                        help="also build ours without the speed plugin, for a before/after ratio")
    parser.add_argument("--patch-shares", action="store_true",
                        help="also build ours without each speed patch in turn: the share of the build time each saves")
    parser.add_argument("--profile", type=Path, help="also write cProfile files of one build per size here")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows = [measure(n, args.runs, work, unoptimised=args.unoptimised, patch_shares=args.patch_shares,
                        profile=args.profile) for n in sizes]
        serve = None
        if args.serve_size:
            project = _corpus_project(work, args.serve_size)
            full = next((r for r in rows if r.n == args.serve_size), None)
            serve = (args.serve_size, preview_times(project, args.runs), _median(full.ours) if full else None)
        previews = None
        if args.preview_size:
            project = _corpus_project(work, args.preview_size)
            previews = preview_cost(project, args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(rows, serve, args.runs, previews)
    return 0


def report(rows: list[Row], serve, runs: int, previews: PreviewCost | None = None) -> None:
    print(f"\nBuild benchmark: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
          f"Python {sys.version.split()[0]}, median of {runs} runs, seed {SEED}")
    print("ours = our full configuration (our plugins, overrides, strict); "
          "bare = Material blog + tags + search + mkdocs-rss-plugin\n")
    head = (f"{'posts':>6} | {'ours s':>7} {'ms/post':>7} {'peak MB':>7} {'out MB':>7} | "
            f"{'bare s':>7} {'ms/post':>7} {'peak MB':>7} {'out MB':>7} | {'ours/bare':>9} | "
            f"{'index KB':>8} {'KB/page':>7} {'bare KB/page':>12}")
    print(head)
    print("-" * len(head))
    for r in rows:
        o, b = _median(r.ours), _median(r.bare)
        print(f"{r.n:>6} | {o:>7.2f} {1000 * o / r.n:>7.2f} {_peak(r.ours):>7.0f} {r.ours_bytes / 1e6:>7.1f} | "
              f"{b:>7.2f} {1000 * b / r.n:>7.2f} {_peak(r.bare):>7.0f} {r.bare_bytes / 1e6:>7.1f} | "
              f"{statistics.median(r.ratios):>9.2f} | "
              f"{r.index[0] / 1024:>8.0f} {r.index[0] / 1024 / r.index[1]:>7.2f} "
              f"{r.bare_index[0] / 1024 / r.bare_index[1]:>12.2f}")
    by_n = {r.n: r for r in rows}
    if 1000 in by_n and 3000 in by_n:
        per = lambda r: _median(r.ours) / r.n  # noqa: E731
        print(f"\nours, time per post at 3000 / at 1000: {per(by_n[3000]) / per(by_n[1000]):.2f} (target <= 1.15)")
    if 3000 in by_n:
        print(f"ours/bare at 3000: {statistics.median(by_n[3000].ratios):.2f} (target <= 0.60)")
    for r in rows:
        if r.unoptimised:
            print(f"speed plugin at {r.n}: ours {_median(r.ours):.2f} s, without it "
                  f"{_median(r.unoptimised):.2f} s, ratio with/without {statistics.median(r.unopt_ratios):.2f}")
    with_shares = [r for r in rows if r.shares]
    if with_shares:
        print(f"\nshare of the build time each speed patch saves, (without it - full) / without it, "
              f"median of {runs} runs:")
        print(f"{'posts':>6} | " + " ".join(f"{patch:>11}" for patch in BUILD_PATCHES))
        for r in with_shares:
            print(f"{r.n:>6} | " + " ".join(f"{100 * statistics.median(r.shares[p]):>10.1f}%" for p in BUILD_PATCHES))
    if serve:
        n, (first, times, rebuilds), full = serve
        full_text = f", full `mkdocs build` {full:.2f} s (ours above)" if full else ""
        print(f"\nmake serve at {n} posts, from the save to the edited page served, median of "
              f"{len(times[PREVIEW_EDITS[0]])} (first build {first:.2f} s as logged{full_text}):")
        for kind, target in zip(PREVIEW_EDITS, _preview_targets(n)):
            aim = f"target <= {target:g} s" if target else "no target at this size"
            print(f"  {kind:<18} {statistics.median(times[kind]):>6.2f} s ({aim}; "
                  f"runs: {', '.join(f'{t:.2f}' for t in times[kind])})")
        print(f"  rebuilds as the preview logs them: median {statistics.median(rebuilds):.2f} s, "
              f"max {max(rebuilds):.2f} s (the search index follows in the background)")
    if previews:
        cold, warm = statistics.median(previews.cold), statistics.median(previews.warm)
        print(f"\nlink previews at {previews.n} posts (in-process, median of {len(previews.cold)}): "
              f"cold cache {cold:.2f} s ({1000 * cold / previews.n:.2f} ms/post), "
              f"warm cache {warm:.3f} s ({1000 * warm / previews.n:.3f} ms/post); "
              f"{previews.png_bytes / previews.n / 1024:.0f} KB a preview")


if __name__ == "__main__":
    sys.exit(main())
