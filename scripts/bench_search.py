"""Search benchmark: our search box over Pagefind's index against Material's built-in search,
on one synthetic corpus, in headless Chromium, in alternating runs.

    python scripts/bench_search.py [--posts 1000] [--runs 5] [--query WORDS ...] [--baseline REV]

The corpus is generated here (deterministic, seeded): posts of common domain words, each also
about two subjects that few other posts share, so that one query can match every post and
another only a few. One copy of the site gets the synthetic posts and is built twice: as
configured, and through a variant config (INHERIT) with Material's search plugin on and our
search script and box off (Pagefind still indexes that build; its pages never fetch the index).
Both are served from 127.0.0.1 by static_server.py, with gzip, as GitHub Pages serves them;
every byte is counted as it leaves the server (so requests made by web workers count too).
Each run is a fresh browser context (empty cache) and measures:

  (a) idle: bytes fetched by the home page from the start of its load until 5 s after it;
      of those, the search data (ours: anything under pagefind/; Material: its index and
      search worker);
  (b) then the reader presses "/" and the query arrives in one piece: bytes fetched until
      the first result is visible, plus the search code the page loaded beforehand (ours:
      search.js and search.css);
  (c) the time from the query to the first frame with a visible result, measured in the
      page, in three fresh visits: searching as soon as the page has loaded (Material's
      index may still be loading), after the 5 s idle with the query right after "/", and
      after the 5 s idle with the query 1 s after "/" (a reader opens the box, then types:
      ours starts loading when the box opens).

  (d) search on arrival: a reader opens the newest post, presses "/" at once and types the
      query at 8 keys a second; every byte from the start of the page's load until results
      for the whole query are shown (the page, its theme, the sitemap Material's instant
      navigation fetches, the search code and data), and the time from the last key to them.

With --baseline REV (a git revision, such as main), the site's content, theme layer and
config at REV are built with the same corpus and measured in the same runs, as "before": the
plugin package is the one installed, so it compares what docs/, overrides/ and mkdocs.yml
change.

Medians over the runs are printed, with the ratio ours / Material's.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import io
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import yaml

from project import CHROMIUM_ARGS, ROOT, SITE, chromium, config, copy_site, variant
from static_server import serve

SEARCH_JS = "assets/javascripts/search.js"  # our search box's script
IDLE_SECONDS = 5
# The three searches timed in each run, each in a fresh visit.
TIMES = {
    "seconds_arrival": "on arrival, query right after '/'",
    "seconds": "5 s idle, query right after '/'",
    "seconds_opened": "5 s idle, query 1 s after '/'",
}
SEED = 20261128

# What each variant's search needs, by URL path (site-relative).
OURS = {
    "data": lambda path: path.startswith("pagefind/"),
    "code": lambda path: path in ("assets/javascripts/search.js", "assets/stylesheets/search.css"),
    "open": "/",
    "result": ".bp-search__results > li",
    # Results for the whole query are on screen (the status names the query once they are).
    "answered": """q => document.querySelector("#search-status").textContent.includes(`“${q}”`)
      && [...document.querySelectorAll(".bp-search__results > li")].some((el) => el.getClientRects().length)""",
}
MATERIAL = {
    "data": lambda path: path == "search/search_index.json" or path.startswith("assets/javascripts/workers/search"),
    "code": lambda path: False,  # compiled into Material's bundle, loaded either way
    "open": "/",
    "result": ".md-search-result__item",
    "answered": """q => document.querySelector("[data-md-component=search-query]").value === q
      && [...document.querySelectorAll(".md-search-result__item")].some((el) => el.getClientRects().length)""",
}
TYPING_DELAY_MS = 125  # 8 keys a second


WORDS = (
    "vendor contract service level review access audit budget risk control team partner handover "
    "backlog incident response outage recovery backup policy training skill roadmap priority scope "
    "estimate invoice report metric target baseline dashboard escalation owner checklist register "
    "approval change release deployment support ticket queue workflow knowledge runbook exit "
    "transition continuity data privacy encryption identity password device network cloud licence "
    "renewal tender shortlist interview reference pilot trial feedback quality decision evidence"
).split()
# Each post is also about two of these: words that, as in real posts, only some pages use.
SUBJECTS = (
    "kubernetes terraform ansible jenkins grafana prometheus splunk okta ldap saml oauth firewall "
    "vpn siem phishing ransomware malware patching sbom gdpr hipaa iso27001 nist itil cobit devops "
    "kanban scrum jira confluence sharepoint salesforce postgres mysql redis kafka spark hadoop "
    "tableau snowflake databricks azure openstack vmware citrix nutanix veeam zscaler crowdstrike "
    "mainframe cobol helpdesk chatbot biometrics smartcards printers laptops payroll erp crm "
    "warehouse logistics telephony voip sdwan wifi datacentre colocation offshore nearshore"
).split()
HEADINGS = ("Scope", "Risks", "Costs", "Roles", "Controls", "Evidence", "Timeline", "Handover",
            "Training", "Security", "Exit plan", "Lessons", "Next steps")


def _sentences(rng: random.Random, words: int) -> str:
    out = []
    while words > 0:
        n = min(words, rng.randint(8, 16))
        text = " ".join(rng.choice(WORDS) for _ in range(n))
        out.append(text[0].upper() + text[1:] + ".")
        words -= n
    return " ".join(out)


def write_small_corpus(project: Path, n: int, seed: int = SEED) -> None:
    """n posts of about 900 words (five sections each), valid front matter, fixed by seed:
    common words that every post uses, and two subjects per post that few others share."""
    docs = project / "docs"
    tags = [t["name"] for t in yaml.safe_load((docs / ".tags.yml").read_text(encoding="utf-8"))["tags"]]
    author = next(iter(yaml.safe_load((docs / "blog/.authors.yml").read_text(encoding="utf-8"))["authors"]))
    rng = random.Random(seed)
    first, span = dt.date(2014, 1, 1), (dt.date(2026, 10, 31) - dt.date(2014, 1, 1)).days
    for i in range(n):
        date = first + dt.timedelta(days=span * i // n)
        words = rng.sample(WORDS, 2) + rng.sample(SUBJECTS, 2)
        title = f"{words[0].capitalize()} {words[1]} for {words[2]} and {words[3]}: note {i + 1}"
        lines = [
            "---", f'title: "{title}"', f"date: {date}", f'description: "{_sentences(rng, 12)[:150]}"',
            "tags:", *[f"  - {t}" for t in rng.sample(tags, rng.randint(1, len(tags)))],
            "authors:", f"  - {author}", "---", "", f"# {title}", "", _sentences(rng, 60), "", "<!-- more -->", "",
        ]
        for heading in rng.sample(HEADINGS, 5):
            subject = f"This matters for {words[2]} and {words[3]}."
            lines += [f"## {heading}", "", _sentences(rng, 80), subject, "", _sentences(rng, 75), ""]
        slug = f"note-{i + 1}-{'-'.join(words)}"
        (docs / "blog/posts" / f"{date}-{slug}.md").write_text("\n".join(lines), encoding="utf-8")


def material_search(project: Path) -> str:
    """A variant config: Material's search plugin on, our search script off; returns its file name.
    Our box's partial is emptied in this copy's overrides, so the header has Material's alone."""
    scripts = [str(script) for script in config(project).extra_javascript if str(script) != SEARCH_JS]
    (project / "overrides/partials/search-box.html").write_text("", encoding="utf-8")
    return variant(project, "mkdocs-material-search.yml", plugins={"search": {}}, extra_javascript=scripts)


def build(project: Path, config_file: str, site: Path) -> Path:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config_file, "--site-dir", str(site)],
        cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"build with {config_file} failed:\n{result.stderr[-3000:]}")
    print(f"  built {site.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return site



# The query arrives in one piece, as if pasted: an input event (our box) and a keyup
# (Material's reads the field on keyup). The clock runs in the page, from that moment to
# the first frame in which a result is visible.
TYPE_AND_WAIT = """async ([selector, query]) => {
  const field = document.activeElement;
  if (!(field instanceof HTMLInputElement)) throw new Error("the search field has no focus");
  const visible = () => [...document.querySelectorAll(selector)].some((el) => el.getClientRects().length);
  const started = performance.now();
  field.value = query;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  field.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: query.slice(-1) }));
  while (!visible()) {
    if (performance.now() - started > 60000) throw new Error("no result in 60 s");
    await new Promise(requestAnimationFrame);
  }
  return (performance.now() - started) / 1000;
}"""


def _visit(browser, url: str, log: list):
    """A fresh desktop context with `url` loaded, the transfer log cleared first; returns
    (context, page, the page's errors as they come)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log.clear()
    page.goto(url, wait_until="load")
    return context, page, errors


def measure(browser, url: str, log: list, variant: dict, query: str, idle: bool, pause: float = 0) -> dict:
    """One visit: load the home page, wait 5 s when idle, press the key that opens search,
    wait `pause` seconds (a reader about to type), then enter the query."""
    context, page, errors = _visit(browser, url, log)
    if idle:
        page.wait_for_timeout(IDLE_SECONDS * 1000)
    before = list(log)
    log.clear()
    page.keyboard.press(variant["open"])
    if pause:
        page.wait_for_timeout(pause * 1000)
    seconds = page.evaluate(TYPE_AND_WAIT, [variant["result"], query])
    searching = list(log)
    context.close()
    if errors:
        raise SystemExit(f"page errors at {url}: {errors}")
    before_search = sum(n for path, n in before if variant["data"](path))
    search_bytes = sum(n for _, n in searching) + sum(n for path, n in before if variant["code"](path))
    return {
        "idle_total": sum(n for _, n in before),
        "idle_search": before_search,
        "search_bytes": search_bytes,
        "search_total": before_search + search_bytes,
        "seconds": seconds,
    }


def newest_post(site: Path) -> str:
    """The site-relative URL of the newest post, as a reader arriving from a feed opens it."""
    newest = max(site.glob("blog/[0-9][0-9][0-9][0-9]/*/*/*/index.html"))
    return newest.parent.relative_to(site).as_posix() + "/"


def measure_arrival(browser, url: str, log: list, variant: dict, query: str) -> dict:
    """(d) One visit: open the newest post, press the key that opens search and type the query
    at once; every byte from the page's first request until results for the query show."""
    context, page, errors = _visit(browser, url, log)
    page.keyboard.press(variant["open"])
    page.keyboard.type(query, delay=TYPING_DELAY_MS)
    typed = time.perf_counter()
    page.wait_for_function(variant["answered"], arg=query, polling="raf", timeout=60000)
    seconds = time.perf_counter() - typed
    total = sum(n for _, n in log)
    context.close()
    if errors:
        raise SystemExit(f"page errors at {url}: {errors}")
    return {"arrival_total": total, "arrival_seconds": seconds}


def baseline_project(rev: str, dest: Path) -> Path:
    """The site's content, theme layer and config as they were at a git revision."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", rev, *SITE], cwd=ROOT,
                             capture_output=True, check=False)
    if archive.returncode:
        raise SystemExit(f"--baseline {rev}: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", action="append", dest="queries", help=(
        "a query to time (repeatable); default: 'incident recovery' (words every synthetic "
        "post uses) and 'ransomware' (a subject of a few percent of them)"))
    parser.add_argument("--baseline", metavar="REV", help=(
        "also build and measure the site as it was at this git revision (such as main), as 'before'"))
    parser.add_argument("--chromium", help=(
        "the Chromium binary; default: Playwright's own, else $CHROMIUM, else chromium on PATH"))
    args = parser.parse_args()
    args.queries = args.queries or ["incident recovery", "ransomware"]

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        project = copy_site(Path(tmp) / "project")
        write_small_corpus(project, args.posts)
        print(f"Corpus: {args.posts} synthetic posts, seed {SEED}", flush=True)
        ours = build(project, "mkdocs.yml", Path(tmp) / "ours")
        sites = {"ours": ours}
        variants = {"ours": OURS, "material": MATERIAL, "before": OURS}
        if args.baseline:
            before = baseline_project(args.baseline, Path(tmp) / "before-project")
            write_small_corpus(before, args.posts)
            sites["before"] = build(before, "mkdocs.yml", Path(tmp) / "before")
        sites["material"] = build(project, material_search(project), Path(tmp) / "material")  # empties our box: after ours
        results = {name: [] for name in sites}
        logs = {name: [] for name in sites}
        with contextlib.ExitStack() as stack, sync_playwright() as playwright:
            served = {name: (stack.enter_context(serve(site, log=logs[name])), logs[name])
                      for name, site in sites.items()}
            executable = args.chromium or chromium(playwright)
            if not executable:
                raise SystemExit("bench-search: no Chromium found: `apt-get install chromium` or set $CHROMIUM")
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            post = newest_post(ours)
            for run in range(args.runs):
                order = list(sites) if run % 2 == 0 else list(reversed(sites))
                for name in order:
                    url, log = served[name]
                    figures = {}
                    for query in args.queries:
                        visit = functools.partial(measure, browser, url, log, variants[name], query)
                        idle = visit(idle=True)
                        figures.setdefault("idle_total", idle["idle_total"])
                        figures.setdefault("idle_search", idle["idle_search"])
                        figures[f"search_bytes {query}"] = idle["search_bytes"]
                        figures[f"search_total {query}"] = idle["search_total"]
                        figures[f"seconds {query}"] = idle["seconds"]
                        figures[f"seconds_opened {query}"] = visit(idle=True, pause=1)["seconds"]
                        figures[f"seconds_arrival {query}"] = visit(idle=False)["seconds"]
                        arrival = measure_arrival(browser, url + post, log, variants[name], query)
                        figures[f"arrival_total {query}"] = arrival["arrival_total"]
                        figures[f"arrival_seconds {query}"] = arrival["arrival_seconds"]
                    results[name].append(figures)
                print(f"  run {run + 1}/{args.runs} done: " + ", ".join(
                    f"{n} " + " / ".join(f"{v:.3f}" for k, v in results[n][-1].items() if k.startswith("seconds"))
                    + " s" for n in order), flush=True)
            browser.close()
    report(results, args)


def report(results: dict, args) -> None:
    def median(name, key):
        return statistics.median(r[key] for r in results[name])

    def ratio(key):
        # The median of the ratios of runs taken side by side.
        pairs = [(o[key], m[key]) for o, m in zip(results["ours"], results["material"])]
        return statistics.median(o / m for o, m in pairs) if all(m for _, m in pairs) else float("nan")

    kb = lambda n: f"{n / 1024:,.1f} KB"  # noqa: E731
    ms = lambda s: f"{s * 1000:,.0f} ms"  # noqa: E731
    rows = [
        ("(a) idle page, all bytes in 5 s (gzip)", "idle_total", kb),
        ("(a) idle page, search data in 5 s (gzip)", "idle_search", kb),
    ]
    for query in args.queries:
        rows += [
            (f"(b) '{query}': bytes to first results, incl. search code", f"search_bytes {query}", kb),
            (f"(a+b) '{query}': all search bytes, idle and to results", f"search_total {query}", kb),
            *[(f"(c) '{query}': {label}", f"{key} {query}", ms) for key, label in TIMES.items()],
            (f"(d) '{query}': opens a post, types at once: all bytes to results", f"arrival_total {query}", kb),
            (f"(d) '{query}': opens a post, types at once: last key to results", f"arrival_seconds {query}", ms),
        ]
    columns = [("ours", "ours (Pagefind)"), *([("before", f"before ({args.baseline})"[:16])]
                                              if "before" in results else []), ("material", "Material search")]
    print(f"\nSearch benchmark: {args.posts} posts, median of {args.runs} alternating runs, "
          "headless Chromium, empty cache, gzip; (c) is the time from query to first visible result\n")
    print(f"| {'measure':<66} | " + " | ".join(f"{title:>16}" for _, title in columns) + f" | {'ours / Material':>15} |")
    print(f"|{'-' * 68}|" + "".join(f"{'-' * 17}:|" for _ in columns) + f"{'-' * 16}:|")
    for label, key, fmt in rows:
        r = ratio(key)
        shown = "-" if r != r else f"{r:.3f}"
        cells = " | ".join(f"{fmt(median(name, key)):>16}" for name, _ in columns)
        print(f"| {label:<66} | {cells} | {shown:>15} |")


if __name__ == "__main__":
    main()
