"""Page-weight budgets on the real site: every page's HTML, and what a post page loads."""

import gzip
import re

import pytest

HTML_BUDGET = 60 * 1024  # raw bytes of one page's HTML
ASSET_BUDGET = 80 * 1024  # gzip bytes of the CSS and JS one post page loads
POST_PAGE = re.compile(r"^blog/\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")


def test_every_page_is_at_most_60_kb_of_html(site):
    sizes = {p.relative_to(site.root).as_posix(): p.stat().st_size for p in site.html_files}
    assert sizes, "no HTML page was built"
    over = {path: size for path, size in sizes.items() if size > HTML_BUDGET}
    assert not over, f"pages over {HTML_BUDGET} bytes: {over}"


def _post_pages(site):
    pages = [p for p in site.html_files if POST_PAGE.match(p.relative_to(site.root).as_posix())]
    assert pages, "no post page was built"
    return pages


def _css_and_js(site, page):
    """The local files a page's <script src> and <link rel=stylesheet> load."""
    tree, base = site.tree(page), site.url_of(page)
    urls = [el.get("src") for el in tree.iter("script") if el.get("src")]
    urls += [el.get("href") for el in tree.iter("link") if "stylesheet" in (el.get("rel") or "").split()]
    assert urls, f"{page}: no stylesheet or script found"
    files = []
    for url in urls:
        target = site.to_site_path(url, base)
        assert target is not None, f"{page.relative_to(site.root)} loads {url} from another host"
        path = site.root / target[0]
        assert path.is_file(), f"{page.relative_to(site.root)} loads {url}, which was not built"
        files.append(path)
    return files


def test_a_post_page_loads_at_most_80_kb_of_css_and_js_gzipped(site):
    for page in _post_pages(site):
        files = _css_and_js(site, page)
        assert any(f.suffix == ".css" for f in files) and any(f.suffix == ".js" for f in files)
        sizes = {f.relative_to(site.root).as_posix(): len(gzip.compress(f.read_bytes(), 9)) for f in files}
        total = sum(sizes.values())
        assert total <= ASSET_BUDGET, f"{page.relative_to(site.root)}: {total} bytes gzip > {ASSET_BUDGET}: {sizes}"


@pytest.mark.parametrize("tag,attr", [("script", "src"), ("link", "href"), ("img", "src")])
def test_a_post_page_loads_nothing_from_another_host(site, tag, attr):
    checked = 0
    for page in _post_pages(site):
        for el in site.tree(page).iter(tag):
            url = el.get(attr)
            if url is None or (tag == "link" and el.get("rel") in {"canonical", "alternate"}):
                continue
            checked += 1
            assert site.to_site_path(url, site.url_of(page)) is not None, f"{page}: {url}"
    assert checked, f"no <{tag} {attr}> on any post page"
