"""The layout of every page type in Chromium, at 320, 390 and 1280 px, in both palettes: nothing
wider than the screen, body text at a readable measure, and a title that stands out at least
as much as the headings under it.

- Overflow: the page scrolls sideways, or an element's visible box (its box clipped by the
  scroll boxes and clipping boxes around it) reaches past the screen's left or right edge.
  Content inside a box that scrolls sideways (a wide table) is that box's, not the page's.
  Elements wholly off screen (a closed drawer) and invisible ones are not looked at.
- Measure: at 1280 px, a rendered line of body text (paragraphs, list items, definitions,
  quotes in the content, not tables, code or navigation) longer than 80 characters. Lines are
  measured as drawn: each word's box, grouped by the line it sits on.
- Title: the H1's text contrast against its background is lower than that of the page's H2s
  (colours as drawn, translucent ones blended over what is behind them).
"""

from __future__ import annotations

import pytest

from browser import PALETTES

WIDTHS = (320, 390, 1280)
MEASURE_WIDTH = 1280
MAX_LINE = 80
# Every page type a reader meets; the build must have each.
LAYOUT_TYPES = ("home", "blog index", "post", "archive", "guide index", "guide page", "tag index",
                "tag page", "404", "author page")

# Returns {overflow: [...], lines: [...], h1: {...} | null}: each a readable description.
PROBE = r"""
({ maxLine, measure }) => {
  const view = document.documentElement.clientWidth;
  const css = (el) => getComputedStyle(el);
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + [...el.classList].slice(0, 2).join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const overflow = [];
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > view + 1) overflow.push(`the page scrolls sideways: ${scrollWidth} px in ${view} px`);

  // The part of el's box that can be seen: clipped by every ancestor that scrolls or clips
  // sideways (a fixed element escapes the boxes that are not fixed themselves: simplified, a
  // fixed element is clipped by none).
  const visibleBox = (el, rect) => {
    let left = rect.left, right = rect.right;
    if (css(el).position === "fixed") return [left, right];
    for (let up = el.parentElement; up && up !== document.documentElement; up = up.parentElement) {
      const style = css(up);
      if (style.overflowX !== "visible") {
        const box = up.getBoundingClientRect();
        left = Math.max(left, box.left);
        right = Math.min(right, box.right);
      }
      if (style.position === "fixed") break;
    }
    return [left, right];
  };
  for (const el of document.body.querySelectorAll("*")) {
    const style = css(el);
    if (style.visibility !== "visible" || style.display === "contents") continue;
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height) continue;
    if (rect.right <= 0 || rect.left >= view) continue; // wholly off screen: a closed drawer
    if (el.closest("[hidden], dialog:not([open])")) continue;
    const [left, right] = visibleBox(el, rect);
    if (right <= left) continue; // clipped away
    if (left < -1 || right > view + 1) {
      overflow.push(`${describe(el)}: ${Math.round(left)}..${Math.round(right)} px in ${view} px`);
    }
  }

  // Body text: each block's own text, word by word; a line is the words whose boxes share
  // a vertical middle (within half a line).
  const lines = [];
  if (measure) {
    const BLOCKS = "p, li, dd, dt, blockquote, figcaption";
    const skip = "table, pre, code, nav, header, footer, .md-sidebar, .md-header, .md-tabs, dialog, h1, h2, h3, h4, h5, h6";
    const blocks = new Map();
    const walker = document.createTreeWalker(document.querySelector(".md-content") || document.body,
                                             NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const parent = node.parentElement;
      if (!node.nodeValue.trim() || parent.closest(skip)) continue;
      const block = parent.closest(BLOCKS);
      if (!block || css(parent).visibility !== "visible") continue;
      if (!blocks.has(block)) blocks.set(block, []);
      blocks.get(block).push(node);
    }
    const range = document.createRange();
    for (const [block, nodes] of blocks) {
      const words = [];
      for (const node of nodes) {
        for (const match of node.nodeValue.matchAll(/\S+/g)) {
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0);
          if (!rects.length) continue;
          // A word broken over two lines counts on each; rare, and never makes a line longer.
          for (const r of rects) {
            words.push({ middle: (r.top + r.bottom) / 2, height: r.height, length: match[0].length * r.width / rects.reduce((n, x) => n + x.width, 0) });
          }
        }
      }
      words.sort((a, b) => a.middle - b.middle);
      const grouped = [];
      for (const word of words) {
        const line = grouped[grouped.length - 1];
        if (line && Math.abs(word.middle - line.middle) < line.height / 2) {
          line.chars += word.length + 1;
        } else {
          grouped.push({ middle: word.middle, height: word.height, chars: word.length });
        }
      }
      const longest = Math.round(Math.max(0, ...grouped.map((line) => line.chars)));
      if (longest > maxLine) lines.push(`${describe(block)}: a line of ${longest} characters`);
    }
  }

  // Contrast of a heading's text against what is drawn behind it.
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[,\s/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let up = el; up; up = up.parentElement) {
      const colour = parse(css(up).backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    let drawn = [255, 255, 255, 1];
    for (const layer of layers.reverse()) drawn = over(layer, drawn);
    return drawn;
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (el) => {
    const back = background(el);
    const text = over(parse(css(el).color), back);
    const [a, b] = [luminance(text), luminance(back)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  const shown = (el) => el.getClientRects().length && css(el).visibility === "visible";
  const h1 = [...document.querySelectorAll(".md-content h1")].find(shown);
  const h2s = [...document.querySelectorAll(".md-content h2")].filter(shown);
  const headings = h1 && h2s.length ? {
    h1: Math.round(contrast(h1) * 100) / 100,
    h2: Math.round(Math.min(...h2s.map(contrast)) * 100) / 100,
  } : null;
  return { overflow, lines, headings };
}
"""


@pytest.fixture(scope="session")
def layout(new_tab, page_types) -> dict:
    """(palette, width, page type) -> what PROBE found there."""
    missing = [kind for kind in LAYOUT_TYPES if kind not in page_types]
    assert not missing, f"the build has no page of type {missing}"
    found = {}
    for palette in PALETTES:
        for width in WIDTHS:
            tab = new_tab(color_scheme=palette, viewport={"width": width, "height": 900})
            for kind in LAYOUT_TYPES:
                page = tab.goto(page_types[kind])
                found[palette, width, kind] = page.evaluate(
                    PROBE, {"maxLine": MAX_LINE, "measure": width == MEASURE_WIDTH})
            tab.page.context.close()
    return found


def _where(palette, width, kind, page_types):
    return f"{kind} ({page_types[kind] or 'home'}) at {width} px, {palette}"


@pytest.mark.parametrize("kind", LAYOUT_TYPES)
def test_nothing_reaches_past_the_screen(layout, page_types, kind):
    problems = [f"{_where(p, w, kind, page_types)}: {line}"
                for (p, w, k), found in layout.items() if k == kind for line in found["overflow"]]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("kind", LAYOUT_TYPES)
def test_body_text_lines_are_at_most_80_characters(layout, page_types, kind):
    problems = [f"{_where(p, w, kind, page_types)}: {line}"
                for (p, w, k), found in layout.items() if k == kind for line in found["lines"]]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("kind", LAYOUT_TYPES)
def test_the_title_stands_out_at_least_as_much_as_the_headings_under_it(layout, page_types, kind):
    problems = [f"{_where(p, w, kind, page_types)}: H1 contrast {found['headings']['h1']}:1, "
                f"lowest H2 {found['headings']['h2']}:1"
                for (p, w, k), found in layout.items() if k == kind and found["headings"]
                if found["headings"]["h1"] < found["headings"]["h2"]]
    assert not problems, "\n".join(problems)


def test_the_sweep_found_text_and_headings_to_measure(layout):
    compared = [key for key, found in layout.items() if found["headings"]]
    assert len(compared) >= 2 * len(WIDTHS) * 4, f"too few pages with an H1 and H2s: {compared}"


def test_tables_scroll_inside_their_box_on_a_phone(new_tab, site):
    """Every page with a table, at the phone widths: the widest tables scroll, the page does not."""
    pages = sorted(site.url_of(path) for path in site.html_files if site.tree(path).cssselect("article .bp-table"))
    assert pages, "no page with a table"
    problems, scrolling = [], 0
    for width in WIDTHS[:2]:
        tab = new_tab(viewport={"width": width, "height": 900})
        for url in pages:
            page = tab.goto(url)
            found = page.evaluate(PROBE, {"maxLine": MAX_LINE, "measure": False})
            problems += [f"{url} at {width} px: {line}" for line in found["overflow"]]
            scrolling += page.evaluate(
                "[...document.querySelectorAll('article .bp-table')].filter(b => b.scrollWidth > b.clientWidth).length")
        tab.page.context.close()
    assert not problems, "\n".join(problems[:40])
    assert scrolling, "no table is wider than a phone: the check of scrolling tables checked nothing"
