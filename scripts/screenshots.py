"""The README's screenshots: home, a post, a guide chapter, a tag page and search with results,
on a phone (390 px) and a desktop (1280 px), light and dark, in headless Chromium.

    python scripts/screenshots.py [--site DIR] [--out DIR] [--only NAME ...]

Builds the site (strict) into a temporary folder unless --site names a built one, serves it as
GitHub Pages does, and writes <name>-<width>-<palette>.png into .github/screenshots/: beside
the repository's other GitHub-facing files, not in docs/, so they are never published. Each
shot is the first screen a reader sees, reduced to at most 256 colours (lossless for flat
interface colours) and compressed, so that the set stays small in the repository.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from project import CHROMIUM_ARGS, ROOT, chromium
from static_server import serve

OUT = ROOT / ".github" / "screenshots"
WIDTHS = {390: 844, 1280: 800}  # viewport width: height
PALETTES = ("light", "dark")
SEARCH_QUERY = "exit plan"
# name: the page, site-relative
PAGES = {
    "home": "",
    "post": "blog/2026/11/16/building-a-learning-plan-for-a-team-that-works-with-vendors/",
    "guide": "guides/it-outsourcing/03-objectives-and-kpis/",
    "tag": "tags/ai/",
    "search": "",
}
# What a shot scrolls to first: the chapter shows its table of example KPIs.
SCROLL_TO = {"guide": "article .bp-table"}


def build(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True,
    )
    if result.returncode:
        sys.exit(f"screenshots: the build failed:\n{result.stderr[-3000:]}")


def small_png(png: bytes) -> bytes:
    """The picture in at most 256 colours, compressed as far as PNG goes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def shoot(browser, base: str, name: str, width: int, palette: str) -> bytes:
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]},
                                  color_scheme=palette, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(base + PAGES[name], wait_until="load")
        page.wait_for_load_state("networkidle")
        if name in SCROLL_TO:
            page.locator(SCROLL_TO[name]).first.evaluate(
                "el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - innerHeight / 3)")
        if name == "search":
            page.keyboard.press("/")
            page.keyboard.type(SEARCH_QUERY, delay=40)
            page.wait_for_function(
                "q => document.querySelector('#search-status').textContent.includes(q)", arg=SEARCH_QUERY)
            page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # the last frame painted, scroll shadows included
        return page.screenshot(animations="disabled")
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", action="append", choices=sorted(PAGES), help="one page (repeatable)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = args.site or Path(tmp) / "site"
        if not args.site:
            build(site)
        with serve(site) as base, sync_playwright() as playwright:
            executable = chromium(playwright)
            if not executable:
                sys.exit("screenshots: no Chromium found: `apt-get install chromium` or set $CHROMIUM")
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            total = 0
            for name in args.only or PAGES:
                for width in WIDTHS:
                    for palette in PALETTES:
                        png = small_png(shoot(browser, base, name, width, palette))
                        path = args.out / f"{name}-{width}-{palette}.png"
                        path.write_bytes(png)
                        total += len(png)
                        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                              f"  {len(png) / 1024:.0f} KB", flush=True)
            browser.close()
    print(f"{total / 1024:.0f} KB in all")


if __name__ == "__main__":
    main()
