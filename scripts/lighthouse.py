"""Lighthouse (mobile, pinned in scripts/lighthouse-cli/package.json) on the built site: the
home page, a post and a tag page, three runs each; prints every score and the median
performance. A report, not a test: run it with `make lighthouse`, which builds site/ first.

Targets: Accessibility, Best Practices and SEO 100; Performance 95 or more (median of three).
Exits 1 when a page misses the first three, which do not vary from run to run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from project import CHROMIUM_ARGS, ROOT, chromium
from static_server import serve

SITE = ROOT / "site"
# Installed by `make lighthouse` only (npm ci in scripts/lighthouse-cli/): no test needs it.
LIGHTHOUSE = ROOT / "scripts" / "lighthouse-cli" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 3
CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])


def pages() -> dict[str, str]:
    """Site-relative URLs: home, the newest post, the tag page with the most entries."""
    posts = sorted(SITE.glob("blog/[0-9][0-9][0-9][0-9]/*/*/*/index.html"), reverse=True)
    tags = list(SITE.glob("tags/*/index.html"))
    if not posts or not tags:
        sys.exit("lighthouse: site/ has no post or no tag page: run `make build`")
    tag = max(tags, key=lambda p: p.stat().st_size)  # the longest list
    rel = lambda p: p.parent.relative_to(SITE).as_posix() + "/"  # noqa: E731
    return {"home": "", "post": rel(posts[0]), "tag page": rel(tag)}


def run(url: str, out: Path, browser: str) -> dict[str, int]:
    subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        check=True, env={**os.environ, "CHROME_PATH": browser}, timeout=300,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    if not LIGHTHOUSE.is_file():
        sys.exit(f"lighthouse: {LIGHTHOUSE.relative_to(ROOT)} is missing: run `make lighthouse`")
    browser = chromium()
    if not browser:
        sys.exit("lighthouse: no Chromium found: `apt-get install chromium` or set $CHROMIUM")
    missed = []
    with serve(SITE) as base, tempfile.TemporaryDirectory() as tmp:
        # Lighthouse multiplies the main thread's measured work: a busy machine lowers Performance.
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"Lighthouse 12 (mobile) on {base}, {RUNS} runs per page; load average {load} "
              f"on {os.cpu_count()} cores")
        print(f"{'page':<10} {'url':<82} {'perf runs':<13} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4}")
        for name, path in pages().items():
            scores = [run(base + path, Path(tmp) / f"{name}-{i}.json", browser) for i in range(RUNS)]
            perf = [s["performance"] for s in scores]
            worst = {c: min(s[c] for s in scores) for c in CATEGORIES[1:]}
            median = statistics.median(perf)
            print(f"{name:<10} {'/' + path:<82} {' '.join(map(str, perf)):<13} {median:>4g} "
                  f"{worst['accessibility']:>4} {worst['best-practices']:>4} {worst['seo']:>4}")
            missed += [f"{name}: {c} {v}" for c, v in worst.items() if v < 100]
            if median < 95:
                print(f"  {name}: median performance {median:g} is below the target of 95")
    print("a11y, bp, seo: the lowest of the runs; targets 100, 100, 100 and performance >= 95")
    if missed:
        print("missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
